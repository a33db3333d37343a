package graft.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code mail_folders} table, with item counts computed from {@code messages}. */
final class FolderTable {
    private static final String SELECT = "SELECT f.id, f.parent_id, f.display_name, f.is_hidden, "
            + "(SELECT COUNT(*) FROM mail_folders c WHERE c.parent_id = f.id), "
            + "(SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id), "
            + "(SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id AND m.is_read = 0) "
            + "FROM mail_folders f ";

    private FolderTable() {
    }

    /** Creates the well-known folders of a mailbox that do not exist yet; safe to run on every start and node. */
    static void provision(Connection c, UUID mailbox) throws SQLException {
        FolderId root = FolderId.of(mailbox, WellKnownFolder.MSGFOLDERROOT);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mail_folders (id, mailbox_id, parent_id, well_known, display_name, is_hidden) "
                + "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING")) {
            for (WellKnownFolder f : WellKnownFolder.values()) {
                ps.setString(1, FolderId.of(mailbox, f).value());
                ps.setString(2, mailbox.toString());
                ps.setString(3, f == WellKnownFolder.MSGFOLDERROOT ? null : root.value());
                ps.setString(4, f.wellKnownName());
                ps.setString(5, f.displayName());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static Optional<MailFolder> find(Connection c, UUID mailbox, FolderId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE f.mailbox_id = ? AND f.id = ?")) {
            ps.setString(1, mailbox.toString());
            ps.setString(2, id.value());
            List<MailFolder> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }
    }

    static List<MailFolder> children(Connection c, UUID mailbox, FolderId parent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE f.mailbox_id = ? AND f.parent_id = ? ORDER BY f.display_name")) {
            ps.setString(1, mailbox.toString());
            ps.setString(2, parent.value());
            return read(ps);
        }
    }

    static boolean exists(Connection c, UUID mailbox, FolderId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mail_folders WHERE mailbox_id = ? AND id = ?")) {
            ps.setString(1, mailbox.toString());
            ps.setString(2, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<MailFolder> read(PreparedStatement ps) throws SQLException {
        List<MailFolder> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String parent = rs.getString(2);
                out.add(new MailFolder(new FolderId(rs.getString(1)), parent == null ? null : new FolderId(parent),
                        rs.getString(3), rs.getInt(4) != 0, rs.getInt(5), rs.getInt(6), rs.getInt(7)));
            }
        }
        return out;
    }
}
