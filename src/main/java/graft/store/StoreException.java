package graft.store;

/** The store failed (I/O, corruption, lost connection): not the caller's fault; answered as a 5xx. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
