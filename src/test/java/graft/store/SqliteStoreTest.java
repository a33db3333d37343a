package graft.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The store contract on the embedded SQLite store, in a fresh file. */
class SqliteStoreTest implements StoreContract {
    private static Path dir;
    private static Database db;

    @BeforeAll
    static void open() throws IOException {
        dir = Files.createTempDirectory("graft-sqlite-store");
        db = SqliteDatabase.open(file());
    }

    @AfterAll
    static void close() throws IOException {
        if (db != null) {
            db.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path file() {
        return dir.resolve("graft.db");
    }

    @Override
    public Database db() {
        return db;
    }

    @Override
    public Database reopen() {
        db.close();
        db = SqliteDatabase.open(file());
        return db;
    }

    /** SQLite serves one node (its writer holds the file's write lock), so the other node is this same store. */
    @Override
    public Database openAnother() {
        Database shared = db;
        return new Database() {
            @Override
            public <T> T read(SqlWork<T> work) {
                return shared.read(work);
            }

            @Override
            public <T> T write(SqlWork<T> work) {
                return shared.write(work);
            }

            @Override
            public Dialect dialect() {
                return shared.dialect();
            }

            @Override
            public Signals signals() {
                return shared.signals();
            }

            @Override
            public void close() {
            }
        };
    }
}
