package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.Json;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The message trace: per recipient of every relayed submission, its state, attempts, last reply and times. */
final class Trace {
    static final int DEFAULT_TOP = 100;
    static final int MAX_TOP = 1000;

    private Trace() {
    }

    record Row(long id, String recipient, String state, int attempts, String lastReply, long createdAt, long updatedAt,
               Long lastAttemptAt, Long nextAttemptAt, Long doneAt, String messageId, String internetMessageId,
               String sender, String subject) {
    }

    record Query(String recipient, String state, String messageId, boolean pendingOnly, int top) {
    }

    static List<Row> list(Connection c, Query q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT o.id, o.recipient, o.state, o.attempts, o.last_reply, o.created_at, o.updated_at, "
                + "o.last_attempt_at, o.next_attempt_at, o.done_at, s.message_id, " + Outbox.SUBMITTED_CONTENT + " FROM outbox o "
                + "JOIN submissions s ON s.id = o.submission_id WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.pendingOnly()) {
            sql.append(" AND o.state IN ").append(Outbox.PENDING);
        }
        if (q.recipient() != null) {
            sql.append(" AND LOWER(o.recipient) = ?");
            params.add(q.recipient().toLowerCase(Locale.ROOT));
        }
        if (q.state() != null) {
            sql.append(" AND o.state = ?");
            params.add(q.state());
        }
        if (q.messageId() != null) {
            sql.append(" AND s.message_id = ?");
            params.add(q.messageId());
        }
        sql.append(q.pendingOnly() ? " ORDER BY o.next_attempt_at, o.id" : " ORDER BY o.id DESC").append(" LIMIT ?");
        params.add(q.top());
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode m = parse(rs.getString(12));
                    boolean pending = Outbox.QUEUED.equals(rs.getString(3)) || Outbox.DEFERRED.equals(rs.getString(3));
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7), nullableLong(rs, 8), pending ? nullableLong(rs, 9) : null, nullableLong(rs, 10),
                            rs.getString(11), m.path("internetMessageId").asText(null),
                            m.path("from").path("emailAddress").path("address").asText(null), m.path("subject").asText(null)));
                }
            }
        }
        return rows;
    }

    /** Queue gauges: entries by state, and the age of the oldest entry still to deliver. */
    record Gauges(Map<String, Long> byState, Long oldestPendingCreatedAt) {
        long pending() {
            return byState.getOrDefault(Outbox.QUEUED, 0L) + byState.getOrDefault(Outbox.DEFERRED, 0L);
        }
    }

    static Gauges gauges(Connection c) throws SQLException {
        Map<String, Long> byState = new TreeMap<>();
        for (String s : List.of(Outbox.QUEUED, Outbox.DEFERRED, Outbox.DELIVERED, Outbox.BOUNCED, Outbox.CAPTURED)) {
            byState.put(s, 0L);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM outbox GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byState.put(rs.getString(1), rs.getLong(2));
            }
        }
        Long oldest = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(created_at) FROM outbox WHERE state IN " + Outbox.PENDING);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                oldest = nullableLong(rs, 1);
            }
        }
        return new Gauges(byState, oldest);
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
