package graft.identity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One directory: its users and applications, looked up by id, UPN or address. */
public final class Tenant {
    private final UUID id;
    private final String domain;
    private final Map<UUID, User> usersById;
    private final Map<String, User> usersByUpn;
    private final Map<UUID, Application> appsByClientId;

    public Tenant(UUID id, String domain, List<User> users, List<Application> applications) {
        this.id = id;
        this.domain = domain;
        this.usersById = users.stream().collect(Collectors.toUnmodifiableMap(User::id, Function.identity()));
        this.usersByUpn = users.stream().collect(Collectors.toUnmodifiableMap(
                u -> u.userPrincipalName().toLowerCase(Locale.ROOT), Function.identity()));
        this.appsByClientId = applications.stream().collect(Collectors.toUnmodifiableMap(Application::clientId, Function.identity()));
    }

    public UUID id() {
        return id;
    }

    public String domain() {
        return domain;
    }

    public List<User> users() {
        return List.copyOf(usersById.values());
    }

    /** By object id or user principal name; addresses compare case-insensitively, as Exchange does. */
    public Optional<User> user(String idOrUpn) {
        try {
            User byId = usersById.get(UUID.fromString(idOrUpn));
            if (byId != null) {
                return Optional.of(byId);
            }
        } catch (IllegalArgumentException notAGuid) {
            // fall through to the UPN
        }
        return Optional.ofNullable(usersByUpn.get(idOrUpn.toLowerCase(Locale.ROOT)));
    }

    public Optional<User> userByAddress(String address) {
        return address == null ? Optional.empty() : Optional.ofNullable(usersByUpn.get(address.toLowerCase(Locale.ROOT)));
    }

    public Optional<Application> application(String clientId) {
        try {
            return Optional.ofNullable(appsByClientId.get(UUID.fromString(clientId)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
