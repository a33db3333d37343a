package graft.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store contract on PostgreSQL, in a database of its own that the store creates on first open. Skipped, saying
 * why, when no PostgreSQL server is reachable (and failing instead under CI or {@code GRAFT_REQUIRE_PG=1}).
 */
class PostgresStoreTest implements StoreContract {
    /** Fewer connections than concurrent callers, as in production, so the tests also wait for the pool. */
    private static final int POOL = 8;
    private static PgTestDatabase database;
    private static Database db;

    @BeforeAll
    static void open() {
        if (!PgTestDatabase.reachable()) {
            return; // every test is skipped, with the reason, by requirePostgres
        }
        database = PgTestDatabase.create();
        db = PostgresDatabase.open(database.config(POOL));
    }

    @BeforeEach
    void requirePostgres() {
        PgTestDatabase.assumeReachable();
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Override
    public Database db() {
        return db;
    }

    @Override
    public Database reopen() {
        db.close();
        db = PostgresDatabase.open(database.config(POOL));
        return db;
    }

    @Override
    public Database openAnother() {
        return PostgresDatabase.open(database.config(2));
    }
}
