package graft.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A commit whose answer was lost with the connection may or may not have happened. The transaction's id, taken just
 * before the commit, lets another connection ask the server which it was ({@code txid_status}), so a client is
 * neither told "failed, retry" about a send that was in fact stored (and would then be sent twice) nor "accepted"
 * about one that was not.
 */
final class CommitOutcome {
    private static final Logger log = LoggerFactory.getLogger(CommitOutcome.class);
    private static final long RESOLVE_FOR_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The commit may or may not have happened and the server could not be asked in time. */
    static final class Unknown extends SQLException {
        Unknown(long xid, SQLException cause) {
            super("the outcome of the commit of transaction " + xid + " is unknown: the connection was lost during the "
                    + "commit and the database could not be asked in time", "08007", cause);
        }
    }

    private CommitOutcome() {
    }

    /** Commits; returns normally exactly when the transaction is committed. */
    static void commit(Connection c, DataSource pool) throws SQLException {
        long xid;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            xid = rs.getLong(1);
        }
        try {
            c.commit();
        } catch (SQLException e) {
            if (!PgFailures.isUnavailable(e)) {
                throw e; // the server answered: the transaction is rolled back
            }
            String status = resolve(xid, pool);
            log.warn("connection lost while committing transaction {}; the database says it is {}", xid, status);
            switch (status) {
                case "committed" -> { }
                case "aborted" -> throw e;
                default -> throw new Unknown(xid, e);
            }
        }
    }

    private static String resolve(long xid, DataSource pool) {
        long deadline = System.nanoTime() + RESOLVE_FOR_NANOS;
        while (System.nanoTime() < deadline) {
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT txid_status(?)")) {
                ps.setLong(1, xid);
                try (ResultSet rs = ps.executeQuery()) {
                    String status = rs.next() ? rs.getString(1) : null;
                    c.rollback();
                    // "in progress": the server has not yet noticed that the client is gone; it will roll back.
                    if ("committed".equals(status) || "aborted".equals(status)) {
                        return status;
                    }
                }
            } catch (SQLException e) {
                log.debug("cannot ask for the outcome of transaction {} yet: {}", xid, e.getMessage());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "unknown";
    }
}
