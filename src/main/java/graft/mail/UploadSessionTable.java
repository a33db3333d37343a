package graft.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code upload_sessions} table. */
final class UploadSessionTable {
    private static final String COLUMNS = "id, secret_hash, mailbox_id, message_id, name, content_type, size, is_inline, "
            + "content_id, blob_id, received, next_seq, expires_at";

    private UploadSessionTable() {
    }

    static void insert(Connection c, UploadSession s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_sessions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.secretHash());
            ps.setString(3, s.mailboxId().toString());
            ps.setString(4, s.messageId().value());
            ps.setString(5, s.name());
            ps.setString(6, s.contentType());
            ps.setLong(7, s.size());
            ps.setInt(8, s.isInline() ? 1 : 0);
            ps.setString(9, s.contentId());
            ps.setString(10, s.blobId());
            ps.setLong(11, s.received());
            ps.setInt(12, s.nextSeq());
            ps.setLong(13, s.expiresAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    static Optional<UploadSession> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM upload_sessions WHERE id = ?")) {
            ps.setString(1, id);
            List<UploadSession> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }
    }

    static void advance(Connection c, String id, long received, int nextSeq, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE upload_sessions SET received = ?, next_seq = ?, expires_at = ? WHERE id = ?")) {
            ps.setLong(1, received);
            ps.setInt(2, nextSeq);
            ps.setLong(3, expiresAt.toEpochMilli());
            ps.setString(4, id);
            ps.executeUpdate();
        }
    }

    static void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM upload_sessions WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    static List<UploadSession> expired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM upload_sessions WHERE expires_at < ?")) {
            ps.setLong(1, now.toEpochMilli());
            return read(ps);
        }
    }

    private static List<UploadSession> read(PreparedStatement ps) throws SQLException {
        List<UploadSession> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new UploadSession(rs.getString(1), rs.getString(2), UUID.fromString(rs.getString(3)),
                        new MessageId(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getInt(8) != 0,
                        rs.getString(9), rs.getString(10), rs.getLong(11), rs.getInt(12), Instant.ofEpochMilli(rs.getLong(13))));
            }
        }
        return out;
    }
}
