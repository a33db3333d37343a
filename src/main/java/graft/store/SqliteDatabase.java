package graft.store;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Embedded SQLite in WAL mode with {@code synchronous=FULL}, so a committed transaction survives a crash.
 * All writes go through one writer thread that commits them in groups: every caller waits for the fsync of the
 * group its work was part of, and each work runs in its own savepoint so one failure rolls back only itself.
 */
public final class SqliteDatabase implements Database {
    private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final int MAX_GROUP = 256;
    private static final int READERS = 4;
    /** Checkpoints run on their own thread at most this often, so a commit never waits for one. */
    private static final long CHECKPOINT_INTERVAL_MS = 100;
    /** Backstop: past this many WAL pages the writer checkpoints itself, should the background ones fall behind. */
    private static final int WRITER_CHECKPOINT_PAGES = 20_000;
    /** The writer's page cache (SQLite's default is 2 MB). */
    private static final int WRITER_CACHE_KB = 16 * 1024;

    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final LinkedBlockingQueue<PendingWrite<?>> writes = new LinkedBlockingQueue<>();
    private final Connection writer;
    private final Thread writerThread;
    private final Connection checkpointConnection;
    private final Thread checkpointThread;
    private final Semaphore checkpointDue = new Semaphore(0);
    private final LocalSignals signals = new LocalSignals();
    private volatile boolean closed;

    private SqliteDatabase(String url) throws SQLException {
        this.writer = open(url, false);
        for (int i = 0; i < READERS; i++) {
            readers.add(open(url, true));
        }
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=" + WRITER_CHECKPOINT_PAGES);
        }
        writer.commit();
        this.checkpointConnection = openForCheckpoints(url);
        this.checkpointThread = Thread.ofPlatform().name("sqlite-checkpoint").daemon().start(this::checkpointLoop);
        this.writerThread = Thread.ofPlatform().name("sqlite-writer").daemon().start(this::writeLoop);
    }

    public static SqliteDatabase open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            try (Connection c = open(url, false)) {
                c.setAutoCommit(true); // WAL mode is persistent; set it once before Flyway connects
            }
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite")
                    .loggers("slf4j").load().migrate();
            return new SqliteDatabase(url);
        } catch (Exception e) {
            throw new StoreException("cannot open the SQLite store at " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection open(String url, boolean reader) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        // The writer takes the write lock when its transaction begins; readers only ever read a snapshot.
        config.setTransactionMode(reader ? SQLiteConfig.TransactionMode.DEFERRED : SQLiteConfig.TransactionMode.IMMEDIATE);
        if (reader) {
            config.setReadOnly(true);
        } else {
            // Each write of a group runs in a savepoint, whose journal holds the original of every page the write
            // changes: in memory that is a copy, in a temporary file it was a write system call per page.
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
            // The pages every send touches (table and index ends, the outbox) stay cached between groups.
            config.setCacheSize(-WRITER_CACHE_KB);
        }
        Connection c = new CachingSqliteConnection(url, config.toProperties());
        c.setAutoCommit(false);
        return c;
    }

    /** Outside any transaction: the writer holds the write lock between its groups, a checkpoint needs none. */
    private static Connection openForCheckpoints(String url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        return config.createConnection(url);
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        if (Thread.currentThread() == writerThread) {
            return runNested(work);
        }
        Connection c = take();
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw new StoreException("read failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            readers.add(c);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        if (Thread.currentThread() == writerThread) {
            return runNested(work);
        }
        if (closed) {
            throw new StoreException("the store is closed", null);
        }
        PendingWrite<T> pending = new PendingWrite<>(work);
        writes.add(pending);
        if (!writerThread.isAlive() && writes.remove(pending)) {
            throw new StoreException("the store is closed", null); // closed between the check and the queueing
        }
        try {
            return pending.result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("write failed: " + e.getCause(), e.getCause());
        }
    }

    private <T> T runNested(SqlWork<T> work) {
        try {
            return work.run(writer);
        } catch (SQLException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }

    private Connection take() {
        try {
            return readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a connection", e);
        }
    }

    private void writeLoop() {
        List<PendingWrite<?>> group = new ArrayList<>(MAX_GROUP);
        while (!closed || !writes.isEmpty()) {
            try {
                PendingWrite<?> first = writes.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                writes.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
                if (checkpointDue.availablePermits() == 0) {
                    checkpointDue.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                // Even an Error must not end this thread: every later write would wait for it for ever.
                log.error("unexpected failure in the SQLite writer; failing {} pending writes", group.size(), e);
                rollbackQuietly(writer);
                group.forEach(p -> p.result.completeExceptionally(new StoreException("write failed: " + e, e)));
            } finally {
                group.clear();
            }
        }
        for (PendingWrite<?> left; (left = writes.poll()) != null; ) {
            left.result.completeExceptionally(new StoreException("the store is closed", null));
        }
    }

    private void commitGroup(List<PendingWrite<?>> group) {
        try (PreparedStatement savepoint = writer.prepareStatement("SAVEPOINT w");
             PreparedStatement release = writer.prepareStatement("RELEASE w");
             PreparedStatement rollbackTo = writer.prepareStatement("ROLLBACK TO w")) {
            for (PendingWrite<?> p : group) {
                savepoint.execute();
                try {
                    p.runOn(writer);
                    release.execute();
                } catch (RuntimeException | SQLException e) {
                    rollbackTo.execute();
                    release.execute();
                    p.failure = e;
                } catch (Error e) {
                    rollbackTo.execute();
                    release.execute();
                    p.failure = new StoreException("write failed: " + e, e);
                }
            }
            writer.commit();
        } catch (SQLException e) {
            rollbackQuietly(writer);
            log.error("commit of {} writes failed", group.size(), e);
            for (PendingWrite<?> p : group) {
                if (p.failure == null) {
                    p.failure = new StoreException("commit failed: " + e.getMessage(), e);
                }
            }
        }
        group.forEach(PendingWrite::complete);
    }

    /**
     * Copies committed pages from the WAL into the database file beside the writer (a passive checkpoint waits for
     * no one), instead of inside the commit that happens to cross the WAL's size limit, which made its group wait.
     */
    private void checkpointLoop() {
        try (Statement s = checkpointConnection.createStatement()) {
            while (!closed) {
                if (!checkpointDue.tryAcquire(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    continue;
                }
                checkpointDue.drainPermits();
                try {
                    s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                } catch (SQLException e) {
                    log.warn("WAL checkpoint failed: {}", e.getMessage());
                }
                Thread.sleep(CHECKPOINT_INTERVAL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.warn("WAL checkpoints stopped; the writer checkpoints by itself", e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.warn("rollback failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writerThread.join(5_000);
            checkpointThread.interrupt(); // it has nothing to finish
            checkpointThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Connection> all = new ArrayList<>(readers);
        all.add(writer);
        all.add(checkpointConnection);
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("closing a SQLite connection failed", e);
            }
        }
    }

    private static final class PendingWrite<T> {
        final SqlWork<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();
        T value;
        Exception failure;

        PendingWrite(SqlWork<T> work) {
            this.work = work;
        }

        void runOn(Connection c) throws SQLException {
            value = work.run(c);
        }

        void complete() {
            if (failure == null) {
                result.complete(value);
            } else if (failure instanceof RuntimeException re) {
                result.completeExceptionally(re);
            } else {
                result.completeExceptionally(new StoreException("write failed: " + failure.getMessage(), failure));
            }
        }
    }
}
