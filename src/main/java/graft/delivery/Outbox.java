package graft.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * The durable queue of messages for recipients outside the tenant. A send writes here in the same transaction
 * that puts the message in Sent Items, so what was accepted is never lost.
 */
public final class Outbox {
    public static final String QUEUED = "queued";

    private Outbox() {
    }

    /**
     * Records one submission (the message as sent, in Graph JSON) and one queued entry per external recipient.
     * @return the submission id
     */
    public static String enqueue(Connection c, UUID tenantId, UUID mailboxId, String messageId, String messageJson,
                                 Collection<String> recipients, long nowMillis) throws SQLException {
        String submissionId = UUID.randomUUID().toString();
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
}
