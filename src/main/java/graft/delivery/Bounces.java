package graft.delivery;

import graft.mail.ItemBody;
import graft.mail.Message;
import graft.mail.Recipient;
import graft.mail.SystemMessages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Non-delivery reports, as Exchange writes them: from the tenant's postmaster into the sender's Inbox, subject
 * "Undeliverable: …", naming each failed recipient with the reply that failed it. A report is put straight into
 * the mailbox and never goes through the outbox, so a report can never itself bounce (RFC 3464 / RFC 5321 6.2).
 */
final class Bounces {
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private Bounces() {
    }

    /** One failed recipient: why, and whether the reply came from the relay. */
    record Failure(String recipient, String reply, boolean expired, Instant lastAttempt) {
    }

    static Message report(Connection c, UUID senderMailbox, String tenantDomain, Message original, String originalHeaders,
                          List<Failure> failures, String remoteMta, Instant arrival, Instant now) throws SQLException {
        Recipient postmaster = new Recipient("Postmaster", "postmaster@" + tenantDomain);
        Recipient sender = original.from() != null ? original.from() : original.sender();
        String subject = "Undeliverable: " + original.subject();
        Message report = SystemMessages.deliverToInbox(c, senderMailbox, tenantDomain, postmaster, sender, subject,
                new ItemBody(true, html(original, failures)), "normal", now);
        DeliveryReports.insert(c, report, new DeliveryReports.Report(deliveryStatus(tenantDomain, failures, remoteMta, arrival),
                originalHeaders), now.toEpochMilli());
        return report;
    }

    private static String html(Message original, List<Failure> failures) {
        StringBuilder b = new StringBuilder("<html><body>\n");
        for (Failure f : failures) {
            b.append("<p><b>Your message to ").append(esc(f.recipient())).append(" couldn't be delivered.</b></p>\n");
            b.append(f.expired()
                    ? "<p>The message couldn't be delivered in time; delivery was attempted until it expired.</p>\n"
                    : "<p>The recipient's mail server rejected the message permanently.</p>\n");
            b.append("<p>Remote server returned: '").append(esc(f.reply())).append("'</p>\n");
        }
        b.append("<hr>\n<p>Original message subject: ").append(esc(original.subject())).append("<br>\n");
        b.append("Original message ID: ").append(esc(original.internetMessageId())).append("</p>\n</body></html>\n");
        return b.toString();
    }

    /** RFC 3464 2.2 and 2.3: per-message fields, a blank line, then one block per recipient. */
    static String deliveryStatus(String reportingMta, List<Failure> failures, String remoteMta, Instant arrival) {
        StringBuilder b = new StringBuilder();
        b.append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        b.append("Arrival-Date: ").append(RFC5322.format(arrival)).append("\r\n");
        for (Failure f : failures) {
            b.append("\r\n");
            b.append("Final-Recipient: rfc822; ").append(f.recipient()).append("\r\n");
            b.append("Action: failed\r\n");
            b.append("Status: ").append(f.expired() ? "4.4.7" : SmtpReply.enhancedStatusOf(f.reply())).append("\r\n");
            if (remoteMta != null) {
                b.append("Remote-MTA: dns; ").append(remoteMta).append("\r\n");
            }
            b.append("Diagnostic-Code: smtp; ").append(oneLine(f.reply())).append("\r\n");
            if (f.lastAttempt() != null) {
                b.append("Last-Attempt-Date: ").append(RFC5322.format(f.lastAttempt())).append("\r\n");
            }
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
