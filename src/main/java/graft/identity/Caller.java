package graft.identity;

import java.util.Set;

/** Who is calling, as proven by a verified access token. */
public sealed interface Caller {
    Tenant tenant();

    Application application();

    /** {@code scp} of a delegated token or {@code roles} of an application token. */
    Set<String> permissions();

    /** A user signed in to an application: may reach only that user's own mailbox. */
    record Delegated(Tenant tenant, Application application, User user, Set<String> permissions) implements Caller {
    }

    /** An application acting as itself: may reach every mailbox of its tenant that its roles cover. */
    record App(Tenant tenant, Application application, Set<String> permissions) implements Caller {
    }
}
