package graft.mime;

import graft.mail.Attachment;
import graft.mail.InternetMessageHeader;
import graft.mail.ItemBody;
import graft.mail.Message;
import graft.mail.Recipient;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Graph message as an RFC 5322 / MIME message, UTF-8 throughout and 7-bit clean on the wire: header text that
 * is not ASCII becomes RFC 2047 encoded-words, bodies are 7bit, quoted-printable or base64 as {@link TextBody}
 * chooses. There is never a Bcc header (RFC 5322 3.6.3 allows leaving it out; Exchange does). The message is
 * written once, straight into bytes; with attachments it is {@link #prepare prepared} and then streamed: file
 * content is read from its {@link AttachmentContent} and base64-encoded on the fly, so neither the SMTP relay nor
 * {@code GET .../$value} holds a large message whole, and its size is known without reading any file.
 * The structure follows Exchange: multipart/mixed around the body and the attachments, multipart/related
 * (RFC 2387) around the body and its inline images, multipart/alternative (text, then HTML) for an HTML body.
 */
public final class MimeRenderer {
    private MimeRenderer() {
    }

    public static byte[] render(Message m) {
        return write(m, body(m)).toByteArray();
    }

    /**
     * The message with its attachments, ready to be written any number of times; nothing of the attachments'
     * content is read until it is written.
     */
    public static MimeSource prepare(Message m, List<Attachment> attachments, AttachmentContent content) {
        return new Rendered(write(m, structure(m, attachments, content)), content);
    }

    public static void writeTo(Message m, OutputStream out) throws IOException {
        write(m, body(m)).writeTo(out, null);
    }

    /**
     * A non-delivery report as RFC 3464 {@code multipart/report; report-type=delivery-status}: the readable
     * report, the {@code message/delivery-status} fields, and the headers of the undelivered message.
     */
    public static byte[] renderReport(Message report, String deliveryStatus, String originalHeaders) {
        MimeEntity parts = MimeEntity.Multipart.of("report", List.of(body(report),
                        new MimeEntity.Ascii("message/delivery-status", deliveryStatus == null ? "" : deliveryStatus),
                        new MimeEntity.Ascii("text/rfc822-headers", originalHeaders == null ? "" : originalHeaders)),
                "report-type", "delivery-status");
        return write(report, parts).toByteArray();
    }

    /** The header section of the rendered message (for a report's text/rfc822-headers part). */
    public static String headerSection(byte[] rendered) {
        return MimeBuffer.headerSection(rendered, rendered.length);
    }

    /** base64 of {@code n} octets in 76-character lines, each ended by CRLF (RFC 2045 6.8). */
    static long base64Size(long n) {
        return Base64Lines.size(n);
    }

    private static MimeBuffer write(Message m, MimeEntity body) {
        MimeBuffer out = new MimeBuffer(2048 + body.sizeHint());
        writeMessage(m, body, out, new HeaderWriter(out));
        return out;
    }

    /** The body alone: text/plain, or multipart/alternative for HTML. */
    private static MimeEntity body(Message m) {
        ItemBody body = m.body() == null ? ItemBody.EMPTY : m.body();
        String content = body.content() == null ? "" : body.content();
        if (body.html()) {
            // RFC 2046 5.1.4: the plainest alternative first, the preferred (HTML) last.
            return MimeEntity.Multipart.of("alternative", List.of(MimeEntity.Text.of("plain", HtmlText.of(content)),
                    MimeEntity.Text.of("html", content)));
        }
        return MimeEntity.Text.of("plain", content);
    }

    private static MimeEntity structure(Message m, List<Attachment> attachments, AttachmentContent content) {
        List<MimeEntity> inline = new ArrayList<>();
        List<Attachment> attached = new ArrayList<>();
        for (Attachment a : attachments) {
            if (a.kind() == Attachment.Kind.FILE && a.isInline()) {
                inline.add(new MimeEntity.File(a));
            } else {
                attached.add(a);
            }
        }
        MimeEntity body = body(m);
        if (!inline.isEmpty()) {
            // RFC 2387 3.1: the root (the body) comes first, and "type" names its media type.
            List<MimeEntity> related = new ArrayList<>(inline.size() + 1);
            related.add(body);
            related.addAll(inline);
            body = MimeEntity.Multipart.of("related", related, "type", m.body() != null && m.body().html() ? "multipart/alternative" : "text/plain");
        }
        if (attached.isEmpty()) {
            return body;
        }
        List<MimeEntity> mixed = new ArrayList<>(attached.size() + 1);
        mixed.add(body);
        for (Attachment a : attached) {
            if (a.kind() == Attachment.Kind.FILE) {
                mixed.add(new MimeEntity.File(a));
            } else {
                Message item = content.item(a);
                mixed.add(new MimeEntity.Item(a.name(), item, body(item)));
            }
        }
        return MimeEntity.Multipart.of("mixed", mixed);
    }

    /** The message's header fields, in the order Jakarta Mail wrote them, then its body. */
    static void writeMessage(Message m, MimeEntity body, MimeBuffer out, HeaderWriter h) {
        // RFC 5322 3.6.1: Date is required; a message not sent yet is dated now.
        h.date("Date", m.sentDateTime() != null ? m.sentDateTime() : Instant.now());
        if (m.from() != null) {
            h.addresses("From", List.of(m.from()));
        }
        if (m.sender() != null && m.from() != null && !same(m.sender(), m.from())) {
            h.addresses("Sender", List.of(m.sender()));
        }
        h.addresses("Reply-To", m.replyTo());
        h.addresses("To", m.toRecipients());
        h.addresses("Cc", m.ccRecipients());
        h.field("Message-ID", messageId(m));
        if (m.inReplyTo() != null && !m.inReplyTo().isBlank()) {
            // RFC 5322 3.6.4: threading, so replies group with what they answer.
            h.folded("In-Reply-To", m.inReplyTo());
        }
        if (m.references() != null && !m.references().isBlank()) {
            h.folded("References", m.references());
        }
        h.unstructured("Subject", m.subject());
        h.field("MIME-Version", "1.0");
        body.headers(h);
        switch (m.importance() == null ? "normal" : m.importance().toLowerCase(Locale.ROOT)) {
            case "high" -> {
                h.field("Importance", "high");
                h.field("X-Priority", "1");
            }
            case "low" -> {
                h.field("Importance", "low");
                h.field("X-Priority", "5");
            }
            default -> { }
        }
        if (m.isReadReceiptRequested()) {
            Recipient to = m.from() != null ? m.from() : m.sender();
            if (to != null) {
                // RFC 8098: where the reader's client sends the read receipt.
                h.addresses("Disposition-Notification-To", List.of(to));
            }
        }
        String threadIndex = HeaderText.address(m.conversationIndex());
        if (!threadIndex.isEmpty()) {
            h.field("Thread-Index", threadIndex);
        }
        for (InternetMessageHeader x : m.internetMessageHeaders()) {
            // Only extension fields: a stored header can never replace From, To, Subject or a MIME field.
            if (HeaderText.isFieldName(x.name()) && x.name().regionMatches(true, 0, "x-", 0, 2)) {
                h.unstructured(x.name(), x.value());
            }
        }
        out.crlf();
        body.content(out, h);
    }

    /** The internetMessageId in angle brackets; one of our own where the message has none (RFC 5322 3.6.4). */
    private static String messageId(Message m) {
        String id = HeaderText.address(m.internetMessageId());
        return "<" + (id.isEmpty() ? MimeEntity.Multipart.random(18) + "@" + domain(m) : id) + ">";
    }

    /** The right side of a generated Message-ID: the sender's domain when it is a plain one. */
    private static String domain(Message m) {
        Recipient r = m.from() != null ? m.from() : m.sender();
        String address = r == null ? "" : HeaderText.address(r.address());
        String domain = address.substring(address.lastIndexOf('@') + 1);
        boolean plain = !domain.isEmpty() && domain.indexOf('@') < 0 && !domain.startsWith(".") && !domain.endsWith(".") && !domain.contains("..")
                && domain.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.');
        return plain && address.indexOf('@') > 0 ? domain : "graft";
    }

    private static boolean same(Recipient a, Recipient b) {
        return a.address() != null && a.address().equalsIgnoreCase(b.address());
    }

    /** A prepared message: its bytes, written with the files streamed into their places. */
    private record Rendered(MimeBuffer bytes, AttachmentContent content) implements MimeSource {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            bytes.writeTo(out, content);
        }

        /** Exact when each file holds as many octets as its stored size says; no file is read to know it. */
        @Override
        public long estimatedSize() {
            return bytes.writtenSize();
        }

        @Override
        public String headerSection() {
            return bytes.headerSection();
        }

        @Override
        public byte[] toBytes() {
            return bytes.hasHoles() ? MimeSource.super.toBytes() : bytes.toByteArray();
        }
    }
}
