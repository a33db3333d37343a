package graft.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of one connection for reuse: sqlite-jdbc compiles every {@code prepareStatement}
 * afresh, which costs more than running most of Graft's statements. The connection it returns hands out cached
 * statements whose {@code close()} only clears them for the next caller, so the code that uses them is the same
 * plain JDBC as on PostgreSQL (whose driver and pool cache statements themselves). Not thread-safe: a connection
 * is used by one thread at a time.
 */
final class StatementCache {
    private static final int CAPACITY = 128;

    private final Connection connection;
    private final Map<String, Cached> bySql = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            eldest.getValue().evicted = true;
            if (!eldest.getValue().inUse) {
                closeQuietly(eldest.getValue().statement);
            }
            return true;
        }
    };

    private StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** {@code connection} with its statements cached; closing it closes them. */
    static Connection wrap(Connection connection) {
        StatementCache cache = new StatementCache(connection);
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[]{Connection.class},
                cache::onConnection);
    }

    private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
            return prepare((String) args[0], (Connection) proxy);
        }
        if (method.getName().equals("close")) {
            bySql.values().forEach(c -> closeQuietly(c.statement));
            bySql.clear();
        }
        return invoke(connection, method, args);
    }

    private PreparedStatement prepare(String sql, Connection proxy) throws SQLException {
        Cached cached = bySql.get(sql);
        if (cached == null) {
            cached = new Cached(connection.prepareStatement(sql));
            bySql.put(sql, cached);
        } else if (cached.inUse) {
            return connection.prepareStatement(sql); // the same statement again while the first is open: not cached
        }
        cached.inUse = true;
        Cached lease = cached;
        return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[]{PreparedStatement.class},
                (p, m, a) -> lease.on(proxy, m, a));
    }

    private static final class Cached {
        final PreparedStatement statement;
        boolean inUse;
        boolean evicted;

        Cached(PreparedStatement statement) {
            this.statement = statement;
        }

        Object on(Connection proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    if (inUse) {
                        inUse = false;
                        if (evicted) {
                            statement.close();
                        } else {
                            statement.clearBatch();
                            statement.clearParameters();
                        }
                    }
                    return null;
                }
                case "isClosed" -> {
                    return !inUse;
                }
                case "getConnection" -> {
                    return proxy;
                }
                default -> {
                    if (!inUse) {
                        throw new SQLException("statement is closed");
                    }
                    return invoke(statement, method, args);
                }
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(PreparedStatement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // closing a statement that failed already
        }
    }
}
