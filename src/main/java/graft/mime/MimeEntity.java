package graft.mime;

import graft.mail.Attachment;
import graft.mail.Message;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A MIME entity (RFC 2045 2.4): its content header fields, then, after the blank line its container writes, its
 * content. A message is one of these under the message's own header fields; a multipart holds more.
 */
sealed interface MimeEntity {
    void headers(HeaderWriter h);

    void content(MimeBuffer out, HeaderWriter h);

    /** A rough size of the whole entity, for sizing the buffer it is written into. */
    int sizeHint();

    /** text/plain or text/html in UTF-8. */
    record Text(String subtype, TextBody body) implements MimeEntity {
        static Text of(String subtype, String text) {
            return new Text(subtype, TextBody.of(text));
        }

        @Override
        public void headers(HeaderWriter h) {
            h.start("Content-Type");
            h.value("text/" + subtype);
            h.parameter("charset", "UTF-8");
            h.end();
            h.field("Content-Transfer-Encoding", body.encoding().token);
        }

        @Override
        public void content(MimeBuffer out, HeaderWriter h) {
            body.writeTo(out);
        }

        @Override
        public int sizeHint() {
            return 128 + body.size();
        }
    }

    /**
     * A multipart (RFC 2046 5.1): its parts between delimiter lines of a boundary that is random, so that no
     * content can hold it, and new for every multipart. {@code parameter}, when not null, is one more
     * Content-Type parameter, {@code name=value} (RFC 2387 "type", RFC 3462 "report-type").
     */
    record Multipart(String subtype, List<MimeEntity> parts, String boundary, String parameter, String value) implements MimeEntity {
        private static final SecureRandom RANDOM = new SecureRandom();

        static Multipart of(String subtype, List<MimeEntity> parts) {
            return of(subtype, parts, null, null);
        }

        static Multipart of(String subtype, List<MimeEntity> parts, String parameter, String value) {
            return new Multipart(subtype, List.copyOf(parts), "----=_Part_" + random(18), parameter, value);
        }

        /** {@code bytes} random octets as base64url: letters, digits, "-" and "_", all boundary characters. */
        static String random(int bytes) {
            byte[] b = new byte[bytes];
            RANDOM.nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        @Override
        public void headers(HeaderWriter h) {
            h.start("Content-Type");
            h.value("multipart/" + subtype);
            h.parameter("boundary", boundary);
            if (parameter != null) {
                h.parameter(parameter, value);
            }
            h.end();
        }

        @Override
        public void content(MimeBuffer out, HeaderWriter h) {
            for (MimeEntity part : parts) {
                delimiter(out);
                out.crlf();
                part.headers(h);
                out.crlf();
                part.content(out, h);
                out.crlf();
            }
            delimiter(out);
            out.write('-');
            out.write('-');
            out.crlf();
        }

        private void delimiter(MimeBuffer out) {
            out.write('-');
            out.write('-');
            out.text(boundary);
        }

        @Override
        public int sizeHint() {
            int size = 256;
            for (MimeEntity part : parts) {
                size += 64 + part.sizeHint();
            }
            return size;
        }
    }

    /**
     * A file as a base64 part (RFC 2045 6.8) whose content is not read here: the part's content is a hole the file
     * fills whenever the message is written. The name is the "name" and "filename" parameter (RFC 2231 when not
     * ASCII); the Content-ID (RFC 2392) is what an HTML body's {@code cid:} refers to.
     */
    record File(Attachment file) implements MimeEntity {
        @Override
        public void headers(HeaderWriter h) {
            String name = HeaderText.oneLine(file.name()).strip();
            h.start("Content-Type");
            h.value(mediaType(file.contentType()));
            if (!name.isEmpty()) {
                h.parameter("name", name);
            }
            h.end();
            h.field("Content-Transfer-Encoding", "base64");
            disposition(h, file.isInline() ? "inline" : "attachment", name);
            String cid = HeaderText.address(file.contentId());
            if (!cid.isEmpty()) {
                h.field("Content-ID", "<" + cid + ">");
            }
        }

        @Override
        public void content(MimeBuffer out, HeaderWriter h) {
            out.hole(file);
        }

        @Override
        public int sizeHint() {
            return 512;
        }

        /** The stored media type without any parameter a client put there; anything unusable, or a multipart, is octet-stream. */
        static String mediaType(String stored) {
            String s = HeaderText.oneLine(stored);
            int semicolon = s.indexOf(';');
            if (semicolon >= 0) {
                s = s.substring(0, semicolon);
            }
            int slash = s.indexOf('/');
            if (slash > 0) {
                String type = s.substring(0, slash).strip().toLowerCase(Locale.ROOT);
                String subtype = s.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
                if (HeaderWriter.isToken(type) && HeaderWriter.isToken(subtype) && !type.equals("multipart")) {
                    return type + "/" + subtype;
                }
            }
            return "application/octet-stream";
        }
    }

    /** An item attachment as message/rfc822 (RFC 2046 5.2.1): the attached message rendered in full. */
    record Item(String name, Message message, MimeEntity body) implements MimeEntity {
        @Override
        public void headers(HeaderWriter h) {
            h.field("Content-Type", "message/rfc822");
            // RFC 2046 5.2.1: only 7bit, 8bit or binary; the rendering is 7-bit clean.
            h.field("Content-Transfer-Encoding", "7bit");
            disposition(h, "attachment", HeaderText.oneLine(name).strip());
        }

        @Override
        public void content(MimeBuffer out, HeaderWriter h) {
            MimeRenderer.writeMessage(message, body, out, h);
        }

        @Override
        public int sizeHint() {
            return 2048 + body.sizeHint();
        }
    }

    /**
     * A 7bit part of a report (RFC 3464 message/delivery-status, RFC 6522 text/rfc822-headers): anything but
     * printable ASCII and tab becomes '?', and every line break CRLF.
     */
    record Ascii(String type, String text) implements MimeEntity {
        @Override
        public void headers(HeaderWriter h) {
            h.field("Content-Type", type);
            h.field("Content-Transfer-Encoding", "7bit");
        }

        @Override
        public void content(MimeBuffer out, HeaderWriter h) {
            int n = text.length();
            out.ensure(n + n / 16);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c == '\r' || c == '\n') {
                    out.crlf();
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                } else {
                    out.write(c == '\t' || c >= ' ' && c < 0x7f ? c : '?');
                }
            }
        }

        @Override
        public int sizeHint() {
            return 128 + text.length();
        }
    }

    /** Content-Disposition (RFC 2183) with the file name, if there is one. */
    private static void disposition(HeaderWriter h, String type, String name) {
        h.start("Content-Disposition");
        h.value(type);
        if (!name.isEmpty()) {
            h.parameter("filename", name);
        }
        h.end();
    }
}
