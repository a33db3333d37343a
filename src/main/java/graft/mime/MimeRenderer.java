package graft.mime;

import graft.mail.InternetMessageHeader;
import graft.mail.Message;
import graft.mail.Recipient;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A Graph message as an RFC 5322 / MIME message, UTF-8 throughout and 7-bit clean on the wire: header text that
 * is not ASCII becomes RFC 2047 encoded-words, bodies are quoted-printable or base64 as Angus Mail chooses.
 * There is never a Bcc header (RFC 5322 3.6.3 allows leaving it out; Exchange does). Render once per message
 * and reuse the bytes: the SMTP relay sends them and {@code GET .../$value} can return them.
 */
public final class MimeRenderer {
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeRenderer() {
    }

    public static byte[] render(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048 + m.body().content().length() * 2);
        try {
            writeTo(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void writeTo(Message m, OutputStream out) throws IOException {
        try {
            MimeMessage mime = headers(m);
            setBody(mime, m);
            write(mime, out);
        } catch (MessagingException e) {
            throw new IOException("cannot render message " + m.id() + " as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * A non-delivery report as RFC 3464 {@code multipart/report; report-type=delivery-status}: the readable
     * report, the {@code message/delivery-status} fields, and the headers of the undelivered message.
     */
    public static byte[] renderReport(Message report, String deliveryStatus, String originalHeaders) {
        try {
            MimeMessage mime = headers(report);
            MimeMultipart multipart = new MimeMultipart("report");
            multipart.addBodyPart(bodyPart(report));
            multipart.addBodyPart(asciiPart("message/delivery-status", deliveryStatus));
            multipart.addBodyPart(asciiPart("text/rfc822-headers", originalHeaders));
            mime.setContent(multipart);
            mime.saveChanges();
            String type = mime.getHeader("Content-Type", null);
            mime.setHeader("Content-Type", MimeUtility.fold(14, type + "; report-type=delivery-status"));
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            write(mime, out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot render report " + report.id() + ": " + e.getMessage(), e);
        }
    }

    /** The header section of the rendered message (for a report's text/rfc822-headers part). */
    public static String headerSection(byte[] rendered) {
        String s = new String(rendered, StandardCharsets.US_ASCII);
        int end = s.indexOf("\r\n\r\n");
        return end < 0 ? s : s.substring(0, end + 2);
    }

    private static void write(MimeMessage mime, OutputStream out) throws IOException, MessagingException {
        CrlfOutputStream crlf = new CrlfOutputStream(out);
        mime.writeTo(crlf);
        crlf.flush();
    }

    private static MimeMessage headers(Message m) throws MessagingException {
        MimeMessage mime = new FixedIdMessage(HeaderText.address(HeaderText.oneLine(m.internetMessageId())));
        if (m.sentDateTime() != null) {
            mime.setSentDate(Date.from(m.sentDateTime()));
        }
        if (m.from() != null) {
            mime.setFrom(address(m.from()));
        }
        if (m.sender() != null && m.from() != null && !same(m.sender(), m.from())) {
            mime.setSender(address(m.sender()));
        }
        setAddresses(mime, "To", m.toRecipients());
        setAddresses(mime, "Cc", m.ccRecipients());
        setAddresses(mime, "Reply-To", m.replyTo());
        mime.setHeader("Subject", MimeUtility.fold(9, HeaderText.unstructured(m.subject())));
        switch (m.importance() == null ? "normal" : m.importance().toLowerCase(Locale.ROOT)) {
            case "high" -> {
                mime.setHeader("Importance", "high");
                mime.setHeader("X-Priority", "1");
            }
            case "low" -> {
                mime.setHeader("Importance", "low");
                mime.setHeader("X-Priority", "5");
            }
            default -> { }
        }
        if (m.isReadReceiptRequested()) {
            Recipient to = m.from() != null ? m.from() : m.sender();
            if (to != null) {
                // RFC 8098: where the reader's client sends the read receipt.
                mime.setHeader("Disposition-Notification-To", address(to).toString());
            }
        }
        if (m.conversationIndex() != null && !m.conversationIndex().isEmpty()) {
            mime.setHeader("Thread-Index", HeaderText.address(m.conversationIndex()));
        }
        for (InternetMessageHeader h : m.internetMessageHeaders()) {
            // Only extension fields: a stored header can never replace From, To, Subject or a MIME field.
            if (HeaderText.isFieldName(h.name()) && h.name().regionMatches(true, 0, "x-", 0, 2)) {
                mime.addHeader(h.name(), MimeUtility.fold(h.name().length() + 2, HeaderText.unstructured(h.value())));
            }
        }
        return mime;
    }

    private static void setBody(MimeMessage mime, Message m) throws MessagingException {
        if (m.body().html()) {
            mime.setContent(alternative(m.body().content()));
        } else {
            mime.setText(canonical(m.body().content()), "UTF-8", "plain");
        }
        mime.saveChanges();
    }

    private static MimeBodyPart bodyPart(Message m) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        if (m.body().html()) {
            part.setContent(alternative(m.body().content()));
        } else {
            part.setText(canonical(m.body().content()), "UTF-8", "plain");
        }
        return part;
    }

    /** RFC 2046 5.1.4: the plainest alternative first, the preferred (HTML) last. */
    private static MimeMultipart alternative(String html) throws MessagingException {
        MimeMultipart alt = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(canonical(HtmlText.of(html)), "UTF-8", "plain");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(canonical(html), "UTF-8", "html");
        alt.addBodyPart(text);
        alt.addBodyPart(rich);
        return alt;
    }

    /** RFC 2045 6.7 / 2046 4.1.1: text is encoded from its canonical form, with CRLF line breaks. */
    private static String canonical(String text) {
        return text.replaceAll("\r\n|\r|\n", "\r\n");
    }

    private static MimeBodyPart asciiPart(String type, String content) throws MessagingException {
        InternetHeaders h = new InternetHeaders();
        h.setHeader("Content-Type", type);
        h.setHeader("Content-Transfer-Encoding", "7bit");
        String ascii = content.replaceAll("[^\\x09\\x0A\\x0D\\x20-\\x7E]", "?").replaceAll("\\r?\\n", "\r\n");
        return new MimeBodyPart(h, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    private static void setAddresses(MimeMessage mime, String field, List<Recipient> recipients) throws MessagingException {
        if (recipients.isEmpty()) {
            return;
        }
        List<InternetAddress> list = new ArrayList<>();
        for (Recipient r : recipients) {
            list.add(address(r));
        }
        mime.setHeader(field, MimeUtility.fold(field.length() + 2, InternetAddress.toString(list.toArray(new InternetAddress[0]))));
    }

    /** The display name is RFC 2047-encoded when not ASCII; it is left out when it only repeats the address. */
    static InternetAddress address(Recipient r) {
        InternetAddress a = new InternetAddress();
        String addr = HeaderText.address(r.address());
        a.setAddress(addr);
        String name = HeaderText.oneLine(r.name()).strip();
        if (!name.isEmpty() && !name.equalsIgnoreCase(addr)) {
            try {
                a.setPersonal(name, "UTF-8");
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
        return a;
    }

    private static boolean same(Recipient a, Recipient b) {
        return a.address() != null && a.address().equalsIgnoreCase(b.address());
    }

    /** Keeps the Graph message's internetMessageId where Jakarta Mail would invent a new Message-ID on save. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (messageId.isEmpty()) {
                super.updateMessageID();
            } else {
                setHeader("Message-ID", messageId.startsWith("<") ? messageId : "<" + messageId + ">");
            }
        }
    }
}
