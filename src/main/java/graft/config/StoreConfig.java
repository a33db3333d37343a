package graft.config;

import java.util.Optional;

/**
 * Where state lives. Without a {@code url} it is the embedded SQLite file in the data dir; with a
 * {@code jdbc:postgresql://} url it is a PostgreSQL database that several nodes may share.
 */
public record StoreConfig(Optional<String> url, String user, String password, int poolSize) {
    public static final StoreConfig SQLITE = new StoreConfig(Optional.empty(), null, null, 16);

    @Override
    public String toString() {
        return "StoreConfig[" + url.orElse("sqlite") + ", user=" + user + ", poolSize=" + poolSize + "]"; // never the password
    }

    public boolean postgres() {
        return url.isPresent();
    }
}
