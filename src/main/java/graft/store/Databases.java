package graft.store;

import graft.config.GraftConfig;

/** Opens the store the configuration names: PostgreSQL when it has a {@code store.url}, else SQLite in the data dir. */
public final class Databases {
    private Databases() {
    }

    public static Database open(GraftConfig config) {
        return config.store().postgres()
                ? PostgresDatabase.open(config.store())
                : SqliteDatabase.open(config.dataDir().resolve("graft.db"));
    }
}
