package graft.mime;

import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Values on their way into a header line. Whatever the mail model already did, nothing that reaches a header
 * keeps a CR, LF or other control character (RFC 5322 2.2: a header field is one logical line), and text that
 * is not ASCII becomes an RFC 2047 encoded-word.
 */
final class HeaderText {
    /** RFC 5322 3.6.8: a field name is printable US-ASCII except colon. */
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");
    /** What an addr-spec may hold here: no space, no controls, none of the characters that end or split an address. */
    private static final Pattern UNSAFE_IN_ADDRESS = Pattern.compile("[\\x00-\\x20\\x7f<>,;:\"()\\[\\]\\\\]");

    private HeaderText() {
    }

    /** Any control character (CR and LF above all) becomes a space. */
    static String oneLine(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }

    static String address(String address) {
        return address == null ? "" : UNSAFE_IN_ADDRESS.matcher(address).replaceAll("");
    }

    static boolean isFieldName(String name) {
        return name != null && FIELD_NAME.matcher(name).matches();
    }

    static boolean isAscii(String s) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(s);
    }

    /** Unstructured text (RFC 5322 3.2.5) for a header: one line, RFC 2047-encoded when not ASCII. */
    static String unstructured(String value) {
        String line = oneLine(value);
        if (isAscii(line)) {
            return line;
        }
        try {
            return MimeUtility.encodeText(line, "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }
}
