package graft.config;

import java.util.List;
import java.util.UUID;

/**
 * One directory tenant: its users (each with a mailbox), its registered applications, and what may leave it:
 * {@code outbound} capture keeps external mail in the trace, relay sends it to the smarthost (only to
 * {@code relayDomains} when that list is not empty).
 */
public record TenantConfig(UUID id, String domain, List<UserConfig> users, List<ApplicationConfig> applications,
                           Outbound outbound, List<String> relayDomains) {
    public TenantConfig {
        users = List.copyOf(users);
        applications = List.copyOf(applications);
        relayDomains = List.copyOf(relayDomains);
    }

    public enum Outbound { CAPTURE, RELAY }

    public record UserConfig(String userPrincipalName, String displayName, String password) {
        @Override
        public String toString() {
            return "UserConfig[" + userPrincipalName + "]"; // never the password
        }
    }

    /**
     * An app registration. {@code roles} are application permissions (client credentials),
     * {@code scopes} the delegated permissions consented for the app.
     */
    public record ApplicationConfig(UUID clientId, String displayName, String clientSecret,
                                    List<String> roles, List<String> scopes) {
        public ApplicationConfig {
            roles = List.copyOf(roles);
            scopes = List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "ApplicationConfig[" + clientId + ", roles=" + roles + ", scopes=" + scopes + "]"; // never the secret
        }
    }
}
