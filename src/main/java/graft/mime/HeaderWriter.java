package graft.mime;

import graft.mail.Recipient;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Header fields written into a {@link MimeBuffer} (RFC 5322 2.2). A value is folded, where it has room to be,
 * so that lines stay within 78 characters and never reach 998 (2.1.1, 2.2.3); text that is not ASCII becomes
 * RFC 2047 encoded-words of UTF-8, each at most 75 characters and each holding whole characters. Values
 * reach here through {@link HeaderText}, so none of them can hold a CR or LF of its own.
 */
final class HeaderWriter {
    /** The line length to fold at (RFC 5322 2.1.1 "SHOULD"), and the one never to pass ("MUST"). */
    private static final int LINE = 78;
    private static final int MAX_LINE = 998;
    /** RFC 2047 2: a line that holds an encoded-word is at most 76 characters. */
    private static final int ENCODED_LINE = 76;
    /** RFC 2047 2: an encoded-word is at most 75 characters, 12 of which are "=?UTF-8?Q?" and "?=". */
    private static final int WORD = 75;
    private static final int WORD_OVERHEAD = 12;
    /** Less room than this left on a line and an encoded-word goes to the next: the overhead and one Q-encoded 4-octet character. */
    private static final int MIN_WORD = WORD_OVERHEAD + 12;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private final MimeBuffer out;
    private final StringBuilder word = new StringBuilder(WORD);
    /** Characters on the current line. */
    private int col;
    /** Nothing written after the field name yet: no fold goes there. */
    private boolean fresh;
    /** The current line holds an encoded-word. */
    private boolean encodedLine;

    HeaderWriter(MimeBuffer out) {
        this.out = out;
    }

    void start(String name) {
        out.text(name);
        out.write(':');
        col = name.length() + 1;
        fresh = true;
        encodedLine = false;
    }

    void end() {
        out.crlf();
    }

    /** A field whose value is one token, written as it is (a media type, a msg-id, a base64 index). */
    void field(String name, String value) {
        start(name);
        token(value);
        end();
    }

    /** RFC 5322 3.3 date-time, in UTC: {@code Tue, 4 Mar 2025 05:06:07 +0000}. */
    void date(String name, Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(31).append(DAYS[d.getDayOfWeek().ordinal()]).append(", ").append(d.getDayOfMonth())
                .append(' ').append(MONTHS[d.getMonthValue() - 1]).append(' ');
        String year = Integer.toString(d.getYear());
        s.append("0000", 0, Math.max(0, 4 - year.length())).append(year).append(' ');
        two(s, d.getHour()).append(':');
        two(s, d.getMinute()).append(':');
        two(s, d.getSecond()).append(" +0000");
        field(name, s.toString());
    }

    private static StringBuilder two(StringBuilder s, int n) {
        return s.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * Unstructured text (RFC 5322 3.2.5) such as Subject: as it is, folded at its own whitespace, unless it is not
     * ASCII, looks like an encoded-word itself, or has a word no line could hold; then it is all encoded-words
     * (RFC 2047 5(1)), which decode back to exactly the text.
     */
    void unstructured(String name, String value) {
        String v = HeaderText.oneLine(value);
        start(name);
        if (needsEncoding(v, col + 1)) {
            encodedWords(v, false);
        } else {
            text(v);
        }
        end();
    }

    /** A value kept as it is, folded only at its own whitespace (In-Reply-To, References: no encoded-words there). */
    void folded(String name, String value) {
        start(name);
        text(HeaderText.oneLine(value));
        end();
    }

    /**
     * An address list (RFC 5322 3.4): {@code name <addr>}, or the bare address when there is no name or the name
     * only repeats it; folded between addresses and between the words of names. Nothing is written when no
     * recipient has an address or a name.
     */
    void addresses(String name, List<Recipient> recipients) {
        List<String[]> written = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            String addr = HeaderText.address(r.address());
            String display = HeaderText.oneLine(r.name()).strip();
            if (!display.isEmpty() && !display.equalsIgnoreCase(addr)) {
                written.add(new String[]{display, "<" + addr + ">"});
            } else if (!addr.isEmpty()) {
                written.add(new String[]{null, addr});
            }
        }
        if (written.isEmpty()) {
            return;
        }
        start(name);
        for (int i = 0; i < written.size(); i++) {
            String[] a = written.get(i);
            if (a[0] != null) {
                phrase(a[0]);
            }
            // The comma goes with the address, so that a fold never leaves it past the end of a line.
            token(i + 1 < written.size() ? a[1] + "," : a[1]);
        }
        end();
    }

