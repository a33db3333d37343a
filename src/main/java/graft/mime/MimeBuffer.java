package graft.mime;

import graft.mail.Attachment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A rendered message: its bytes, written straight into one growing array (ASCII char by char, anything else as
 * UTF-8, with no Writer or charset encoder in between), and the places where file attachments go. Files are not
 * held here: each is a hole at an offset, filled with the file's base64 (RFC 2045 6.8) whenever the message is
 * written, so the size of the message is known without reading any file.
 */
final class MimeBuffer {
    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int count;
    private List<Hole> holes = List.of();

    /** Where a file's content is streamed in: before the byte at {@code offset}. */
    private record Hole(int offset, Attachment file) {
    }

    MimeBuffer(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    int size() {
        return count;
    }

    /** Room for at least {@code more} further bytes. */
    void ensure(int more) {
        if (more > buf.length - count) {
            if (more > MAX_SIZE - count) {
                throw new IllegalStateException("message too large to render in memory");
            }
            int wanted = (int) Math.min(MAX_SIZE, Math.max((long) count + more, 2L * buf.length));
            buf = Arrays.copyOf(buf, wanted);
        }
    }

    void write(int b) {
        if (count == buf.length) {
            ensure(1);
        }
        buf[count++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    void crlf() {
        ensure(2);
        buf[count++] = '\r';
        buf[count++] = '\n';
    }

    /** Text as UTF-8; ASCII, the usual case, goes in one byte per char. */
    void text(String s) {
        text(s, 0, s.length());
    }

    void text(String s, int from, int to) {
        ensure(to - from);
        byte[] b = buf;
        int n = count;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else {
                count = n;
                i = utf8(s, i, to) - 1;
                ensure(to - i);
                b = buf;
                n = count;
            }
        }
        count = n;
    }

    /**
     * The code point at {@code i} as UTF-8 (a lone surrogate, which has none, as '?', as Java's own encoder does);
     * returns the index after it.
     */
    int utf8(String s, int i, int to) {
        char c = s.charAt(i);
        ensure(4);
        if (c < 0x80) {
            buf[count++] = (byte) c;
        } else if (c < 0x800) {
            buf[count++] = (byte) (0xc0 | c >> 6);
            buf[count++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[count++] = (byte) (0xf0 | cp >> 18);
            buf[count++] = (byte) (0x80 | cp >> 12 & 0x3f);
            buf[count++] = (byte) (0x80 | cp >> 6 & 0x3f);
            buf[count++] = (byte) (0x80 | cp & 0x3f);
            return i + 2;
        } else if (Character.isSurrogate(c)) {
            buf[count++] = '?';
        } else {
            buf[count++] = (byte) (0xe0 | c >> 12);
            buf[count++] = (byte) (0x80 | c >> 6 & 0x3f);
            buf[count++] = (byte) (0x80 | c & 0x3f);
        }
        return i + 1;
    }

    /** Marks the current end as where {@code file}'s base64 goes. */
    void hole(Attachment file) {
        if (holes.isEmpty()) {
            holes = new ArrayList<>(4);
        }
        holes.add(new Hole(count, file));
    }

    boolean hasHoles() {
        return !holes.isEmpty();
    }

    /** The size in octets once written: the bytes here plus the base64 of each file at its stored size. */
    long writtenSize() {
        long size = count;
        for (Hole h : holes) {
            size += Base64Lines.size(h.file().size());
        }
        return size;
    }

    /** The bytes, each hole filled with its file's content read from {@code content} and base64-encoded as it is read. */
    void writeTo(OutputStream out, AttachmentContent content) throws IOException {
        int from = 0;
        for (Hole h : holes) {
            out.write(buf, from, h.offset() - from);
            Base64Lines.copy(content, h.file(), out);
            from = h.offset();
        }
        out.write(buf, from, count - from);
    }

    /** The header section: everything up to and including the CRLF that ends the last field (RFC 5322 2.1). */
    String headerSection() {
        return headerSection(buf, count);
    }

    static String headerSection(byte[] b, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return new String(b, 0, i + 2, StandardCharsets.UTF_8);
            }
        }
        return new String(b, 0, length, StandardCharsets.UTF_8);
    }

    /** A copy of the bytes; only meaningful without holes. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }
}
