package graft.identity;

import java.util.Set;
import java.util.UUID;

/** An app registration with its service principal in one tenant. */
public record Application(UUID clientId, UUID tenantId, UUID servicePrincipalId, String displayName, String clientSecret,
                          Set<String> roles, Set<String> scopes) {
    public Application {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    /** Never the secret: records print every component, and applications end up in logs. */
    @Override
    public String toString() {
        return "Application[" + displayName + ", " + clientId + "]";
    }
}
