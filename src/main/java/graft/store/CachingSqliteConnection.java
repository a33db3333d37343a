package graft.store;

import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A SQLite connection that keeps its prepared statements for reuse: sqlite-jdbc compiles every
 * {@code prepareStatement} afresh, which costs more than running most of Graft's statements. The statements it
 * hands out return to it on {@code close()}, so the code that uses them is the same plain JDBC as on PostgreSQL
 * (whose driver and pool cache statements themselves), and no call goes through reflection. Not thread-safe: a
 * connection is used by one thread at a time.
 */
final class CachingSqliteConnection extends JDBC4Connection {
    private static final String PREFIX = "jdbc:sqlite:";
    private static final int CAPACITY = 128;

    private final Map<String, CachedStatement> bySql = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            eldest.getValue().evict();
            return true;
        }
    };

    /** As {@code SQLiteConfig.createConnection(url)}: {@code properties} from {@code SQLiteConfig.toProperties()}. */
    CachingSqliteConnection(String url, Properties properties) throws SQLException {
        super(url, url.substring(PREFIX.length()), properties);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        CachedStatement cached = bySql.get(sql);
        if (cached == null) {
            cached = new CachedStatement(this, sql);
            bySql.put(sql, cached);
        } else if (cached.inUse) {
            return super.prepareStatement(sql); // the same statement again while the first is open: not cached
        }
        cached.lease();
        return cached;
    }

    @Override
    public void close() throws SQLException {
        for (CachedStatement s : bySql.values()) {
            s.evict();
        }
        bySql.clear();
        super.close();
    }

    /** A statement that goes back to its connection's cache when closed, with its parameters and batch cleared. */
    private static final class CachedStatement extends JDBC4PreparedStatement {
        private boolean inUse;
        private boolean evicted;

        CachedStatement(SQLiteConnection connection, String sql) throws SQLException {
            super(connection, sql);
        }

        void lease() {
            inUse = true;
        }

        /** Closed for real now, or when its current user closes it. */
        void evict() {
            evicted = true;
            if (!inUse) {
                closeQuietly();
            }
        }

        @Override
        public void close() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            if (evicted) {
                super.close();
            } else {
                clearBatch();
                clearParameters();
            }
        }

        private void closeQuietly() {
            try {
                super.close();
            } catch (SQLException ignored) {
                // closing a statement that failed already
            }
        }

        @Override
        public boolean isClosed() {
            return !inUse || super.isClosed();
        }

        private void checkLeased() throws SQLException {
            if (!inUse) {
                throw new SQLException("statement is closed");
            }
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            checkLeased();
            return super.executeQuery();
        }

        @Override
        public int executeUpdate() throws SQLException {
            checkLeased();
            return super.executeUpdate();
        }

        @Override
        public long executeLargeUpdate() throws SQLException {
            checkLeased();
            return super.executeLargeUpdate();
        }

        @Override
        public boolean execute() throws SQLException {
            checkLeased();
            return super.execute();
        }

        @Override
        public int[] executeBatch() throws SQLException {
            checkLeased();
            return super.executeBatch();
        }

        @Override
        public void addBatch() throws SQLException {
            checkLeased();
            super.addBatch();
        }
    }
}
