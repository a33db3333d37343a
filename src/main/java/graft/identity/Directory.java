package graft.identity;

import graft.config.TenantConfig;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every tenant this node serves, built once from the configuration. */
public final class Directory {
    private final Map<UUID, Tenant> byId;
    private final Map<String, Tenant> byDomain;

    public Directory(List<TenantConfig> tenants) {
        List<Tenant> built = tenants.stream().map(Directory::build).toList();
        this.byId = built.stream().collect(Collectors.toUnmodifiableMap(Tenant::id, Function.identity()));
        this.byDomain = built.stream().collect(Collectors.toUnmodifiableMap(t -> t.domain().toLowerCase(Locale.ROOT), Function.identity()));
    }

    private static Tenant build(TenantConfig t) {
        List<User> users = t.users().stream()
                .map(u -> new User(stableId(t.id(), "user:" + u.userPrincipalName()), t.id(), u.userPrincipalName(),
                        u.displayName(), u.password()))
                .toList();
        List<Application> apps = t.applications().stream()
                .map(a -> new Application(a.clientId(), t.id(), stableId(t.id(), "sp:" + a.clientId()), a.displayName(),
                        a.clientSecret(), new HashSet<>(a.roles()), new HashSet<>(a.scopes())))
                .toList();
        return new Tenant(t.id(), t.domain(), users, apps);
    }

    /**
     * Object ids derive from the tenant and the name, so every node (and every restart) agrees on them
     * without storing anything.
     */
    static UUID stableId(UUID tenantId, String name) {
        return UUID.nameUUIDFromBytes((tenantId + "/" + name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }

    /** By tenant id (GUID) or domain name, as in {@code /{tenant}/oauth2/v2.0/token}. */
    public Optional<Tenant> tenant(String idOrDomain) {
        try {
            return Optional.ofNullable(byId.get(UUID.fromString(idOrDomain)));
        } catch (IllegalArgumentException notAGuid) {
            return Optional.ofNullable(byDomain.get(idOrDomain.toLowerCase(Locale.ROOT)));
        }
    }

    public Optional<Tenant> tenant(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Set<Tenant> tenants() {
        return Set.copyOf(byId.values());
    }
}
