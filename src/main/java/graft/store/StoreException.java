package graft.store;

/**
 * The store failed (I/O, corruption, lost connection): not the caller's fault; answered as a 5xx.
 * A <em>transient</em> failure (the database restarting, failing over, out of connections) is answered with 503 and
 * {@code Retry-After}: the work was not applied and the same request may simply be made again.
 */
public final class StoreException extends RuntimeException {
    private final boolean transientFailure;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** The database cannot be reached right now; nothing of the work was committed. */
    public static StoreException unavailable(String message, Throwable cause) {
        return new StoreException(message, cause, true);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
