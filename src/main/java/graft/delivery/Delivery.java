package graft.delivery;

import graft.config.GraftConfig;
import graft.config.TenantConfig;
import graft.mail.Message;
import graft.mail.SystemMessages;
import graft.mail.StoredMime;
import graft.mime.MimeSource;
import graft.store.Database;
import graft.store.Signals;
import graft.store.StoreException;
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
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The delivery workers: each claims due outbox entries, hands every submission to the relay in one SMTP
 * transaction, and records per recipient what came of it, in one transaction with any non-delivery report.
 * A send wakes them ({@link #wake}), on every node of the store ({@link Signals}); otherwise they sleep until the
 * next entry is due, or a safety poll, whichever comes first.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    /** The channel on which a send announces new outbox entries to the workers of every node. */
    static final String OUTBOX_CHANNEL = "graft_outbox";
    private static final int SUBMISSIONS_PER_CLAIM = 16;
    private static final int PRUNE_BATCH = 500;
    private static final long PRUNE_INTERVAL_MS = Duration.ofHours(1).toMillis();
    /** Signals may be lost (a node reconnecting to the database): look anyway this often. */
    private static final long SAFETY_POLL_MS = 10_000;
    private static final long MIN_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;
    /** Keep an idle relay connection this long for the next message (Postfix: smtp_connection_cache_time_limit). */
    private static final long KEEP_IDLE_CONNECTION_MS = 2_000;

    private final Database db;
    private final Clock clock;
    private final Optional<SmtpRelay> relay;
    private final OutboundPolicy policy;
    private final RetryPolicy retry;
    private final Map<UUID, String> tenantDomains;
    private final int workerCount;
    /** How long a claim lasts; a worker stops starting new attempts at half of it and gives the rest back. */
    private final long leaseMillis;
    private final long traceRetentionMillis;
    private long nextPruneAt;
    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private final Semaphore wakeups = new Semaphore(0);
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final List<Thread> workers = new ArrayList<>();
    private Signals.Subscription subscription;
    private volatile boolean running;

    public Delivery(Database db, GraftConfig config, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.relay = config.delivery().relay().map(SmtpRelay::new);
        this.policy = new OutboundPolicy(config.tenants(), relay.isPresent());
        this.retry = new RetryPolicy(config.delivery().retry());
        this.tenantDomains = config.tenants().stream().collect(Collectors.toUnmodifiableMap(TenantConfig::id, TenantConfig::domain));
        this.workerCount = config.delivery().workers();
        this.leaseMillis = config.delivery().claimLease().toMillis();
        this.traceRetentionMillis = config.delivery().traceRetention().toMillis();
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
        subscription = db.signals().listen(OUTBOX_CHANNEL, this::wakeWorkers);
        for (int i = 0; i < workerCount; i++) {
            int index = i;
            workers.add(Thread.ofVirtual().name("delivery-" + i).start(() -> work(index)));
        }
    }

    /** Called after a send committed outbox entries: the workers of every node look now instead of at their next poll. */
    public void wake() {
        db.signals().raise(OUTBOX_CHANNEL);
    }

    private void wakeWorkers() {
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
        long backoff = MIN_BACKOFF_MS;
        try (SmtpRelay.Channel channel = relay.map(SmtpRelay::channel).orElse(null);
             LeaseKeeper lease = new LeaseKeeper(db, clock, leaseMillis, "delivery-lease-" + index)) {
            while (running) {
                try {
                    if (index == 0) {
                        pruneIfDue();
                    }
                    if (!workOnce(index, channel, lease)) {
                        idle(channel);
                    }
                    backoff = MIN_BACKOFF_MS;
                } catch (StoreException e) {
                    if (e.isTransient()) {
                        // The database is restarting or out of connections: expected, and the claims expire by themselves.
                        log.warn("delivery worker {}: store unavailable ({}); trying again in {} ms", index, e.getMessage(), backoff);
                    } else {
                        log.error("delivery worker {} failed; trying again in {} ms", index, backoff, e);
                    }
                    pause(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                } catch (RuntimeException e) {
                    log.error("delivery worker {} failed; trying again in {} ms", index, backoff, e);
                    pause(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            }
        }
    }

    /** The first worker forgets old finished deliveries, an hour apart, in small batches. */
    private void pruneIfDue() {
        long now = clock.millis();
        if (now < nextPruneAt) {
            return;
        }
        int removed;
        do {
            removed = db.write(c -> Outbox.prune(c, now - traceRetentionMillis, PRUNE_BATCH));
            if (removed > 0) {
                log.info("pruned {} finished deliveries older than {} from the trace", removed, Duration.ofMillis(traceRetentionMillis));
            }
        } while (removed == PRUNE_BATCH && running);
        nextPruneAt = now + PRUNE_INTERVAL_MS;
    }

    /** @return whether there was anything to do */
    private boolean workOnce(int index, SmtpRelay.Channel channel, LeaseKeeper lease) {
        String token = node + "-" + index + "-" + UUID.randomUUID();
        long now = clock.millis();
        long leaseUntil = now + leaseMillis;
        List<Outbox.Submission> claimed = db.write(c -> Outbox.claim(c, db.dialect(), token, SUBMISSIONS_PER_CLAIM, now, leaseUntil));
        if (claimed.isEmpty()) {
            return false;
        }
        lease.watch(token, leaseUntil);
        List<Attempt> attempts = new ArrayList<>();
        try {
            // The keeper extends the claim; if it could not (the store is down), stop while the claim still holds.
            attempts.addAll(deliverAll(claimed, channel, () -> running && clock.millis() <= lease.until() - leaseMillis / 2));
        } finally {
            // One transaction records the whole claim: fewer fsyncs per message. A crash before it commits means
            // these messages are sent again (at-least-once), never lost. What was not attempted is released as it was.
            List<Outbox.Result> recorded;
            try {
                recorded = recordWhileLeased(token, attempts, lease.until());
            } finally {
                lease.stopWatching();
            }
            recorded.forEach(metrics::count);
        }
        return true;
    }

    /**
     * Records, trying again through a database outage for as long as the claim lasts: once it has expired another
     * worker may deliver the same entries again, so giving up early only makes duplicates more likely.
     */
    private List<Outbox.Result> recordWhileLeased(String token, List<Attempt> attempts, long leaseUntil) {
        long backoff = MIN_BACKOFF_MS;
        while (true) {
            try {
                return db.write(c -> {
                    List<Outbox.Result> all = new ArrayList<>();
                    for (Attempt a : attempts) {
                        all.addAll(record(c, token, a));
                    }
                    Outbox.release(c, token);
                    return all;
                });
            } catch (StoreException e) {
                long left = leaseUntil - clock.millis();
                if (!e.isTransient() || attempts.isEmpty() || left < backoff || !running) {
                    throw e;
                }
                log.warn("cannot record {} delivery attempts yet: store unavailable ({}); trying again in {} ms",
                        attempts.size(), e.getMessage(), backoff);
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one submission came to, before it is recorded. */
    private record Attempt(Outbox.Submission submission, Message original, String originalHeaders, List<Outbox.Result> results,
                           Map<Long, Bounces.Failure> failures, Instant at) {
    }

    /**
     * A submission made ready: read and routed; {@code mail} (rendered when its turn comes) when some of its
     * recipients go to the relay.
     */
    private record Prepared(Outbox.Submission submission, Message original, List<Outbox.Result> results,
                            List<Outbox.Entry> toRelay, SmtpSession.Mail mail, Instant at) {
    }

    /**
     * Delivers the claimed submissions, those for the relay in one pipelined run on this worker's connection.
     * @return an attempt for every submission that was started; the others were stopped by {@code keepGoing}
     */
    private List<Attempt> deliverAll(List<Outbox.Submission> claimed, SmtpRelay.Channel channel, BooleanSupplier keepGoing) {
        List<Attempt> attempts = new ArrayList<>();
        List<Prepared> prepared = new ArrayList<>();
        for (Outbox.Submission s : claimed) {
            try {
                prepared.add(prepare(s));
            } catch (RuntimeException e) {
                if (e instanceof StoreException) {
                    throw e; // the store is the problem, not this submission
                }
                attempts.add(deferUnreadable(s, e));
            }
        }
        List<SmtpSession.Mail> mails = prepared.stream().map(Prepared::mail).filter(Objects::nonNull).toList();
        List<List<DeliveryOutcome>> outcomes;
        if (mails.isEmpty()) {
            outcomes = List.of();
        } else {
            try {
                outcomes = channel.send(mails, keepGoing);
            } catch (RuntimeException e) {
                log.error("cannot relay {} submissions", mails.size(), e);
                outcomes = mails.stream().map(m -> m.recipients().stream().<DeliveryOutcome>map(r -> new DeliveryOutcome.TemporaryFailure(
                        "451 4.3.0 local error: " + e.getClass().getSimpleName())).toList()).toList();
            }
        }
        Instant done = clock.instant();
        int next = 0;
        for (Prepared p : prepared) {
            List<Outbox.Result> results = new ArrayList<>(p.results());
            Map<Long, Bounces.Failure> failures = new HashMap<>();
            String headers = "";
            if (p.mail() != null) {
                List<DeliveryOutcome> o = outcomes.get(next++);
                if (o == null) {
                    continue; // not started: released with the claim, due again as it was
                }
                for (int i = 0; i < p.toRelay().size(); i++) {
                    results.add(result(p.toRelay().get(i), o.get(i), done, failures));
                }
                if (!failures.isEmpty()) {
                    headers = originalHeaders(p);
                }
            }
            attempts.add(new Attempt(p.submission(), p.original(), headers, results, failures, p.at()));
        }
        return attempts;
    }

    /** Routes each recipient of a submission; renders the message when some go to the relay. */
    private Prepared prepare(Outbox.Submission s) {
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
        if (toRelay.isEmpty()) {
            return new Prepared(s, original, results, toRelay, null, now);
        }
        // Rendered when its envelope goes out, and streamed into DATA: large attachments are never held whole.
        String mailFrom = original.from() != null && original.from().address() != null ? original.from().address() : "";
        return new Prepared(s, original, results, toRelay, new SmtpSession.Mail(mailFrom,
                toRelay.stream().map(Outbox.Entry::recipient).toList(), () -> mime(s, original)), now);
    }

    private MimeSource mime(Outbox.Submission s, Message original) {
        return StoredMime.submission(db, original, s.id(), s.hasAttachments());
    }

    /** The header section of the message as relayed, for the report of what bounced (rendered again: it is rare). */
    private String originalHeaders(Prepared p) {
        try {
            return mime(p.submission(), p.original()).headerSection();
        } catch (RuntimeException e) {
            log.warn("cannot render submission {} again for its report: {}", p.submission().id(), e.getMessage());
            return "";
        }
    }

    /**
     * One submission that cannot even be prepared (say its stored message cannot be read) is deferred like a
     * temporary failure with a backoff, so it does not stand first in line at every claim and hold up the rest.
     * Once its lifetime is over it simply ends as bounced: with no readable message there is no report to write.
     */
    private Attempt deferUnreadable(Outbox.Submission s, RuntimeException e) {
        log.error("cannot prepare submission {} for delivery; deferring it", s.id(), e);
        Instant now = clock.instant();
        String reply = "451 4.3.0 local error: " + e.getClass().getSimpleName();
        List<Outbox.Result> results = s.entries().stream().map(entry -> {
            Instant queuedAt = Instant.ofEpochMilli(entry.createdAt());
            return retry.expired(queuedAt, now)
                    ? new Outbox.Result(entry.id(), Outbox.BOUNCED, reply, true, null)
                    : new Outbox.Result(entry.id(), Outbox.DEFERRED, reply, true,
                    retry.nextAttempt(entry.attempts() + 1, queuedAt, now).toEpochMilli());
        }).toList();
        return new Attempt(s, null, "", results, Map.of(), now);
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
        long sleep = due == null ? SAFETY_POLL_MS : Math.max(1, Math.min(SAFETY_POLL_MS, due - now));
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
        if (subscription != null) {
            subscription.close();
        }
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
