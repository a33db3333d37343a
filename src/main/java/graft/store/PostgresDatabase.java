package graft.store;

import com.zaxxer.hikari.HikariDataSource;
import graft.config.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * PostgreSQL through a HikariCP pool, for several nodes sharing one database. Each {@link #write} is one
 * REPEATABLE READ transaction whose commit has been flushed before it returns; one that loses a race
 * (serialization failure, deadlock) runs again from the start. A database that is down, restarting or out of
 * connections gives a {@link StoreException#isTransient() transient} StoreException, never a partial write.
 */
public final class PostgresDatabase implements Database {
    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final int MAX_ATTEMPTS = 8;

    private final HikariDataSource pool;
    private final PgSignals signals;
    /** The transaction this thread is inside, so work that opens a nested read or write joins it (as on SQLite). */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    private PostgresDatabase(StoreConfig config, HikariDataSource pool) {
        this.pool = pool;
        this.signals = new PgSignals(config, pool);
    }

    /** Creates the database when it is missing and the user may, migrates it, and opens the pool. */
    public static PostgresDatabase open(StoreConfig config) {
        String url = config.url().orElseThrow(() -> new IllegalArgumentException("not a PostgreSQL store"));
        try {
            PostgresSetup.createDatabaseIfMissing(config);
            PostgresSetup.migrate(config);
            return new PostgresDatabase(config, PostgresSetup.pool(config));
        } catch (SQLException e) {
            String message = "cannot open the PostgreSQL store at " + url + ": " + e.getMessage();
            throw PgFailures.isUnavailable(e) ? StoreException.unavailable(message, e) : new StoreException(message, e);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the PostgreSQL store at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRES;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return run(work, true);
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return run(work, false);
    }

    private <T> T run(SqlWork<T> work, boolean readOnly) {
        Connection joined = current.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw failure(readOnly, e);
            }
        }
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return attempt(work, readOnly);
            } catch (SQLException e) {
                last = e;
                // A lost race is retried a few times; a dropped connection once, on a fresh one from the pool
                // (after a database restart every pooled connection is dead, but the next one may well work).
                // A pool that had no connection in time has already made the caller wait long enough.
                boolean again = PgFailures.isRetryable(e) || (attempt == 1 && PgFailures.isUnavailable(e)
                        && !(e instanceof SQLTransientConnectionException) && !(e instanceof CommitOutcome.Unknown));
                if (!again) {
                    break;
                }
                if (PgFailures.isUnavailable(e)) {
                    pool.getHikariPoolMXBean().softEvictConnections(); // they all died with the server, most likely
                }
                log.debug("{} attempt {} failed ({}); trying again", readOnly ? "read" : "write", attempt, e.getSQLState());
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L << Math.min(attempt, 5)));
            }
        }
        throw failure(readOnly, last);
    }

    private <T> T attempt(SqlWork<T> work, boolean readOnly) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(readOnly);
            current.set(c);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                current.remove();
            }
            if (readOnly) {
                c.commit();
            } else {
                CommitOutcome.commit(c, pool);
            }
            return result;
        }
    }

    private static StoreException failure(boolean readOnly, SQLException e) {
        String message = (readOnly ? "read" : "write") + " failed: " + e.getMessage();
        if (e instanceof CommitOutcome.Unknown) {
            return new StoreException(message, e); // perhaps committed: telling the client to retry could duplicate
        }
        if (PgFailures.isUnavailable(e) || PgFailures.isRetryable(e)) {
            return StoreException.unavailable(message, e);
        }
        return new StoreException(message, e);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        signals.close();
        pool.close();
    }
}
