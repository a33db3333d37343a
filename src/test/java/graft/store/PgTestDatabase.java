package graft.store;

import graft.config.StoreConfig;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one test class, on the server named by {@code GRAFT_TEST_PG_URL} (+ {@code _USER},
 * {@code _PASSWORD}). Only its name is chosen here: the store under test creates it, as it would in production.
 * Without a reachable server the class is skipped with the reason, or fails when {@code CI} or
 * {@code GRAFT_REQUIRE_PG=1} says PostgreSQL must be there.
 */
public final class PgTestDatabase implements AutoCloseable {
    static final String URL = env("GRAFT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/graft_test");
    static final String USER = env("GRAFT_TEST_PG_USER", "graft");
    static final String PASSWORD = env("GRAFT_TEST_PG_PASSWORD", "graft");

    private final String name;

    private PgTestDatabase(String name) {
        this.name = name;
    }

    /** Call only when {@link #reachable()}. */
    public static PgTestDatabase create() {
        return new PgTestDatabase(database(URL) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    public String name() {
        return name;
    }

    /** The store configuration for this database on the test server. */
    public StoreConfig config(int poolSize) {
        return new StoreConfig(Optional.of(withDatabase(URL, name)), USER, PASSWORD, poolSize);
    }

    /** The same, reached through another host:port (a proxy in front of the test server). */
    StoreConfig configVia(String hostPort, int poolSize) {
        String url = withDatabase(URL, name).replaceFirst("//[^/]+/", "//" + hostPort + "/");
        return new StoreConfig(Optional.of(url), USER, PASSWORD, poolSize);
    }

    static String serverHostPort() {
        return URL.replaceFirst("^jdbc:postgresql://([^/]+)/.*$", "$1");
    }

    /** A connection to the server's maintenance database, for what the tests check or do behind the store's back. */
    static Connection admin() throws SQLException {
        return DriverManager.getConnection(withDatabase(URL, "postgres"), USER, PASSWORD);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(withDatabase(URL, name), USER, PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }

    /** Null when the server answers, else why not; checked once per test run. */
    private static volatile String unreachable;
    private static volatile boolean checked;

    /**
     * Skips the calling test, with the reason, when no PostgreSQL server is reachable; fails it instead when CI or
     * {@code GRAFT_REQUIRE_PG=1} says the server must be there. Called before each test (not once per class) so that
     * every skipped test is counted and shown as skipped.
     */
    public static void assumeReachable() {
        if (!reachable()) {
            Assumptions.abort(unreachable);
        }
    }

    public static boolean reachable() {
        if (!checked) {
            try {
                admin().close();
                unreachable = null;
            } catch (SQLException e) {
                unreachable = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + e.getMessage() + "); "
                        + "set GRAFT_TEST_PG_URL, GRAFT_TEST_PG_USER and GRAFT_TEST_PG_PASSWORD, or run .ci/run, "
                        + "to run the PostgreSQL store tests";
            }
            checked = true;
        }
        if (unreachable != null && (System.getenv("CI") != null || "1".equals(System.getenv("GRAFT_REQUIRE_PG")))) {
            throw new AssertionError(unreachable + " (required here: CI or GRAFT_REQUIRE_PG=1 is set)");
        }
        return unreachable == null;
    }

    private static String database(String url) {
        return url.replaceFirst("^jdbc:postgresql:(//[^/]*/)?([^?]*).*$", "$2");
    }

    private static String withDatabase(String url, String database) {
        return url.replaceFirst("^(jdbc:postgresql:(//[^/]*/)?)[^?]*", "$1" + database);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