    /**
     * {@code ; attribute=value} of a structured field (RFC 2045 5.1): a token as it is, other ASCII as a
     * quoted-string, anything else as an RFC 2231 UTF-8 value ({@code filename*=UTF-8''...}). A value too long for
     * a line of its own is split into RFC 2231 continuations, one a line.
     */
    void parameter(String attribute, String value) {
        boolean extended = !isPlainAscii(value);
        String param = extended ? attribute + "*=UTF-8''" + percentEncoded(value)
                : attribute + "=" + (isToken(value) ? value : quoted(value));
        if (1 + param.length() + 1 <= LINE) { // " ", the parameter and the ';' a next one may need
            out.write(';');
            col++;
            value(param);
        } else {
            continuations(attribute, value, extended);
        }
    }

    /** RFC 2231 3: {@code name*0*=UTF-8''...; name*1*=...}, each segment whole characters and on its own line. */
    private void continuations(String attribute, String value, boolean extended) {
        StringBuilder segment = new StringBuilder(LINE);
        int k = 0;
        int i = 0;
        while (i < value.length()) {
            String prefix = attribute + "*" + k + (extended ? "*=" : "=");
            int room = LINE - 2 - prefix.length() - (extended ? 0 : 2);
            segment.setLength(0);
            if (extended && k == 0) {
                segment.append("UTF-8''");
            }
            while (i < value.length()) {
                int cp = value.codePointAt(i);
                int before = segment.length();
                if (extended) {
                    percentEncode(cp, segment);
                } else {
                    segment.append((char) cp);
                    if (cp == '"' || cp == '\\') {
                        segment.insert(before, '\\');
                    }
                }
                if (segment.length() > room && before > (extended && k == 0 ? 7 : 0)) {
                    segment.setLength(before);
                    break;
                }
                i += Character.charCount(cp);
            }
            out.write(';');
            col++;
            value(prefix + (extended ? segment : "\"" + segment + "\""));
            k++;
        }
    }

    /** " " and {@code t}, folded onto a new line first when {@code t} would take this one past 78 characters. */
    void token(String t) {
        token(t, false, 0);
    }

    /** A media type, disposition type or parameter: a token that leaves room for the ';' a parameter may add after it. */
    void value(String t) {
        token(t, false, 1);
    }

    private void token(String t, boolean encodedWord, int reserve) {
        int len = t.length();
        if (!fresh && col + 1 + len + reserve > (encodedWord || encodedLine ? ENCODED_LINE : LINE)) {
            fold();
        }
        out.write(' ');
        out.text(t);
        col += 1 + len;
        fresh = false;
        encodedLine |= encodedWord;
    }

    /** RFC 5322 2.2.3: CRLF before whitespace, which unfolding takes out again. */
    private void fold() {
        out.crlf();
        col = 0;
        encodedLine = false;
    }

