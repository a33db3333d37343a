package graft.delivery;

import graft.mail.AttachmentTable;
import graft.store.Database;
import graft.store.Uuid7;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable queue of messages for recipients outside the tenant. A send writes here in the same transaction
 * that puts the message in Sent Items, so what was accepted is never lost.
 */
public final class Outbox {
    public static final String QUEUED = "queued";
    public static final String DEFERRED = "deferred";
    public static final String DELIVERED = "delivered";
    public static final String BOUNCED = "bounced";
    public static final String CAPTURED = "captured";
    /** Entries in these states are still the workers' to deliver. */
    static final String PENDING = "('" + QUEUED + "', '" + DEFERRED + "')";
    private static final String DUE = "state IN " + PENDING + " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)";

    private Outbox() {
    }

    /**
     * The message of a submission as sent, in Graph JSON: its own copy, or else its Sent Items message, which the
     * store copies into the submission before that message changes or goes (migration V6).
     */
    static final String SUBMITTED_CONTENT = "COALESCE(s.content, (SELECT m.content FROM messages m WHERE m.id = s.message_id))";

    /**
     * Records one submission and one queued entry per external recipient.
     * @param messageJson the message as sent, in Graph JSON; null when it is the Sent Items message {@code messageId},
     *                    written in the same transaction, so the store holds it once
     * @return the submission id
     */
    public static String enqueue(Connection c, UUID tenantId, UUID mailboxId, String messageId, String messageJson,
                                 Collection<String> recipients, long nowMillis) throws SQLException {
        String submissionId = Uuid7.random();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO submissions (id, tenant_id, mailbox_id, message_id, content, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, submissionId);
            ps.setString(2, tenantId.toString());
            ps.setString(3, mailboxId.toString());
            ps.setString(4, messageId);
            ps.setString(5, messageJson);
            ps.setLong(6, nowMillis);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (submission_id, recipient, state, attempts, "
                + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?)")) {
            for (String r : recipients) {
                ps.setString(1, submissionId);
                ps.setString(2, r);
                ps.setString(3, QUEUED);
                ps.setLong(4, nowMillis);
                ps.setLong(5, nowMillis);
                ps.setLong(6, nowMillis);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return submissionId;
    }

    /** A claimed entry: one recipient of one submission. */
    record Entry(long id, String recipient, int attempts, long createdAt) {
    }

    /** The message of submission {@code id} as sent, in Graph JSON; empty when there is no such submission. */
    public static Optional<String> submittedContent(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SUBMITTED_CONTENT + " FROM submissions s WHERE s.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A submitted message with the recipients of it that one worker claimed. */
    record Submission(String id, UUID tenantId, UUID mailboxId, String messageId, String content, boolean hasAttachments,
                      List<Entry> entries) {
    }

    /**
     * Claims up to {@code limit} due entries (on SQLite: the due entries of their submissions, so that one SMTP
     * transaction carries them all) for {@code token} until {@code leaseUntil}. Two workers, on one node or on several,
     * never hold the same entry; a claim that is not released by {@link #record} expires, and the entry is due again
     * (at-least-once).
     */
    static List<Submission> claim(Connection c, Database.Dialect dialect, String token, int limit, long now, long leaseUntil)
            throws SQLException {
        String update;
        if (dialect == Database.Dialect.POSTGRES) {
            // Queue semantics need READ COMMITTED (the first statement of the transaction): SKIP LOCKED passes over the
            // rows other claimers are taking right now, and a row another node claimed and committed since this
            // transaction's snapshot is re-checked against DUE and left out, where REPEATABLE READ would fail with 40001.
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            }
            update = "WITH picked AS (SELECT id FROM outbox WHERE " + DUE + " ORDER BY next_attempt_at, id LIMIT ? "
                    + "FOR UPDATE SKIP LOCKED) UPDATE outbox o SET claimed_by = ?, claimed_until = ? FROM picked WHERE o.id = picked.id";
        } else {
            // One writer at a time: the UPDATE's own check of DUE is all it takes.
            update = "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE " + DUE + " AND submission_id IN ("
                    + "SELECT submission_id FROM outbox WHERE " + DUE + " ORDER BY next_attempt_at LIMIT ?)";
        }
        try (PreparedStatement ps = c.prepareStatement(update)) {
            int i = 1;
            if (dialect == Database.Dialect.POSTGRES) {
                ps.setLong(i++, now);
                ps.setLong(i++, now);
                ps.setInt(i++, limit);
                ps.setString(i++, token);
                ps.setLong(i++, leaseUntil);
            } else {
                ps.setString(i++, token);
                ps.setLong(i++, leaseUntil);
                for (int k = 0; k < 4; k++) {
                    ps.setLong(i++, now);
                }
                ps.setInt(i++, limit);
            }
            if (ps.executeUpdate() == 0) {
                return List.of();
            }
        }
        Map<String, Submission> bySubmission = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.recipient, o.attempts, o.created_at, s.id, s.tenant_id, "
                + "s.mailbox_id, s.message_id, " + SUBMITTED_CONTENT + ", "
                + "EXISTS (SELECT 1 FROM attachments a WHERE a.owner_id = s.id) FROM outbox o JOIN submissions s ON s.id = o.submission_id "
                + "WHERE o.claimed_by = ? ORDER BY o.id")) {
            ps.setString(1, token);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sid = rs.getString(5);
                    Submission sub = bySubmission.get(sid);
                    if (sub == null) {
                        sub = new Submission(sid, UUID.fromString(rs.getString(6)), UUID.fromString(rs.getString(7)),
                                rs.getString(8), rs.getString(9), rs.getBoolean(10), new ArrayList<>());
                        bySubmission.put(sid, sub);
                    }
                    sub.entries().add(new Entry(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
                }
            }
        }
        return List.copyOf(bySubmission.values());
    }

    /**
     * The new state of one claimed entry. {@code attempted} counts an SMTP attempt; {@code nextAttemptAt} is
     * null when the entry is done.
     */
    record Result(long entryId, String state, String reply, boolean attempted, Long nextAttemptAt) {
    }

    /**
     * Records results and releases the claim, only where {@code token} still holds it (a worker whose lease
     * expired must not overwrite the outcome of the worker that took over).
     * @return the results that were recorded
     */
    static List<Result> record(Connection c, String token, List<Result> results, long now) throws SQLException {
        List<Result> recorded = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = ?, attempts = attempts + ?, last_reply = ?, "
                + "next_attempt_at = COALESCE(?, next_attempt_at), last_attempt_at = COALESCE(?, last_attempt_at), done_at = ?, "
                + "updated_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?")) {
            for (Result r : results) {
                boolean done = r.nextAttemptAt() == null;
                ps.setString(1, r.state());
                ps.setInt(2, r.attempted() ? 1 : 0);
                ps.setString(3, r.reply());
                setLong(ps, 4, r.nextAttemptAt());
                setLong(ps, 5, r.attempted() ? now : null);
                setLong(ps, 6, done ? now : null);
                ps.setLong(7, now);
                ps.setLong(8, r.entryId());
                ps.setString(9, token);
                if (ps.executeUpdate() == 1) {
                    recorded.add(r);
                }
            }
        }
        return recorded;
    }

    /** Moves the end of a claim still held by {@code token}. @return how many entries it holds */
    static int extend(Connection c, String token, long until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_until = ? WHERE claimed_by = ?")) {
            ps.setLong(1, until);
            ps.setString(2, token);
            return ps.executeUpdate();
        }
    }

    /** Gives back a claim without an attempt (a worker stopping, or a lease about to run out). */
    static void release(Connection c, String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?")) {
            ps.setString(1, token);
            ps.executeUpdate();
        }
    }

    /**
     * At start of a node that owns its store alone (SQLite): claims of the previous run are void, and entries held
     * for want of a relay (deferred, never attempted) are due now, in case a relay has been configured since.
     */
    static int recoverAfterStart(Connection c, boolean relayConfigured, long now) throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL")) {
            n = ps.executeUpdate();
        }
        if (relayConfigured) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET next_attempt_at = ? WHERE state = ? AND attempts = 0")) {
                ps.setLong(1, now);
                ps.setString(2, DEFERRED);
                ps.executeUpdate();
            }
        }
        return n;
    }

    /** Makes a queued or deferred entry due now (admin retry). @return false when no such pending entry exists */
    static boolean requeue(Connection c, long id, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = ?, next_attempt_at = ?, updated_at = ? "
                + "WHERE id = ? AND state IN " + PENDING)) {
            ps.setString(1, QUEUED);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setLong(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Forgets finished deliveries (delivered, bounced, captured) whose trace is older than {@code doneBefore}, at
     * most {@code limit} entries, then the submissions and attachment copies no entry refers to any more.
     * @return how many entries were removed
     */
    static int prune(Connection c, long doneBefore, int limit) throws SQLException {
        int removed;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                + "WHERE done_at IS NOT NULL AND done_at < ? ORDER BY done_at LIMIT ?)")) {
            ps.setLong(1, doneBefore);
            ps.setInt(2, limit);
            removed = ps.executeUpdate();
        }
        if (removed == 0) {
            return 0;
        }
        List<String> orphans = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.id FROM submissions s "
                + "WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.submission_id = s.id) LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    orphans.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM submissions WHERE id = ?")) {
            for (String id : orphans) {
                AttachmentTable.deleteAll(c, id);
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        return removed;
    }

    /** The earliest time any pending entry is due, or null when nothing is pending. */
    static Long nextDue(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at "
                + "THEN claimed_until ELSE next_attempt_at END) FROM outbox WHERE state IN " + PENDING);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
            return null;
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
