package graft.identity;

import graft.http.GraphError;

import java.util.Set;

/**
 * What an operation needs, as the Graph permission reference lists it (least privileged first). A caller passes
 * when its token carries any one of the names.
 */
public enum Permission {
    MAIL_READ(Set.of("Mail.ReadBasic", "Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite")),
    /** Mail.ReadBasic leaves out bodies and attachments: the raw MIME and attachment content need more. */
    MAIL_READ_CONTENT(Set.of("Mail.Read", "Mail.ReadWrite")),
    MAIL_WRITE(Set.of("Mail.ReadWrite")),
    MAIL_SEND(Set.of("Mail.Send")),
    /** Reading any user of the tenant, not only oneself. */
    DIRECTORY_READ(Set.of("User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
            "Directory.ReadWrite.All")),
    /**
     * Graph asks for User.Read (or better) to read a user. Graft also lets any mail permission read the basic
     * profile of a mailbox it may reach, so apps consented only for Mail.* can resolve their own mailbox.
     */
    USER_READ(Set.of("User.Read", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite", "User.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All", "Mail.ReadBasic", "Mail.ReadBasic.All", "Mail.Read",
            "Mail.ReadWrite", "Mail.Send"));

    private final Set<String> grantedBy;

    Permission(Set<String> grantedBy) {
        this.grantedBy = grantedBy;
    }

    public boolean allows(Caller caller) {
        for (String p : caller.permissions()) {
            if (grantedBy.contains(p)) {
                return true;
            }
        }
        return false;
    }

    public void require(Caller caller) {
        if (!allows(caller)) {
            throw GraphError.accessDenied();
        }
    }
}
