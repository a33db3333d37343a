package graft.store;

import graft.config.StoreConfig;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Signals between nodes through PostgreSQL's LISTEN/NOTIFY. Listening needs a session of its own, held for as long as
 * the node runs, so it is one connection outside the pool; a raise is a {@code pg_notify} on a pooled connection,
 * made by one announcer thread so that a burst of sends costs a few notifications rather than one each.
 */
final class PgSignals implements Signals, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgSignals.class);
    /** Between two notifications of the same channel: collects a burst into one. */
    private static final long ANNOUNCE_INTERVAL_MS = 5;
    /** A session that is silent for this long is checked, so a dead connection is noticed without traffic. */
    private static final long CHECK_SILENT_SESSION_MS = 10_000;
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final long LISTEN_READY_WAIT_MS = 5_000;

    private final StoreConfig config;
    private final DataSource pool;
    /** Payload of this node's notifications: its own listeners were called at once and skip the echo. */
    private final String node = UUID.randomUUID().toString();
    private final LocalSignals local = new LocalSignals();
    private final Set<String> toAnnounce = ConcurrentHashMap.newKeySet();
    private final Semaphore announceWanted = new Semaphore(0);
    /** The channels the current listening session has LISTENed to. */
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    private Thread announcer;
    private Thread listener;
    private volatile boolean closed;

    PgSignals(StoreConfig config, DataSource pool) {
        this.config = config;
        this.pool = pool;
    }

    @Override
    public void raise(String channel) {
        local.call(Signals.checkChannel(channel));
        toAnnounce.add(channel);
        synchronized (this) {
            if (announcer == null && !closed) {
                announcer = Thread.ofPlatform().name("store-signals-announce").daemon().start(this::announceLoop);
            }
        }
        announceWanted.release();
    }

    @Override
    public Subscription listen(String channel, Runnable onRaise) {
        Subscription s = local.listen(channel, onRaise);
        synchronized (this) {
            if (listener == null && !closed) {
                listener = Thread.ofPlatform().name("store-signals-listen").daemon().start(this::listenLoop);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LISTEN_READY_WAIT_MS);
        synchronized (listening) {
            while (!listening.contains(channel) && !closed && System.nanoTime() < deadline) {
                try {
                    listening.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return s;
    }

    private void announceLoop() {
        boolean failing = false;
        while (!closed) {
            try {
                announceWanted.acquire();
                announceWanted.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            for (String channel : Set.copyOf(toAnnounce)) {
                toAnnounce.remove(channel);
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, channel);
                    ps.setString(2, node);
                    ps.execute();
                    c.commit();
                    if (failing) {
                        log.info("announcing work to other nodes works again");
                        failing = false;
                    }
                } catch (SQLException | RuntimeException e) {
                    // The other nodes find the work at their next poll; the send itself is committed either way.
                    if (!failing) {
                        log.warn("cannot announce work on {} to other nodes ({}); they will find it at their next poll",
                                channel, e.getMessage());
                        failing = true;
                    }
                }
            }
            sleep(ANNOUNCE_INTERVAL_MS);
        }
    }

    private void listenLoop() {
        long backoff = 250;
        boolean connectedBefore = false;
        while (!closed) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                PGConnection pg = c.unwrap(PGConnection.class);
                if (connectedBefore) {
                    log.info("listening for other nodes' signals again");
                }
                boolean caughtUp = !connectedBefore;
                long lastCheck = System.currentTimeMillis();
                while (!closed) {
                    Set<String> added = new HashSet<>();
                    for (String channel : local.channels()) {
                        if (!listening.contains(channel)) {
                            s.execute("LISTEN " + channel); // a checked identifier: see Signals.checkChannel
                            added.add(channel);
                        }
                    }
                    if (!added.isEmpty()) {
                        synchronized (listening) {
                            listening.addAll(added);
                            listening.notifyAll();
                        }
                    }
                    if (!caughtUp) {
                        local.callAll(); // signals raised while this node was not listening are lost
                        caughtUp = true;
                    }
                    connectedBefore = true;
                    backoff = 250;
                    PGNotification[] received = pg.getNotifications(500);
                    if (received != null && received.length > 0) {
                        lastCheck = System.currentTimeMillis();
                        Set<String> channels = new HashSet<>();
                        for (PGNotification n : received) {
                            if (!node.equals(n.getParameter())) {
                                channels.add(n.getName());
                            }
                        }
                        channels.forEach(local::call);
                    } else if (System.currentTimeMillis() - lastCheck > CHECK_SILENT_SESSION_MS) {
                        s.execute("SELECT 1");
                        lastCheck = System.currentTimeMillis();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("not listening for other nodes' signals ({}); trying again in {} ms", e.getMessage(), backoff);
            } finally {
                listening.clear();
            }
            sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        // pgjdbc's defaults, which parameters in the URL override.
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "graft-signals");
        Connection c = DriverManager.getConnection(config.url().orElseThrow(), p);
        c.setAutoCommit(true);
        return c;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Thread a;
        Thread l;
        synchronized (this) {
            closed = true;
            a = announcer;
            l = listener;
        }
        for (Thread t : new Thread[] {a, l}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
