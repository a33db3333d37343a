package graft.mime;

import graft.mail.Attachment;
import graft.mail.InternetMessageHeader;
import graft.mail.Message;
import graft.mail.Recipient;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.internet.ParseException;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A Graph message as an RFC 5322 / MIME message, UTF-8 throughout and 7-bit clean on the wire: header text that
 * is not ASCII becomes RFC 2047 encoded-words, bodies are quoted-printable or base64 as Angus Mail chooses.
 * There is never a Bcc header (RFC 5322 3.6.3 allows leaving it out; Exchange does). With attachments the
 * message is {@link #prepare prepared} and then streamed: file content is read from its {@link AttachmentContent}
 * and base64-encoded on the fly, so neither the SMTP relay nor {@code GET .../$value} holds a large message whole.
 * The structure follows Exchange: multipart/mixed around the body and the attachments, multipart/related
 * (RFC 2387) around the body and its inline images, multipart/alternative (text, then HTML) for an HTML body.
 */
public final class MimeRenderer {
    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // Jakarta Mail 2.1 looks its StreamProvider up on every encode, through the ServiceLoader (a scan of the
        // jar) unless this property names the class (jakartaee/mail-api#861); naming it makes that a class lookup.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

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

    /**
     * The message with its attachments, ready to be written any number of times; nothing of the attachments'
     * content is read until it is written.
     */
    public static MimeSource prepare(Message m, List<Attachment> attachments, AttachmentContent content) {
        try {
            return new Prepared(build(m, attachments, content), m, attachments, content);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot render message " + m.id() + " as MIME: " + e.getMessage(), e);
        }
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
        // Jakarta Mail writes a base64 body one 76-character line at a time: gather lines into larger writes.
        OutputStream buffered = new BufferedOutputStream(new CrlfOutputStream(out), 64 * 1024);
        mime.writeTo(buffered);
        buffered.flush();
    }

    private static MimeMessage build(Message m, List<Attachment> attachments, AttachmentContent content) throws MessagingException {
        MimeMessage mime = headers(m);
        List<Attachment> inline = new ArrayList<>();
        List<Attachment> attached = new ArrayList<>();
        for (Attachment a : attachments) {
            (a.kind() == Attachment.Kind.FILE && a.isInline() ? inline : attached).add(a);
        }
        if (inline.isEmpty() && attached.isEmpty()) {
            setBody(mime, m);
            return mime;
        }
        MimeBodyPart body = bodyPart(m);
        MimeMultipart outer = null;
        if (!inline.isEmpty()) {
            // RFC 2387 3.1: the root (the body) comes first, and "type" names its media type.
            MimeMultipart related = new RelatedMultipart(m.body().html() ? "multipart/alternative" : "text/plain");
            related.addBodyPart(body);
            for (Attachment a : inline) {
                related.addBodyPart(filePart(a, content));
            }
            outer = related;
        }
        if (!attached.isEmpty()) {
            MimeMultipart mixed = new MimeMultipart("mixed");
            if (outer == null) {
                mixed.addBodyPart(body);
            } else {
                MimeBodyPart wrapper = new MimeBodyPart();
                wrapper.setContent(outer);
                mixed.addBodyPart(wrapper);
            }
            for (Attachment a : attached) {
                mixed.addBodyPart(a.kind() == Attachment.Kind.FILE ? filePart(a, content) : itemPart(a, content));
            }
            outer = mixed;
        }
        mime.setContent(outer);
        mime.saveChanges();
        return mime;
    }

    /**
     * A file as a base64 part (RFC 2045 6.8) whose content is read only when written. The Content-Type and the
     * transfer encoding are set here, so Jakarta Mail never reads the content to choose them; a name that is not
     * ASCII is an RFC 2231 parameter.
     */
    private static MimeBodyPart filePart(Attachment a, AttachmentContent content) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        String name = HeaderText.oneLine(a.name()).strip();
        ContentType type = contentType(a.contentType());
        if (!name.isEmpty()) {
            type.getParameterList().set("name", name, "UTF-8");
        }
        part.setDataHandler(new DataHandler(new StoredFile(a, content, type.toString())));
        part.setHeader("Content-Type", type.toString());
        part.setHeader("Content-Transfer-Encoding", "base64");
        ParameterList params = new ParameterList();
        if (!name.isEmpty()) {
            params.set("filename", name, "UTF-8");
        }
        part.setHeader("Content-Disposition", new ContentDisposition(a.isInline() ? Part.INLINE : Part.ATTACHMENT, params).toString());
        String cid = HeaderText.address(HeaderText.oneLine(a.contentId()));
        if (!cid.isEmpty()) {
            part.setContentID("<" + cid + ">");
        }
        return part;
    }

    /** An item attachment as message/rfc822 (RFC 2046 5.2.1): the attached message rendered in full. */
    private static MimeBodyPart itemPart(Attachment a, AttachmentContent content) throws MessagingException {
        Message item = content.item(a);
        MimeMessage nested = headers(item);
        setBody(nested, item);
        MimeBodyPart part = new MimeBodyPart();
        part.setContent(nested, "message/rfc822");
        part.setHeader("Content-Type", "message/rfc822");
        // RFC 2046 5.2.1: only 7bit, 8bit or binary; the rendering is 7-bit clean.
        part.setHeader("Content-Transfer-Encoding", "7bit");
        ParameterList params = new ParameterList();
        String name = HeaderText.oneLine(a.name()).strip();
        if (!name.isEmpty()) {
            params.set("filename", name, "UTF-8");
        }
        part.setHeader("Content-Disposition", new ContentDisposition(Part.ATTACHMENT, params).toString());
        return part;
    }

    /** The stored media type without any parameter a client put there; anything unparsable is octet-stream. */
    private static ContentType contentType(String stored) {
        try {
            ContentType t = new ContentType(HeaderText.oneLine(stored == null || stored.isBlank() ? "application/octet-stream" : stored));
            if (t.getPrimaryType() == null || t.getSubType() == null || t.getPrimaryType().equalsIgnoreCase("multipart")) {
                return new ContentType("application", "octet-stream", new ParameterList());
            }
            return new ContentType(t.getPrimaryType().toLowerCase(Locale.ROOT), t.getSubType().toLowerCase(Locale.ROOT), new ParameterList());
        } catch (ParseException e) {
            return new ContentType("application", "octet-stream", new ParameterList());
        }
    }

    /** base64 of {@code n} octets in 76-character lines, each ended by CRLF (RFC 2045 6.8). */
    static long base64Size(long n) {
        long chars = 4 * ((n + 2) / 3);
        return chars + 2 * ((chars + 75) / 76);
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
        if (m.inReplyTo() != null && !m.inReplyTo().isBlank()) {
            // RFC 5322 3.6.4: threading, so replies group with what they answer.
            mime.setHeader("In-Reply-To", HeaderText.oneLine(m.inReplyTo()));
        }
        if (m.references() != null && !m.references().isBlank()) {
            mime.setHeader("References", MimeUtility.fold(12, HeaderText.oneLine(m.references())));
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
        StringBuilder b = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n';
            if (crlf || (c != '\r' && c != '\n')) {
                if (b != null) {
                    b.append(c);
                    if (crlf) {
                        b.append('\n');
                    }
                }
                if (crlf) {
                    i++;
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(n + n / 32 + 16).append(text, 0, i);
            }
            b.append("\r\n");
        }
        return b == null ? text : b.toString();
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

    /** multipart/related with its RFC 2387 "type" parameter. */
    private static final class RelatedMultipart extends MimeMultipart {
        RelatedMultipart(String rootType) throws MessagingException {
            super("related");
            ContentType t = new ContentType(contentType);
            t.setParameter("type", rootType);
            contentType = t.toString();
        }
    }

    /** A file attachment's content, opened each time the part is written. */
    private record StoredFile(Attachment attachment, AttachmentContent content, String type) implements DataSource {
        @Override
        public InputStream getInputStream() throws IOException {
            return content.open(attachment);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public String getContentType() {
            return type;
        }

        @Override
        public String getName() {
            return attachment.name();
        }
    }

    /** A prepared message: written straight to the stream it is given. */
    private static final class Prepared implements MimeSource {
        private final MimeMessage mime;
        private final Message message;
        private final List<Attachment> attachments;
        private final AttachmentContent content;
        private long size = -1;

        Prepared(MimeMessage mime, Message message, List<Attachment> attachments, AttachmentContent content) {
            this.mime = mime;
            this.message = message;
            this.attachments = attachments;
            this.content = content;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try {
                write(mime, out);
            } catch (MessagingException e) {
                throw new IOException("cannot render message " + message.id() + " as MIME: " + e.getMessage(), e);
            }
        }

        /** Everything but the files, counted, plus the base64 size of each file: no content is read. */
        @Override
        public synchronized long estimatedSize() {
            if (size < 0) {
                AttachmentContent empty = new AttachmentContent() {
                    @Override
                    public InputStream open(Attachment file) {
                        return InputStream.nullInputStream(); // the files are counted, not written
                    }

                    @Override
                    public Message item(Attachment item) {
                        return content.item(item);
                    }
                };
                long files = 0;
                for (Attachment a : attachments) {
                    files += a.kind() == Attachment.Kind.FILE ? base64Size(a.size()) : 0;
                }
                CountingOutputStream counter = new CountingOutputStream();
                try {
                    write(build(message, attachments, empty), counter);
                } catch (MessagingException | IOException e) {
                    throw new IllegalStateException("cannot render message " + message.id() + " as MIME: " + e.getMessage(), e);
                }
                size = counter.count + files;
            }
            return size;
        }

        @Override
        public String headerSection() {
            try {
                StringBuilder sb = new StringBuilder();
                for (String line : Collections.list(mime.getAllHeaderLines())) {
                    sb.append(line).append("\r\n");
                }
                return sb.toString();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
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
