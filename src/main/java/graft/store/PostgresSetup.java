package graft.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import graft.config.StoreConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bringing a PostgreSQL store up: the database created when missing, migrated, and a connection pool. */
final class PostgresSetup {
    private static final Logger log = LoggerFactory.getLogger(PostgresSetup.class);
    /** jdbc:postgresql://hosts/database?params, or jdbc:postgresql:database (pgjdbc's forms). */
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql:(?://[^/?]*/)?)([^/?]*)(\\?.*)?$");
    /** How long a request waits for a connection before it is told 503: short, the client retries anyway. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /**
     * Per session: every commit waits for the WAL flush (only an explicit {@code off}, set by a DBA for speed, is
     * overridden, so {@code remote_apply} and the like stay), and transactions are REPEATABLE READ: snapshot reads,
     * and a concurrent update of the same row fails with 40001 and is retried, so the outcome is that of SQLite's
     * one writer at a time (a draft is sent once; a stale If-Match gets 412).
     */
    private static final String SESSION = "DO $$ BEGIN "
            + "IF current_setting('synchronous_commit') = 'off' THEN PERFORM set_config('synchronous_commit', 'on', false); END IF; "
            + "PERFORM set_config('default_transaction_isolation', 'repeatable read', false); END $$";

    private PostgresSetup() {
    }

    static void createDatabaseIfMissing(StoreConfig config) throws SQLException {
        String url = config.url().orElseThrow();
        try {
            DriverManager.getConnection(url, config.user(), config.password()).close();
            return;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) { // invalid_catalog_name: the database does not exist
                throw e;
            }
        }
        Matcher m = URL.matcher(url);
        if (!m.matches() || m.group(2).isEmpty()) {
            throw new SQLException("cannot tell the database name from " + url);
        }
        String name = m.group(2);
        String admin = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(admin, config.user(), config.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            log.info("created the PostgreSQL database {}", name);
        } catch (SQLException e) {
            switch (String.valueOf(e.getSQLState())) {
                case "42P04", "23505" -> log.debug("database {} was created by another node meanwhile", name);
                case "42501" -> throw new SQLException("the database " + name + " does not exist and user " + config.user()
                        + " may not create it: create it (CREATE DATABASE " + name + " OWNER " + config.user()
                        + ") or grant CREATEDB", e.getSQLState(), e);
                default -> throw e;
            }
        }
    }

    /** Flyway takes an advisory lock on PostgreSQL, so nodes starting together migrate once. */
    static void migrate(StoreConfig config) {
        Flyway.configure().dataSource(config.url().orElseThrow(), config.user(), config.password())
                .locations("classpath:db/migration/postgres").loggers("slf4j").load().migrate();
    }

    static HikariDataSource pool(StoreConfig config) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("graft-store");
        h.setJdbcUrl(config.url().orElseThrow());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(config.poolSize());
        h.setAutoCommit(false);
        h.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        h.setValidationTimeout(Math.min(1_000, CONNECTION_TIMEOUT.toMillis() - 250));
        h.setConnectionInitSql(SESSION);
        h.setIsolateInternalQueries(true); // commits the session setup, which would else open the first transaction
        // pgjdbc's defaults, which parameters in the URL override: a dead server must not hang a request forever.
        h.addDataSourceProperty("connectTimeout", "5");
        h.addDataSourceProperty("socketTimeout", "30");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("ApplicationName", "graft");
        return new HikariDataSource(h);
    }
}
