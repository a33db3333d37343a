package graft.store;

/**
 * Transactions on the store. {@link #write} returns only once the transaction is durable on disk: this is the
 * promise behind every 202 that Graft answers. A {@link RuntimeException} thrown by the work rolls back that
 * work alone and is rethrown to the caller unchanged.
 */
public interface Database extends AutoCloseable {
    <T> T read(SqlWork<T> work);

    <T> T write(SqlWork<T> work);

    /** The SQL dialect, for the few statements that differ between engines. */
    Dialect dialect();

    /** Wake-up calls between the nodes on this store (in-process on SQLite, LISTEN/NOTIFY on PostgreSQL). */
    Signals signals();

    @Override
    void close();

    enum Dialect { SQLITE, POSTGRES }
}