    /** Text with its whitespace kept: a fold goes before a space or tab (2.2.3), never onto a line of only whitespace. */
    private void text(String v) {
        out.write(' ');
        col++;
        int n = v.length();
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && isWsp(v.charAt(j))) {
                j++;
            }
            int wordStart = j;
            while (j < n && !isWsp(v.charAt(j))) {
                j++;
            }
            if (i > 0 && j > wordStart && col + (j - i) > LINE) {
                fold();
            }
            out.text(v, i, j);
            col += j - i;
            i = j;
        }
        fresh = false;
    }

    /** A display name (RFC 5322 3.2.5 phrase): atoms as they are, else a quoted-string, else encoded-words (RFC 2047 5(3)). */
    private void phrase(String name) {
        if (needsEncoding(name, col + 1)) {
            encodedWords(name, true);
        } else if (isAtoms(name)) {
            int i = 0;
            while (i < name.length()) {
                int space = name.indexOf(' ', i);
                int end = space < 0 ? name.length() : space;
                token(name.substring(i, end));
                i = end + 1;
            }
        } else {
            String q = quoted(name);
            if (q.length() + 2 > MAX_LINE) {
                encodedWords(name, true);
            } else {
                token(q);
            }
        }
    }

    /**
     * The text as encoded-words, split between characters (never inside one's UTF-8), each sized to the room left
     * on its line, which moves to the next line when too little is left (even straight after a long field name).
     * Q encoding for mostly-ASCII text, B for the rest, as Jakarta Mail chooses.
     */
    private void encodedWords(String v, boolean phrase) {
        boolean b = mostlyNonAscii(v);
        int i = 0;
        while (i < v.length()) {
            if (ENCODED_LINE - col - 1 < MIN_WORD) {
                fold();
            }
            int max = Math.min(WORD, ENCODED_LINE - col - 1);
            i = b ? bWord(v, i, max) : qWord(v, i, max, phrase);
            token(word.toString(), true, 0);
        }
    }

    /** One Q encoded-word (RFC 2047 4.2) of at most {@code max} characters from index {@code i}; returns where it ended. */
    private int qWord(String v, int i, int max, boolean phrase) {
        word.setLength(0);
        word.append("=?UTF-8?Q?");
        int limit = max - 2;
        while (i < v.length()) {
            int cp = v.codePointAt(i);
            int before = word.length();
            if (cp == ' ') {
                word.append('_');
            } else if (cp < 0x80 && qLiteral((char) cp, phrase)) {
                word.append((char) cp);
            } else {
                int[] bytes = utf8(cp);
                for (int b : bytes) {
                    word.append('=').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                }
            }
            if (word.length() > limit && before > WORD_OVERHEAD - 2) {
                word.setLength(before);
                break;
            }
            i += Character.charCount(cp);
        }
        word.append("?=");
        return i;
    }

    /** One B encoded-word (RFC 2047 4.1) of at most {@code max} characters from index {@code i}; returns where it ended. */
    private int bWord(String v, int i, int max) {
        byte[] bytes = new byte[(max - WORD_OVERHEAD) / 4 * 3];
        int len = 0;
        while (i < v.length()) {
            int cp = v.codePointAt(i);
            int[] encoded = utf8(cp);
            if (len + encoded.length > bytes.length && len > 0) {
                break;
            }
            for (int b : encoded) {
                bytes[len++] = (byte) b;
            }
            i += Character.charCount(cp);
        }
        word.setLength(0);
        word.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, len))).append("?=");
        return i;
    }

    /** The UTF-8 octets of a code point; a lone surrogate, which has none, as '?'. */
    private static int[] utf8(int cp) {
        if (cp < 0x80) {
            return new int[]{cp};
        }
        if (cp < 0x800) {
            return new int[]{0xc0 | cp >> 6, 0x80 | cp & 0x3f};
        }
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            return new int[]{'?'};
        }
        if (cp < 0x10000) {
            return new int[]{0xe0 | cp >> 12, 0x80 | cp >> 6 & 0x3f, 0x80 | cp & 0x3f};
        }
        return new int[]{0xf0 | cp >> 18, 0x80 | cp >> 12 & 0x3f, 0x80 | cp >> 6 & 0x3f, 0x80 | cp & 0x3f};
    }

    /**
     * What a Q encoded-word may hold as itself: in text any printable ASCII but "=", "?" and "_" (RFC 2047 4.2);
     * in a phrase only letters, digits and "!*+-/" (5(3)).
     */
    private static boolean qLiteral(char c, boolean phrase) {
        if (phrase) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!*+-/".indexOf(c) >= 0;
        }
        return c > ' ' && c < 0x7f && c != '=' && c != '?' && c != '_';
    }

    private static boolean mostlyNonAscii(String v) {
        int ascii = 0;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < 0x7f) {
                ascii++;
            }
        }
        return ascii <= v.length() - ascii;
    }

    /**
     * Whether text must go as encoded-words: it is not ASCII, it holds "=?" (which a reader would take for the
     * start of an encoded-word, RFC 2047 5), or a word with its whitespace would not fit in 998 characters.
     */
    private static boolean needsEncoding(String v, int startCol) {
        int n = v.length();
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && isWsp(v.charAt(i))) {
                i++;
            }
            while (i < n && !isWsp(v.charAt(i))) {
                char c = v.charAt(i);
                if (c >= 0x7f || c == '=' && i + 1 < n && v.charAt(i + 1) == '?') {
                    return true;
                }
                i++;
            }
            if ((start == 0 ? startCol : 0) + i - start > MAX_LINE) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /** Atoms (RFC 5322 3.2.3) separated by single spaces: a phrase that needs no quoting. */
    private static boolean isAtoms(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' ? i == 0 || i == s.length() - 1 || s.charAt(i - 1) == ' ' : !isAtext(c)) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isAtext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /** RFC 2045 5.1 token: printable ASCII but space and tspecials. */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** ASCII that a reader will not take for an encoded-word (readers decode RFC 2047 even in quoted names). */
    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x7f || c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '?') {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 3.2.4 quoted-string: DQUOTE and backslash escaped. */
    private static String quoted(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            q.append(c);
        }
        return q.append('"').toString();
    }

    /** RFC 2231 4 / RFC 5987 3.2.1: UTF-8 octets, attr-chars as themselves and the rest as %XX. */
    private static String percentEncoded(String s) {
        StringBuilder b = new StringBuilder(s.length() * 3);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            percentEncode(cp, b);
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    private static void percentEncode(int cp, StringBuilder b) {
        if (cp < 0x80 && isAttrChar((char) cp)) {
            b.append((char) cp);
            return;
        }
        for (int octet : utf8(cp)) {
            b.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xf]);
        }
    }

    private static boolean isAttrChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }
}
