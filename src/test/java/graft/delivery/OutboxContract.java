package graft.delivery;

import graft.store.Database;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox as the delivery workers of one or several nodes share it: a claim is exclusive, an expired claim passes
 * to another claimer, and only the holder of a claim records its outcome. Run by every store's test class.
 * <p>Each test works in a window of time of its own, far before now and before the windows of earlier tests, so that
 * the entries of other tests on the same database are never due for it.
 */
public interface OutboxContract {
    AtomicLong WINDOWS = new AtomicLong(1_000_000_000_000L);
    long WINDOW = 1_000_000_000L;

    Database db();

    /** Another node's {@link Database} on the same data, closed by the caller. */
    Database openAnother();

    @Test
    default void claimersOnTwoNodesNeverHoldTheSameEntryAndTogetherTakeThemAll() throws Exception {
        long t = WINDOWS.addAndGet(-WINDOW);
        Set<Long> all = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            all.addAll(enqueue(db(), t, "a" + i + "@example.net", "b" + i + "@example.org"));
        }
        Map<Long, String> holder = new ConcurrentHashMap<>();
        List<Long> doubly = new ArrayList<>();
        try (Database other = openAnother(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                Database node = w % 2 == 0 ? db() : other;
                String worker = "node" + (w % 2) + "-worker" + w;
                done.add(threads.submit(() -> {
                    while (true) {
                        String token = worker + "-" + UUID.randomUUID();
                        List<Outbox.Submission> got = node.write(c -> Outbox.claim(c, node.dialect(), token, 3, t, t + 60_000));
                        if (got.isEmpty()) {
                            return null;
                        }
                        for (Outbox.Submission s : got) {
                            for (Outbox.Entry e : s.entries()) {
                                if (holder.putIfAbsent(e.id(), token) != null) {
                                    synchronized (doubly) {
                                        doubly.add(e.id());
                                    }
                                }
                            }
                        }
                        // Held, not yet recorded: a claim is exclusive while it lasts, not only until it is released.
                        node.write(c -> Outbox.record(c, token, got.stream().flatMap(s -> s.entries().stream())
                                .map(e -> new Outbox.Result(e.id(), Outbox.DELIVERED, "250 ok", true, null)).toList(), t + 1));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(doubly).as("entries claimed twice").isEmpty();
        assertThat(holder.keySet()).isEqualTo(all);
        assertThat(states(all)).containsOnly(Outbox.DELIVERED);
    }

    @Test
    default void anExpiredClaimIsTakenOverAndItsFormerHolderCannotRecord() {
        long t = WINDOWS.addAndGet(-WINDOW);
        List<Long> ids = enqueue(db(), t, "late@example.net");
        try (Database other = openAnother()) {
            List<Outbox.Submission> first = db().write(c -> Outbox.claim(c, db().dialect(), "dead-node", 10, t, t + 1_000));
            assertThat(entryIds(first)).isEqualTo(ids);

            List<Outbox.Submission> early = other.write(c -> Outbox.claim(c, other.dialect(), "survivor", 10, t + 999, t + 2_000));
            assertThat(early).as("still leased").isEmpty();
            List<Outbox.Submission> taken = other.write(c -> Outbox.claim(c, other.dialect(), "survivor", 10, t + 1_001, t + 2_000));
            assertThat(entryIds(taken)).isEqualTo(ids);
            assertThat(taken.getFirst().entries().getFirst().attempts()).isZero();

            List<Outbox.Result> late = db().write(c -> Outbox.record(c, "dead-node",
                    List.of(new Outbox.Result(ids.getFirst(), Outbox.BOUNCED, "550 late", true, null)), t + 1_100));
            assertThat(late).as("the expired holder's outcome is refused").isEmpty();
            List<Outbox.Result> recorded = other.write(c -> Outbox.record(c, "survivor",
                    List.of(new Outbox.Result(ids.getFirst(), Outbox.DELIVERED, "250 ok", true, null)), t + 1_200));
            assertThat(recorded).hasSize(1);
        }
        assertThat(states(ids)).containsExactly(Outbox.DELIVERED);
        List<Outbox.Submission> after = db().write(c -> Outbox.claim(c, db().dialect(), "later", 10, t + 10_000, t + 20_000));
        assertThat(after).as("delivered is done").isEmpty();
    }

    @Test
    default void recordedOutcomesDecideWhetherAndWhenAnEntryIsClaimedAgain() {
        long t = WINDOWS.addAndGet(-WINDOW);
        List<Long> ids = enqueue(db(), t, "done@example.net", "retry@example.net", "given-back@example.net");
        List<Outbox.Submission> got = db().write(c -> Outbox.claim(c, db().dialect(), "w1", 10, t, t + 1_000));
        assertThat(entryIds(got)).containsExactlyInAnyOrderElementsOf(ids);
        db().write(c -> {
            Outbox.record(c, "w1", List.of(new Outbox.Result(ids.get(0), Outbox.DELIVERED, "250 ok", true, null),
                    new Outbox.Result(ids.get(1), Outbox.DEFERRED, "451 later", true, t + 500)), t + 10);
            Outbox.release(c, "w1"); // the third was not attempted: given back, due at once
            return null;
        });

        List<Outbox.Submission> again = db().write(c -> Outbox.claim(c, db().dialect(), "w2", 10, t + 20, t + 1_000));
        assertThat(entryIds(again)).as("only what was given back").containsExactly(ids.get(2));
        assertThat(again.getFirst().entries().getFirst().attempts()).isZero();
        db().write(c -> {
            Outbox.release(c, "w2");
            return null;
        });

        List<Outbox.Submission> later = db().write(c -> Outbox.claim(c, db().dialect(), "w3", 10, t + 500, t + 1_500));
        assertThat(entryIds(later)).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        Outbox.Entry retried = later.stream().flatMap(s -> s.entries().stream()).filter(e -> e.id() == ids.get(1)).findFirst().orElseThrow();
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(states(ids)).containsExactly(Outbox.DELIVERED, Outbox.DEFERRED, Outbox.QUEUED);
    }

    @Test
    default void anExtendedClaimIsNotTakenOverWhenItsFirstLeaseRunsOut() {
        long t = WINDOWS.addAndGet(-WINDOW);
        List<Long> ids = enqueue(db(), t, "slow@example.net");
        String first = "slow-" + UUID.randomUUID();
        List<Outbox.Submission> claimed = db().write(c -> Outbox.claim(c, db().dialect(), first, 10, t, t + 1_000));
        assertThat(claimed).isNotEmpty();

        int extended = db().write(c -> Outbox.extend(c, first, t + 10_000));
        assertThat(extended).isEqualTo(1);

        String second = "eager-" + UUID.randomUUID();
        List<Outbox.Submission> taken = db().write(c -> Outbox.claim(c, db().dialect(), second, 10, t + 5_000, t + 65_000));
        assertThat(taken).isEmpty();
        List<Outbox.Result> recorded = db().write(c -> Outbox.record(c, first,
                List.of(new Outbox.Result(ids.getFirst(), Outbox.DELIVERED, "250 ok", true, null)), t + 6_000));
        assertThat(recorded).hasSize(1);
        assertThat(states(ids)).containsExactly(Outbox.DELIVERED);
    }

    @Test
    default void finishedEntriesOlderThanTheRetentionArePrunedWithTheirSubmission() {
        long t = WINDOWS.addAndGet(-WINDOW);
        List<Long> old = enqueue(db(), t, "old@example.net");
        List<Long> pending = enqueue(db(), t, "pending@example.net");
        String token = "pruner-" + UUID.randomUUID();
        List<Outbox.Submission> claimed = db().write(c -> Outbox.claim(c, db().dialect(), token, 10, t, t + 60_000));
        db().write(c -> Outbox.record(c, token, claimed.stream().flatMap(s -> s.entries().stream())
                .filter(e -> old.contains(e.id()))
                .map(e -> new Outbox.Result(e.id(), Outbox.DELIVERED, "250 ok", true, null)).toList(), t + 1));
        db().write(c -> {
            Outbox.release(c, token);
            return null;
        });

        int removed = db().write(c -> Outbox.prune(c, t + 2, 1000));

        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(states(old)).containsOnlyNulls();
        assertThat(states(pending)).containsOnly(Outbox.QUEUED);
        long orphans = db().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS "
                    + "(SELECT 1 FROM outbox o WHERE o.submission_id = s.id)"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(orphans).as("submissions left without entries").isZero();
    }

    private List<Long> enqueue(Database db, long t, String... recipients) {
        String submission = db.write(c -> Outbox.enqueue(c, UUID.randomUUID(), UUID.randomUUID(), "m-" + UUID.randomUUID(),
                "{\"subject\":\"contract\"}", List.of(recipients), t));
        return db.read(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM outbox WHERE submission_id = ? ORDER BY id")) {
                ps.setString(1, submission);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    private List<String> states(java.util.Collection<Long> ids) {
        return db().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM outbox WHERE id = ?")) {
                for (long id : ids.stream().sorted().toList()) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        out.add(rs.next() ? rs.getString(1) : null);
                    }
                }
            }
            return out;
        });
    }

    private static List<Long> entryIds(List<Outbox.Submission> claimed) {
        return claimed.stream().flatMap(s -> s.entries().stream()).map(Outbox.Entry::id).sorted().toList();
    }
}
