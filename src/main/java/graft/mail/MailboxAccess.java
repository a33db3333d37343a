package graft.mail;

import graft.http.GraphError;
import graft.identity.Caller;
import graft.identity.Permission;
import graft.identity.User;

/** Which mailbox a request reaches, and whether its caller may reach it at all. */
final class MailboxAccess {
    private MailboxAccess() {
    }

    /**
     * @param userKey the key after {@code /users/}, or null for {@code /me}
     * @param profileOnly the request reads the user itself, not the mailbox: a delegated caller with a
     *                    directory-wide permission (User.ReadBasic.All and better) may read other users too
     */
    static User resolve(Caller caller, String userKey, boolean profileOnly) {
        if (userKey == null) {
            if (caller instanceof Caller.Delegated d) {
                return d.user();
            }
            throw GraphError.badRequest("/me request is only valid with delegated authentication flow.");
        }
        User user = caller.tenant().user(userKey).orElseThrow(() -> GraphError.invalidUser(userKey));
        if (caller instanceof Caller.Delegated d && !d.user().id().equals(user.id())
                && !(profileOnly && Permission.DIRECTORY_READ.allows(caller))) {
            // Delegated tokens reach only the signed-in user's own mailbox (no shared-mailbox grants here).
            throw GraphError.accessDenied();
        }
        return user;
    }
}
