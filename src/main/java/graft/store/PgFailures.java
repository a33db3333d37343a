package graft.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** What a PostgreSQL error means for the work that met it, by SQLSTATE (PostgreSQL manual, appendix A). */
final class PgFailures {
    /** serialization_failure, deadlock_detected: the transaction was rolled back and may simply run again. */
    private static final Set<String> RETRY = Set.of("40001", "40P01");
    /**
     * admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down), too_many_connections,
     * read_only_sql_transaction (connected to a standby during a failover).
     */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300", "25006");

    private PgFailures() {
    }

    static boolean isRetryable(SQLException e) {
        return RETRY.contains(e.getSQLState());
    }

    /** The server is gone or refuses work for now: nothing on this connection can be trusted any more. */
    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true; // the pool had no connection for us in time (exhausted or cannot connect)
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || UNAVAILABLE.contains(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
