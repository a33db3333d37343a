package graft.mime;

import java.nio.charset.StandardCharsets;

/**
 * A text body as UTF-8 and the transfer encoding it travels in (RFC 2045 6), chosen from one look at the octets
 * the way Jakarta Mail chose it: 7bit when every line is ASCII of at most 998 octets (RFC 5322 2.1.1), else
 * quoted-printable when most octets are ASCII, else base64. Every line break of the text (CRLF, or a CR or LF
 * alone) goes out as CRLF: text is encoded from its canonical form (RFC 2045 6.7, RFC 2046 4.1.1).
 */
final class TextBody {
    /** RFC 2045 6.7 (5): encoded lines are at most 76 characters, a soft line break's "=" included. */
    private static final int QP_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    enum Encoding {
        SEVEN_BIT("7bit"), QUOTED_PRINTABLE("quoted-printable"), BASE64("base64");

        final String token;

        Encoding(String token) {
            this.token = token;
        }
    }

    /** The text's UTF-8 (a lone surrogate, which has none, is '?'), line breaks as they were. */
    private final byte[] octets;
    private final Encoding encoding;
    /** The encoded size: exact for 7bit and base64, a close guess for quoted-printable. */
    private final int size;

    private TextBody(byte[] octets, Encoding encoding, int size) {
        this.octets = octets;
        this.encoding = encoding;
        this.size = size;
    }

    static TextBody of(String text) {
        byte[] b = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        long other = 0;
        int bareBreaks = 0;
        int lineStart = 0;
        boolean longLine = false;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (c >= 0x20 && c != 0x7f) {
                continue; // printable ASCII, the usual octet (octets over 0x7f are negative)
            }
            if (c == '\r' || c == '\n') {
                longLine |= i - lineStart > 998;
                if (c == '\r' && i + 1 < n && b[i + 1] == '\n') {
                    i++;
                } else {
                    bareBreaks++;
                }
                lineStart = i + 1;
            } else if (c != '\t') {
                other++; // as Jakarta Mail counts: controls other than tab are not ASCII text
            }
        }
        longLine |= n - lineStart > 998;
        long canonical = (long) n + bareBreaks;
        long ascii = canonical - other;
        if (other == 0 && !longLine) {
            return new TextBody(b, Encoding.SEVEN_BIT, (int) canonical);
        }
        if (ascii > other) {
            return new TextBody(b, Encoding.QUOTED_PRINTABLE, (int) Math.min(Integer.MAX_VALUE, ascii + 3 * other + canonical / 24));
        }
        return new TextBody(b, Encoding.BASE64, (int) Math.min(Integer.MAX_VALUE, Base64Lines.size(canonical)));
    }

    Encoding encoding() {
        return encoding;
    }

    int size() {
        return size;
    }

    void writeTo(MimeBuffer out) {
        out.ensure(size);
        switch (encoding) {
            case SEVEN_BIT -> canonical(octets, out);
            case QUOTED_PRINTABLE -> quotedPrintable(out);
            case BASE64 -> {
                MimeBuffer canonical = new MimeBuffer(octets.length + octets.length / 16);
                canonical(octets, canonical);
                Base64Lines.encode(canonical.toByteArray(), out);
            }
        }
    }

    /** The octets with each line break as CRLF, copied a line at a time. */
    private static void canonical(byte[] b, MimeBuffer out) {
        int n = b.length;
        int run = 0;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                out.write(b, run, i - run);
                out.crlf();
                if (c == '\r' && i + 1 < n && b[i + 1] == '\n') {
                    i++;
                }
                run = i + 1;
            }
        }
        out.write(b, run, n - run);
    }

    /**
     * RFC 2045 6.7: printable ASCII but "=" as itself, every other octet as =XX, a space or tab only where no line
     * break follows it (rule 3), and soft line breaks (rule 5) where a line would pass 76 characters, never
     * between the octets of one character.
     */
    private void quotedPrintable(MimeBuffer out) {
        byte[] b = octets;
        int n = b.length;
        int col = 0;
        for (int i = 0; i < n; ) {
            int c = b[i] & 0xff;
            if (c == '\r' || c == '\n') {
                out.crlf();
                col = 0;
                i += c == '\r' && i + 1 < n && b[i + 1] == '\n' ? 2 : 1;
                continue;
            }
            // A UTF-8 lead octet says how many octets its character has.
            int next = Math.min(n, i + (c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4));
            boolean lineEnd = next == n || b[next] == '\r' || b[next] == '\n';
            // The last character of a line needs no room for a soft break after it.
            int limit = lineEnd ? QP_LINE : QP_LINE - 1;
            if (c > ' ' && c < 0x7f && c != '=' || (c == ' ' || c == '\t') && !lineEnd) {
                if (col + 1 > limit) {
                    softBreak(out);
                    col = 0;
                }
                out.write(c);
                col++;
            } else {
                int width = 3 * (next - i);
                if (col + width > limit) {
                    softBreak(out);
                    col = 0;
                }
                for (int k = i; k < next; k++) {
                    int octet = b[k] & 0xff;
                    out.write('=');
                    out.write(HEX[octet >> 4]);
                    out.write(HEX[octet & 0xf]);
                }
                col += width;
            }
            i = next;
        }
    }

    private static void softBreak(MimeBuffer out) {
        out.write('=');
        out.crlf();
    }
}
