package graft.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** What every rendered message must be, whatever went into it: checked on the bytes, not through a parser. */
final class MimeChecks {
    static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?([QB])\\?([^?]*)\\?=");

    private MimeChecks() {
    }

    /** 7-bit, CR and LF only as CRLF (RFC 5322 2.3), no line over 998 octets (2.1.1). */
    static void assertWellFormed(byte[] bytes) {
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            assertThat(b).as("octet %d is 7-bit", i).isBetween((byte) 0, (byte) 127);
            if (b == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d is followed by LF", i).isTrue();
            } else if (b == '\n') {
                assertThat(i > 0 && bytes[i - 1] == '\r').as("LF at %d follows CR", i).isTrue();
                assertThat(i - 1 - lineStart).as("line at %d is at most 998 octets", lineStart).isLessThanOrEqualTo(998);
                lineStart = i + 1;
            }
        }
        assertThat(bytes.length - lineStart).isLessThanOrEqualTo(998);
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The header section's physical lines (before unfolding). */
    static List<String> headerLines(String rendered) {
        int end = rendered.indexOf("\r\n\r\n");
        return List.of(rendered.substring(0, end).split("\r\n"));
    }

    /** The unfolded value of the first field named {@code name} in the top-level header section. */
    static String header(String rendered, String name) {
        String section = rendered.substring(0, rendered.indexOf("\r\n\r\n") + 2).replace("\r\n ", " ").replace("\r\n\t", "\t");
        for (String line : section.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    /**
     * Every RFC 2047 encoded-word is at most 75 characters and decodes, on its own, to whole UTF-8 characters; every
     * header line holding one is at most 76 characters (RFC 2047 2). Returns how many there are.
     */
    static int assertEncodedWordsValid(String headerSection) {
        int count = 0;
        for (String line : headerSection.split("\r\n")) {
            Matcher m = ENCODED_WORD.matcher(line);
            boolean any = false;
            while (m.find()) {
                any = true;
                count++;
                assertThat(m.group().length()).as("encoded-word %s", m.group()).isLessThanOrEqualTo(75);
                byte[] octets = m.group(1).equals("B") ? Base64.getDecoder().decode(m.group(2)) : qDecode(m.group(2));
                strictUtf8(octets, m.group());
            }
            if (any) {
                assertThat(line.length()).as("line with encoded-words: %s", line).isLessThanOrEqualTo(76);
            }
        }
        return count;
    }

    static byte[] qDecode(String q) {
        List<Byte> out = new ArrayList<>();
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '=') {
                out.add((byte) Integer.parseInt(q.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.add((byte) (c == '_' ? ' ' : c));
            }
        }
        byte[] b = new byte[out.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = out.get(i);
        }
        return b;
    }

    static String strictUtf8(byte[] octets, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            return fail("not whole UTF-8 characters: " + what);
        }
    }
}
