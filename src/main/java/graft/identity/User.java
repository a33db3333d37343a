package graft.identity;

import java.util.UUID;

/** A directory user; every user has a mailbox whose id is the user's object id. */
public record User(UUID id, UUID tenantId, String userPrincipalName, String displayName, String password) {
    /** The primary SMTP address. Graft gives every user the UPN as address. */
    public String mail() {
        return userPrincipalName;
    }

    /** Never the password: records print every component, and users end up in logs. */
    @Override
    public String toString() {
        return "User[" + userPrincipalName + ", " + id + "]";
    }
}
