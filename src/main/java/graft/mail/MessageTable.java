package graft.mail;

import graft.http.Json;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The {@code messages} table. Plain JDBC that runs unchanged on SQLite and PostgreSQL. */
final class MessageTable {
    private static final String COLUMNS = "id, mailbox_id, folder_id, change_key, created_at, modified_at, received_at, sent_at, "
            + "is_draft, is_read, has_attachments, importance, subject, from_address, from_name, internet_message_id, "
            + "conversation_id, content";
    private static final String INSERT = "INSERT INTO messages (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private MessageTable() {
    }

    static void insert(Connection c, Message m) throws SQLException {
        insert(c, m, content(m));
    }

    /** @param content the message in stored JSON ({@link #content}), when the caller has it already */
    static void insert(Connection c, Message m, String content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, m.id().value());
            ps.setString(2, m.mailboxId().toString());
            bindRest(ps, m, 3, content);
            ps.executeUpdate();
        }
    }

    /** Inserts messages in one batch; {@code contents} holds the stored JSON of each, in the same order. */
    static void insertAll(Connection c, List<Message> messages, List<String> contents) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                ps.setString(1, m.id().value());
                ps.setString(2, m.mailboxId().toString());
                bindRest(ps, m, 3, contents.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The stored JSON of a message. */
    static String content(Message m) {
        return new String(Json.bytes(g -> MessageJson.writeStored(g, m)), java.nio.charset.StandardCharsets.UTF_8);
    }

    static void update(Connection c, Message m) throws SQLException {
        update(c, m, content(m));
    }

    static void update(Connection c, Message m, String content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET folder_id = ?, change_key = ?, created_at = ?, "
                + "modified_at = ?, received_at = ?, sent_at = ?, is_draft = ?, is_read = ?, has_attachments = ?, importance = ?, "
                + "subject = ?, from_address = ?, from_name = ?, internet_message_id = ?, conversation_id = ?, content = ? "
                + "WHERE id = ? AND mailbox_id = ?")) {
            int next = bindRest(ps, m, 1, content);
            ps.setString(next, m.id().value());
            ps.setString(next + 1, m.mailboxId().toString());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("message " + m.id() + " vanished during an update");
            }
        }
    }

    /** Binds folder_id … content from {@code index} on; returns the next free index. */
    private static int bindRest(PreparedStatement ps, Message m, int index, String content) throws SQLException {
        int i = index;
        ps.setString(i++, m.folderId().value());
        ps.setString(i++, m.changeKey());
        ps.setLong(i++, m.createdDateTime().toEpochMilli());
        ps.setLong(i++, m.lastModifiedDateTime().toEpochMilli());
        ps.setLong(i++, m.receivedDateTime().toEpochMilli());
        if (m.sentDateTime() == null) {
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setLong(i++, m.sentDateTime().toEpochMilli());
        }
        ps.setInt(i++, m.isDraft() ? 1 : 0);
        ps.setInt(i++, m.isRead() ? 1 : 0);
        ps.setInt(i++, m.hasAttachments() ? 1 : 0);
        ps.setString(i++, m.importance());
        ps.setString(i++, m.subject());
        ps.setString(i++, m.from() == null || m.from().address() == null ? null : m.from().address().toLowerCase(Locale.ROOT));
        ps.setString(i++, m.from() == null ? null : m.from().name());
        ps.setString(i++, m.internetMessageId());
        ps.setString(i++, m.conversationId());
        ps.setString(i++, content);
        return i;
    }

    static Optional<Message> find(Connection c, UUID mailbox, MessageId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, mailbox_id, folder_id, content FROM messages WHERE id = ? AND mailbox_id = ?")) {
            ps.setString(1, id.value());
            ps.setString(2, mailbox.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static boolean delete(Connection c, UUID mailbox, MessageId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE id = ? AND mailbox_id = ?")) {
            ps.setString(1, id.value());
            ps.setString(2, mailbox.toString());
            return ps.executeUpdate() == 1;
        }
    }

    /** A page of a mailbox (or of one folder when {@code folder} is not null), filtered and ordered in SQL. */
    static List<Message> list(Connection c, UUID mailbox, FolderId folder, String where, List<Object> params,
                              String orderBy, int top, int skip) throws SQLException {
        String sql = "SELECT id, mailbox_id, folder_id, content FROM messages WHERE " + scope(folder)
                + (where.isEmpty() ? "" : " AND (" + where + ")") + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindScope(ps, mailbox, folder);
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            ps.setInt(i++, top);
            ps.setInt(i, skip);
            List<Message> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    static long count(Connection c, UUID mailbox, FolderId folder, String where, List<Object> params) throws SQLException {
        String sql = "SELECT COUNT(*) FROM messages WHERE " + scope(folder) + (where.isEmpty() ? "" : " AND (" + where + ")");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindScope(ps, mailbox, folder);
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String scope(FolderId folder) {
        return folder == null ? "mailbox_id = ?" : "mailbox_id = ? AND folder_id = ?";
    }

    private static int bindScope(PreparedStatement ps, UUID mailbox, FolderId folder) throws SQLException {
        ps.setString(1, mailbox.toString());
        if (folder == null) {
            return 2;
        }
        ps.setString(2, folder.value());
        return 3;
    }

    private static Message read(ResultSet rs) throws SQLException {
        try {
            return MessageJson.readStored(rs.getString(4), new MessageId(rs.getString(1)),
                    UUID.fromString(rs.getString(2)), new FolderId(rs.getString(3)));
        } catch (IOException e) {
            throw new SQLException("stored message " + rs.getString(1) + " is not valid JSON", e);
        }
    }

}
