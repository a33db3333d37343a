package graft.delivery;

import graft.mail.Message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The RFC 3464 parts of the non-delivery reports in mailboxes. The report itself is an ordinary Graph message;
 * this table holds what its MIME form needs beyond that, so {@link #mime} renders it as multipart/report.
 */
public final class DeliveryReports {
    private DeliveryReports() {
    }

    public record Report(String deliveryStatus, String originalHeaders) {
    }

    static void insert(Connection c, Message report, Report parts, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_reports (message_id, mailbox_id, delivery_status, "
                + "original_headers, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, report.id().value());
            ps.setString(2, report.mailboxId().toString());
            ps.setString(3, parts.deliveryStatus());
            ps.setString(4, parts.originalHeaders());
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    public static Optional<Report> find(Connection c, Message m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery_status, original_headers FROM delivery_reports "
                + "WHERE message_id = ? AND mailbox_id = ?")) {
            ps.setString(1, m.id().value());
            ps.setString(2, m.mailboxId().toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Report(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }
}
