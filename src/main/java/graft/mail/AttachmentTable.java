package graft.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code attachments} table; content is in {@link BlobTable}. */
public final class AttachmentTable {
    private static final String COLUMNS = "id, owner_id, kind, name, content_type, size, is_inline, content_id, modified_at, blob_id, item";

    private AttachmentTable() {
    }

    static void insert(Connection c, Attachment a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attachments (" + COLUMNS + ", position) VALUES (?,?,?,?,?,?,?,?,?,?,?,"
                + "(SELECT COALESCE(MAX(position), 0) + 1 FROM attachments WHERE owner_id = ?))")) {
            ps.setString(1, a.id().value());
            ps.setString(2, a.ownerId());
            ps.setString(3, a.kind().name());
            ps.setString(4, a.name());
            ps.setString(5, a.contentType());
            ps.setLong(6, a.size());
            ps.setInt(7, a.isInline() ? 1 : 0);
            ps.setString(8, a.contentId());
            ps.setLong(9, a.lastModifiedDateTime().toEpochMilli());
            if (a.blobId() == null) {
                ps.setNull(10, Types.VARCHAR);
            } else {
                ps.setString(10, a.blobId());
            }
            ps.setString(11, a.item());
            ps.setString(12, a.ownerId());
            ps.executeUpdate();
        }
    }

    /** The attachments of a message or submission, in the order they were added. */
    public static List<Attachment> list(Connection c, String ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM attachments WHERE owner_id = ? ORDER BY position")) {
            ps.setString(1, ownerId);
            return read(ps);
        }
    }

    static Optional<Attachment> find(Connection c, String ownerId, AttachmentId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM attachments WHERE owner_id = ? AND id = ?")) {
            ps.setString(1, ownerId);
            ps.setString(2, id.value());
            List<Attachment> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }
    }

    static void delete(Connection c, Attachment a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM attachments WHERE id = ?")) {
            ps.setString(1, a.id().value());
            ps.executeUpdate();
        }
        if (a.blobId() != null) {
            BlobTable.deleteUnreferenced(c, a.blobId());
        }
    }

    public static void deleteAll(Connection c, String ownerId) throws SQLException {
        for (Attachment a : list(c, ownerId)) {
            delete(c, a);
        }
    }

    /** Gives {@code toOwner} the same attachments (new ids, shared content). */
    public static void copyAll(Connection c, String fromOwner, String toOwner) throws SQLException {
        for (Attachment a : list(c, fromOwner)) {
            insert(c, new Attachment(AttachmentId.random(), toOwner, a.kind(), a.name(), a.contentType(), a.size(),
                    a.isInline(), a.contentId(), a.lastModifiedDateTime(), a.blobId(), a.item()));
        }
    }

    static long totalSize(Connection c, String ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE owner_id = ?")) {
            ps.setString(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Graph's hasAttachments: true when any attachment is not inline. */
    static boolean hasVisible(Connection c, String ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM attachments WHERE owner_id = ? AND is_inline = 0")) {
            ps.setString(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Attachment> read(PreparedStatement ps) throws SQLException {
        List<Attachment> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Attachment(new AttachmentId(rs.getString(1)), rs.getString(2), Attachment.Kind.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getLong(6), rs.getInt(7) != 0, rs.getString(8),
                        Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10), rs.getString(11)));
            }
        }
        return out;
    }
}
