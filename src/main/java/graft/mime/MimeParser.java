package graft.mime;

import graft.mail.InternetMessageHeader;
import graft.mail.ItemBody;
import graft.mail.Recipient;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * An RFC 5322 / MIME message read into what a Graph message holds: addresses, subject (RFC 2047), the body
 * (the HTML alternative when there is one, RFC 2046 5.1.4), and attachments: parts of multipart/mixed are
 * files, parts next to the body in multipart/related (RFC 2387) that have a Content-ID are inline files, and
 * message/rfc822 parts are attached messages. File names may be RFC 2231 or RFC 2047 encoded.
 */
public final class MimeParser {
    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
    private static final Session SESSION;

    static {
        // Jakarta Mail 2.1 looks its StreamProvider up on every decode, through the ServiceLoader (a scan of the
        // jar) unless this property names the class (jakartaee/mail-api#861); naming it makes that a class lookup.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
        Properties p = new Properties();
        // RFC 2231 names are decoded by Jakarta Mail; RFC 2047 ones (common in the wild) are decoded below.
        p.setProperty("mail.mime.decodeparameters", "true");
        SESSION = Session.getInstance(p);
    }

    private MimeParser() {
    }

    /** The message: header fields, body and attachments. Recipient names are null where the header had none. */
    public record Parsed(String subject, Recipient from, Recipient sender, List<Recipient> to, List<Recipient> cc,
                         List<Recipient> bcc, List<Recipient> replyTo, String messageId, Instant date, String importance,
                         List<InternetMessageHeader> headers, String inReplyTo, String references, ItemBody body,
                         List<Attachment> attachments) {
    }

    /** A file ({@code content} set) or an attached message ({@code item} set). */
    public record Attachment(String name, String contentType, boolean isInline, String contentId, byte[] content, Parsed item) {
    }

    /** What makes MIME input unusable, said in a sentence for the client. */
    public static final class InvalidMime extends Exception {
        InvalidMime(String message) {
            super(message);
        }

        InvalidMime(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Parsed parse(byte[] mime) throws InvalidMime {
        if (mime.length == 0) {
            throw new InvalidMime("The MIME content is empty.");
        }
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(mime));
            if (!m.getAllHeaders().hasMoreElements() || m.getHeader("Content-Type") == null && m.getHeader("From") == null
                    && m.getHeader("Subject") == null && m.getHeader("To") == null) {
                throw new InvalidMime("The MIME content has no message header fields (From, To, Subject, Content-Type ...).");
            }
            return message(m);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new InvalidMime("The MIME content could not be read: " + e.getMessage(), e);
        }
    }

    private static Parsed message(MimeMessage m) throws MessagingException, IOException {
        Walker w = new Walker();
        w.content(m);
        Date date = dateOf(m);
        return new Parsed(clean(decode(m.getHeader("Subject", null))), first(addresses(m, "From")), first(addresses(m, "Sender")),
                addresses(m, "To"), addresses(m, "Cc"), addresses(m, "Bcc"), addresses(m, "Reply-To"),
                clean(unfold(m.getHeader("Message-ID", null))), date == null ? null : date.toInstant(), importance(m), extensionHeaders(m),
                clean(unfold(m.getHeader("In-Reply-To", null))), clean(unfold(m.getHeader("References", null))),
                w.body == null ? ItemBody.EMPTY : w.body, List.copyOf(w.attachments));
    }

    /** Finds the body and collects the attachments, part by part. */
    private static final class Walker {
        ItemBody body;
        final List<Attachment> attachments = new ArrayList<>();

