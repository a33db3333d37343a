package graft.delivery;

import graft.config.GraftConfig;
import graft.config.TenantConfig;
import graft.mail.Message;
import graft.mail.SystemMessages;
import graft.mime.MimeRenderer;
import graft.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The delivery workers: each claims due outbox entries, hands every submission to the relay in one SMTP
 * transaction, and records per recipient what came of it, in one transaction with any non-delivery report.
 * A send wakes them ({@link #wake}); otherwise they sleep until the next entry is due.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    /** Longer than any one SMTP transaction can take (connect + replies + data, each bounded by a timeout). */
    static final Duration LEASE = Duration.ofMinutes(15);
    /** Stop working through a claim this long before its lease runs out, and give the rest back. */
    private static final long LEASE_MARGIN_MS = Duration.ofMinutes(5).toMillis();
    private static final int SUBMISSIONS_PER_CLAIM = 16;
    private static final long MAX_SLEEP_MS = 5_000;
    /** Keep an idle relay connection this long for the next message (Postfix: smtp_connection_cache_time_limit). */
    private static final long KEEP_IDLE_CONNECTION_MS = 2_000;

    private final Database db;
    private final Clock clock;
    private final Optional<SmtpRelay> relay;
    private final OutboundPolicy policy;
    private final RetryPolicy retry;
    private final Map<UUID, String> tenantDomains;
    private final int workerCount;
    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private final Semaphore wakeups = new Semaphore(0);
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    public Delivery(Database db, GraftConfig config, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.relay = config.delivery().relay().map(SmtpRelay::new);
        this.policy = new OutboundPolicy(config.tenants(), relay.isPresent());
        this.retry = new RetryPolicy(config.delivery().retry());
        this.tenantDomains = config.tenants().stream().collect(Collectors.toUnmodifiableMap(TenantConfig::id, TenantConfig::domain));
        this.workerCount = config.delivery().workers();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        long now = clock.millis();
        if (db.dialect() == Database.Dialect.SQLITE) {
            // This process is the only one on an embedded store: every claim left over is from a run that died.
            int released = db.write(c -> Outbox.recoverAfterStart(c, relay.isPresent(), now));
            if (released > 0) {
                log.info("released {} outbox entries claimed by a previous run; they will be delivered again", released);
            }
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            int index = i;
            workers.add(Thread.ofVirtual().name("delivery-" + i).start(() -> work(index)));
        }
    }

    /** Called after a send committed outbox entries: the workers look now instead of at their next poll. */
    public void wake() {
        if (wakeups.availablePermits() < workerCount) {
            wakeups.release(workerCount);
        }
    }

    public DeliveryMetrics metrics() {
        return metrics;
    }

    public Database database() {
        return db;
    }

    private void work(int index) {
        try (SmtpRelay.Channel channel = relay.map(SmtpRelay::channel).orElse(null)) {
            while (running) {
                try {
                    if (!workOnce(index, channel)) {
                        idle(channel);
                    }
                } catch (RuntimeException e) {
                    log.error("delivery worker {} failed; retrying in a second", index, e);
                    pause(1_000);
                }
            }
        }
    }

    /** @return whether there was anything to do */
    private boolean workOnce(int index, SmtpRelay.Channel channel) {
        String token = node + "-" + index + "-" + UUID.randomUUID();
        long now = clock.millis();
        long leaseUntil = now + LEASE.toMillis();
        List<Outbox.Submission> claimed = db.write(c -> Outbox.claim(c, db.dialect(), token, SUBMISSIONS_PER_CLAIM, now, leaseUntil));
        if (claimed.isEmpty()) {
            return false;
        }
        List<Attempt> attempts = new ArrayList<>();
        try {
            for (Outbox.Submission s : claimed) {
                if (!running || clock.millis() > leaseUntil - LEASE_MARGIN_MS) {
                    break;
                }
                attempts.add(deliver(s, channel));
            }
        } finally {
            // One transaction records the whole claim: fewer fsyncs per message. A crash before it commits means
            // these messages are sent again (at-least-once), never lost.
            List<Outbox.Result> recorded = db.write(c -> {
                List<Outbox.Result> all = new ArrayList<>();
                for (Attempt a : attempts) {
                    all.addAll(record(c, token, a));
                }
                Outbox.release(c, token);
                return all;
            });
            recorded.forEach(metrics::count);
        }
        return true;
    }

    /** What one submission came to, before it is recorded. */
    private record Attempt(Outbox.Submission submission, Message original, String originalHeaders, List<Outbox.Result> results,
                           Map<Long, Bounces.Failure> failures, Instant at) {
    }

    private Attempt deliver(Outbox.Submission s, SmtpRelay.Channel channel) {
        Instant now = clock.instant();
        Message original = SystemMessages.readSubmitted(s.content(), s.messageId(), s.mailboxId());
        List<Outbox.Result> results = new ArrayList<>();
        List<Outbox.Entry> toRelay = new ArrayList<>();
        for (Outbox.Entry e : s.entries()) {
            switch (policy.route(s.tenantId(), e.recipient())) {
                case CAPTURE -> results.add(new Outbox.Result(e.id(), Outbox.CAPTURED, policy.captureReply(s.tenantId()), false, null));
                case HOLD -> results.add(new Outbox.Result(e.id(), Outbox.DEFERRED,
                        "held: outbound policy is relay but no relay is configured (delivery.relay); kept queued",
                        false, now.plus(retry.maxDelay()).toEpochMilli()));
                case RELAY -> toRelay.add(e);
            }
        }
        Map<Long, Bounces.Failure> failures = new HashMap<>();
        String headers = "";
        if (!toRelay.isEmpty()) {
            List<DeliveryOutcome> outcomes;
            try {
                byte[] mime = MimeRenderer.render(original);
                headers = MimeRenderer.headerSection(mime);
                String mailFrom = original.from() != null && original.from().address() != null ? original.from().address() : "";
                outcomes = channel.send(mailFrom, toRelay.stream().map(Outbox.Entry::recipient).toList(), mime);
            } catch (RuntimeException e) {
                log.error("cannot relay submission {}", s.id(), e);
                outcomes = toRelay.stream().<DeliveryOutcome>map(x -> new DeliveryOutcome.TemporaryFailure(
                        "451 4.3.0 local error: " + e.getClass().getSimpleName())).toList();
            }
            Instant done = clock.instant();
            for (int i = 0; i < toRelay.size(); i++) {
                results.add(result(toRelay.get(i), outcomes.get(i), done, failures));
            }
        }
        return new Attempt(s, original, headers, results, failures, now);
    }

    /** Records one submission's results; a report goes to the sender for the bounces this claim still held. */
    private List<Outbox.Result> record(java.sql.Connection c, String token, Attempt a) throws java.sql.SQLException {
        Outbox.Submission s = a.submission();
        List<Outbox.Result> r = Outbox.record(c, token, a.results(), clock.millis());
        List<Bounces.Failure> bounced = r.stream().map(x -> a.failures().get(x.entryId())).filter(Objects::nonNull).toList();
        String domain = tenantDomains.get(s.tenantId());
        if (!bounced.isEmpty() && domain != null) {
            Bounces.report(c, s.mailboxId(), domain, a.original(), a.originalHeaders(), bounced,
                    relay.map(SmtpRelay::describe).orElse(null), Instant.ofEpochMilli(s.entries().getFirst().createdAt()), a.at());
            metrics.reports.increment();
        }
        return r;
    }

    private Outbox.Result result(Outbox.Entry e, DeliveryOutcome o, Instant now, Map<Long, Bounces.Failure> failures) {
        Instant queuedAt = Instant.ofEpochMilli(e.createdAt());
        int attempts = e.attempts() + 1;
        return switch (o) {
            case DeliveryOutcome.Delivered d -> new Outbox.Result(e.id(), Outbox.DELIVERED, d.reply(), true, null);
            case DeliveryOutcome.PermanentFailure p -> {
                failures.put(e.id(), new Bounces.Failure(e.recipient(), p.reply(), false, now));
                yield new Outbox.Result(e.id(), Outbox.BOUNCED, p.reply(), true, null);
            }
            case DeliveryOutcome.TemporaryFailure t -> {
                if (retry.expired(queuedAt, now)) {
                    failures.put(e.id(), new Bounces.Failure(e.recipient(), t.reply(), true, now));
                    yield new Outbox.Result(e.id(), Outbox.BOUNCED, t.reply(), true, null);
                }
                yield new Outbox.Result(e.id(), Outbox.DEFERRED, t.reply(), true, retry.nextAttempt(attempts, queuedAt, now).toEpochMilli());
            }
        };
    }

    private void idle(SmtpRelay.Channel channel) {
        long now = clock.millis();
        Long due = db.read(Outbox::nextDue);
        long sleep = due == null ? MAX_SLEEP_MS : Math.max(1, Math.min(MAX_SLEEP_MS, due - now));
        if (channel != null && channel.connected() && sleep > KEEP_IDLE_CONNECTION_MS) {
            channel.close();
        }
        pause(sleep);
    }

    private void pause(long millis) {
        try {
            wakeups.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        wakeups.release(workerCount * 2 + 1);
        for (Thread t : workers) {
            try {
                if (!t.join(Duration.ofSeconds(5))) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
