package graft.delivery;

import graft.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Keeps a worker's claim alive while it works: a single SMTP transaction (a 150 MB DATA, or several slow
 * replies) may outlast the lease, and another worker would then take the same entries and send them again.
 * One per worker; it extends the claim a third of the lease before it would run out.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private final Database db;
    private final Clock clock;
    private final long leaseMillis;
    private final Thread thread;
    private volatile String token;
    private volatile long until;
    private volatile boolean running = true;

    LeaseKeeper(Database db, Clock clock, long leaseMillis, String name) {
        this.db = db;
        this.clock = clock;
        this.leaseMillis = leaseMillis;
        this.thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    /** The claim {@code token} holds until {@code until}; from now on it is kept alive. */
    void watch(String token, long until) {
        this.until = until;
        this.token = token;
    }

    void stopWatching() {
        token = null;
    }

    /** When the watched claim runs out, as extended so far. */
    long until() {
        return until;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(Math.max(100, Math.min(1_000, leaseMillis / 10)));
            } catch (InterruptedException e) {
                return;
            }
            String t = token;
            long now = clock.millis();
            if (t == null || until - now > leaseMillis * 2 / 3) {
                continue;
            }
            long newUntil = now + leaseMillis;
            try {
                if (db.write(c -> Outbox.extend(c, t, newUntil)) > 0 && t.equals(token)) {
                    until = newUntil;
                }
            } catch (RuntimeException e) {
                log.warn("cannot extend delivery claim {}: {}", t, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