        /** A part that may hold the body. */
        void content(Part p) throws MessagingException, IOException {
            if (p.isMimeType("multipart/alternative")) {
                Multipart mp = multipart(p);
                Part best = null;
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart candidate = mp.getBodyPart(i);
                    // RFC 2046 5.1.4: the alternatives are in increasing order of preference.
                    if (rank(candidate) > 0 && (best == null || rank(candidate) >= rank(best))) {
                        best = candidate;
                    }
                }
                if (best != null) {
                    content(best);
                }
            } else if (p.isMimeType("multipart/related")) {
                Multipart mp = multipart(p);
                int root = rootIndex(p, mp);
                for (int i = 0; i < mp.getCount(); i++) {
                    if (i == root) {
                        content(mp.getBodyPart(i));
                    } else {
                        attach(mp.getBodyPart(i), true);
                    }
                }
            } else if (p.isMimeType("multipart/*")) {
                Multipart mp = multipart(p);
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart part = mp.getBodyPart(i);
                    if (body == null && !isAttachment(part) && rank(part) > 0) {
                        content(part);
                    } else {
                        attach(part, false);
                    }
                }
            } else if (body == null && !isAttachment(p) && (p.isMimeType("text/plain") || p.isMimeType("text/html"))) {
                boolean html = p.isMimeType("text/html");
                String text = text(p);
                // Text bodies keep the LF line breaks JSON clients write; RFC 2046 4.1.1 CRLF is only the wire form.
                body = new ItemBody(html, html ? text : text.replace("\r\n", "\n"));
            } else {
                attach(p, false);
            }
        }

        void attach(Part p, boolean inRelated) throws MessagingException, IOException {
            if (p.isMimeType("multipart/*")) {
                Multipart mp = multipart(p);
                for (int i = 0; i < mp.getCount(); i++) {
                    attach(mp.getBodyPart(i), inRelated);
                }
                return;
            }
            String cid = contentId(p);
            boolean inline = cid != null && !Part.ATTACHMENT.equalsIgnoreCase(disposition(p)) && (inRelated || Part.INLINE.equalsIgnoreCase(disposition(p)));
            if (p.isMimeType("message/rfc822")) {
                Object content = p.getContent();
                if (content instanceof MimeMessage nested) {
                    Parsed item = message(nested);
                    String name = fileName(p);
                    attachments.add(new Attachment(name != null ? name : item.subject(), "message/rfc822", false, null, null, item));
                    return;
                }
            }
            byte[] bytes;
            try (InputStream in = p.getInputStream()) {
                bytes = in.readAllBytes();
            }
            String name = fileName(p);
            if (name == null) {
                name = cid != null ? cid : "attachment";
            }
            attachments.add(new Attachment(name, baseType(p), inline, cid, bytes, null));
        }
    }

    /** How much a part is wanted as the body: HTML (or a related whole around it) over plain text; 0 = not a body. */
    private static int rank(Part p) throws MessagingException {
        if (p.isMimeType("text/plain")) {
            return 1;
        }
        if (p.isMimeType("text/html") || p.isMimeType("multipart/related") || p.isMimeType("multipart/alternative")) {
            return 2;
        }
        return p.isMimeType("multipart/*") ? 1 : 0;
    }

    /** RFC 2387 3.2: the root is the part named by "start", else the first. */
    private static int rootIndex(Part p, Multipart mp) throws MessagingException {
        String start = new ContentType(p.getContentType()).getParameter("start");
        if (start != null) {
            for (int i = 0; i < mp.getCount(); i++) {
                String cid = mp.getBodyPart(i).getHeader("Content-ID") == null ? null : mp.getBodyPart(i).getHeader("Content-ID")[0];
                if (cid != null && cid.trim().equals(start.trim())) {
                    return i;
                }
            }
        }
        return 0;
    }

    private static Multipart multipart(Part p) throws MessagingException, IOException {
        Object content = p.getContent();
        if (content instanceof Multipart mp) {
            return mp;
        }
        throw new MessagingException("a " + p.getContentType() + " part is not a valid multipart (no boundary?)");
    }

    private static boolean isAttachment(Part p) throws MessagingException {
        return Part.ATTACHMENT.equalsIgnoreCase(disposition(p));
    }

    private static String disposition(Part p) throws MessagingException {
        try {
            return p.getDisposition();
        } catch (ParseException e) {
            return null;
        }
    }

    /** The decoded text of a text part; a charset Java does not know is read as UTF-8 rather than refused. */
    private static String text(Part p) throws MessagingException, IOException {
        try {
            Object content = p.getContent();
            if (content instanceof String s) {
                return s;
            }
        } catch (UnsupportedEncodingException e) {
            // fall through
        }
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), charset(p));
        }
    }

    private static Charset charset(Part p) {
        try {
            String name = new ContentType(p.getContentType()).getParameter("charset");
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(MimeUtility.javaCharset(name));
        } catch (Exception e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String baseType(Part p) throws MessagingException {
        try {
            return new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "application/octet-stream";
        }
    }

    private static String fileName(Part p) {
        String name;
        try {
            name = p.getFileName();
            if (name == null) {
                name = new ContentType(p.getContentType()).getParameter("name");
            }
        } catch (MessagingException e) {
            return null;
        }
        return name == null ? null : clean(decode(name));
    }

    /** RFC 2392: the Content-ID without its angle brackets. */
    private static String contentId(Part p) throws MessagingException {
        String[] h = p.getHeader("Content-ID");
        if (h == null || h.length == 0 || h[0].isBlank()) {
            return null;
        }
        String cid = h[0].trim();
        if (cid.startsWith("<") && cid.endsWith(">")) {
            cid = cid.substring(1, cid.length() - 1);
        }
        return clean(cid);
    }

    /** Importance: the Importance field, else X-Priority (1-2 high, 4-5 low). */
    private static String importance(MimeMessage m) throws MessagingException {
        String importance = unfold(m.getHeader("Importance", null));
        if (importance != null) {
            String i = importance.trim().toLowerCase(Locale.ROOT);
            if (i.equals("high") || i.equals("low") || i.equals("normal")) {
                return i;
            }
        }
        String priority = unfold(m.getHeader("X-Priority", null));
        if (priority != null && !priority.isBlank()) {
            char c = priority.trim().charAt(0);
            return c == '1' || c == '2' ? "high" : c == '4' || c == '5' ? "low" : "normal";
        }
        return "normal";
    }

    /** The x- fields of the message (Graph's internetMessageHeaders), except X-Priority, which is importance. */
    private static List<InternetMessageHeader> extensionHeaders(MimeMessage m) throws MessagingException {
        List<InternetMessageHeader> out = new ArrayList<>();
        for (Header h : Collections.list(m.getAllHeaders())) {
            String name = h.getName();
            if (name.regionMatches(true, 0, "x-", 0, 2) && !name.equalsIgnoreCase("X-Priority") && name.chars().allMatch(c -> c > 32 && c < 127)) {
                out.add(new InternetMessageHeader(name, clean(decode(h.getValue()))));
            }
        }
        return out;
    }

    private static Date dateOf(MimeMessage m) throws MessagingException {
        String value = m.getHeader("Date", null);
        if (value == null) {
            return null;
        }
        try {
            return new MailDateFormat().parse(unfold(value));
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    private static List<Recipient> addresses(MimeMessage m, String field) throws MessagingException {
        String value = m.getHeader(field, ",");
        if (value == null || value.isBlank()) {
            return List.of();
        }
        InternetAddress[] parsed;
        try {
            parsed = InternetAddress.parseHeader(value, false);
        } catch (AddressException e) {
            throw new MessagingException("the " + field + " field is not a valid address list: " + e.getMessage());
        }
        List<Recipient> out = new ArrayList<>();
        for (InternetAddress a : parsed) {
            if (a.isGroup() || a.getAddress() == null) {
                continue;
            }
            String name = a.getPersonal();
            out.add(new Recipient(name == null || name.isBlank() ? null : clean(name), clean(a.getAddress())));
        }
        return out;
    }

    private static Recipient first(List<Recipient> list) {
        return list.isEmpty() ? null : list.getFirst();
    }

    private static String unfold(String value) {
        return value == null ? null : MimeUtility.unfold(value).trim();
    }

    /** RFC 2047 encoded-words decoded; text that is not validly encoded stays as it is. */
    private static String decode(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value));
        } catch (UnsupportedEncodingException e) {
            return MimeUtility.unfold(value);
        }
    }

    /** A header value as one line: no CR, LF or NUL reaches the message model (RFC 5322 2.2). */
    private static String clean(String value) {
        return value == null ? null : HeaderText.oneLine(value);
    }
}
