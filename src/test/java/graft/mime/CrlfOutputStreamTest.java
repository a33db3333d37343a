package graft.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CrlfOutputStreamTest {
    private static String through(String... writes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CrlfOutputStream crlf = new CrlfOutputStream(out)) {
            for (String w : writes) {
                byte[] b = w.getBytes(StandardCharsets.US_ASCII);
                crlf.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void bareLineFeedsAndCarriageReturnsBecomeCrlf() throws IOException {
        assertThat(through("a\nb\rc\r\nd")).isEqualTo("a\r\nb\r\nc\r\nd");
    }

    @Test
    void crlfSplitAcrossWritesStaysOneLineBreak() throws IOException {
        assertThat(through("line one\r", "\nline two\r", "", "\n")).isEqualTo("line one\r\nline two\r\n");
    }

    @Test
    void textWithoutLineBreaksPassesUnchanged() throws IOException {
        assertThat(through("no breaks here", " nor here")).isEqualTo("no breaks here nor here");
    }

    @Test
    void lineFeedAfterAFinishedCrlfIsAnotherLineBreak() throws IOException {
        assertThat(through("a\r\n", "\nb")).isEqualTo("a\r\n\r\nb");
    }
}
