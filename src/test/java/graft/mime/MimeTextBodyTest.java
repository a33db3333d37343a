package graft.mime;

import graft.mail.ItemBody;
import graft.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static graft.mime.MimeChecks.assertWellFormed;
import static graft.mime.MimeChecks.strictUtf8;
import static graft.mime.MimeRendererTest.message;
import static graft.mime.MimeRendererTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Text bodies: the transfer encoding chosen, and quoted-printable and base64 that decode back to the text. */
class MimeTextBodyTest {
    static String encoded(TextBody body) {
        MimeBuffer out = new MimeBuffer(16);
        body.writeTo(out);
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }

    /** What the text is on the wire once decoded: UTF-8 with CRLF line breaks. */
    static String canonical(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }

    static String decode(String encoded, TextBody.Encoding encoding) throws Exception {
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)), encoding.token)) {
            return strictUtf8(in.readAllBytes(), "decoded body");
        }
    }

    @Test
    void asciiTextIs7bitWithEveryLineBreakAsCrlf() {
        TextBody body = TextBody.of("one\ntwo\r\nthree\rfour\n\n.five\tsix");
        assertThat(body.encoding()).isEqualTo(TextBody.Encoding.SEVEN_BIT);
        assertThat(encoded(body)).isEqualTo("one\r\ntwo\r\nthree\r\nfour\r\n\r\n.five\tsix");
        assertThat(body.size()).isEqualTo(encoded(body).length());
    }

    @Test
    void lineOf998OctetsIs7bitAndOneOf999IsQuotedPrintable() {
        assertThat(TextBody.of("a\n" + "x".repeat(998) + "\nb").encoding()).isEqualTo(TextBody.Encoding.SEVEN_BIT);
        assertThat(TextBody.of("a\n" + "x".repeat(999) + "\nb").encoding()).isEqualTo(TextBody.Encoding.QUOTED_PRINTABLE);
        assertThat(TextBody.of("x".repeat(999)).encoding()).isEqualTo(TextBody.Encoding.QUOTED_PRINTABLE);
        // A line break inserted when canonicalising does not count towards the line.
        assertThat(TextBody.of(("x".repeat(998) + "\n").repeat(3)).encoding()).isEqualTo(TextBody.Encoding.SEVEN_BIT);
    }

    @Test
    void controlCharactersAndNonAsciiAreNot7bit() {
        assertThat(TextBody.of("bell \u0007 here").encoding()).isEqualTo(TextBody.Encoding.QUOTED_PRINTABLE);
        assertThat(encoded(TextBody.of("bell \u0007 and del \u007f"))).isEqualTo("bell =07 and del =7F");
        assertThat(TextBody.of("Schöne Grüße").encoding()).isEqualTo(TextBody.Encoding.QUOTED_PRINTABLE);
        // More octets not ASCII than ASCII: base64, as Jakarta Mail chose.
        assertThat(TextBody.of("Grüße").encoding()).isEqualTo(TextBody.Encoding.BASE64);
    }

    @Test
    void mostlyNonAsciiTextIsBase64AsJakartaMailChose() throws Exception {
        String text = "東京の会議の議事録です。\n来週もよろしくお願いします。\n";
        TextBody body = TextBody.of(text);
        assertThat(body.encoding()).isEqualTo(TextBody.Encoding.BASE64);
        String encoded = encoded(body);
        assertThat(encoded.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(encoded).endsWith("\r\n");
        assertThat(new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8)).isEqualTo(canonical(text));
        assertThat(body.size()).isEqualTo(encoded.length());
    }

    static Stream<String> quotedPrintableTexts() {
        return Stream.of(
                "x".repeat(75) + "\n" + "y".repeat(76) + "\n" + "z".repeat(77) + "\n" + "w".repeat(2000),
                "Grüße aus Köln, " + "schön ".repeat(40),
                "ä".repeat(100) + "\n" + "東".repeat(100) + "\n" + "😀".repeat(60) + "\n" + "mostly ASCII after all ".repeat(50),
                "a".repeat(74) + "😀" + "b".repeat(73) + "東京" + "c".repeat(72) + "ä=",
                "trailing space \ntrailing tab\t\r\nboth \t \rnot ASCII é\nend with space ",
                "equals = sign ==\n=3D is not an escape\n=\né" + "=".repeat(100),
                ".leading dot\n..two dots\n.\nFrom the start\n-- \nsignature é",
                "tabs\tinside\tthe\tline and spaces  between é " + "x ".repeat(60),
                "lone surrogate \ud800 becomes a question mark é",
                "form feed \f and NUL \u0000 and escape \u001b é");
    }

    @ParameterizedTest
    @MethodSource("quotedPrintableTexts")
    void quotedPrintableDecodesBackToTheCanonicalText(String text) throws Exception {
        TextBody body = TextBody.of(text);
        assertThat(body.encoding()).isEqualTo(TextBody.Encoding.QUOTED_PRINTABLE);
        String encoded = encoded(body);
        assertWellFormed(encoded.getBytes(StandardCharsets.US_ASCII));
        assertThat(decode(encoded, body.encoding())).isEqualTo(canonical(text).replace('\ud800', '?'));
        for (String line : encoded.split("\r\n", -1)) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
            assertThat(line).as("no whitespace before a line break (RFC 2045 6.7 rule 3)").doesNotEndWith(" ").doesNotEndWith("\t");
            // Rule 5: a soft break goes between characters, so each line holds whole UTF-8 sequences.
            // A literal "=" is always =3D, so a line ending in "=" ends in a soft break.
            String content = line.endsWith("=") ? line.substring(0, line.length() - 1) : line;
            strictUtf8(MimeUtility.decode(new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII)), "quoted-printable")
                    .readAllBytes(), line);
        }
    }

    @Test
    void quotedPrintableUsesTheFull76CharactersWhereTheLineEnds() {
        assertThat(encoded(TextBody.of("é" + "x".repeat(73)))).isEqualTo("=C3=A9" + "x".repeat(69) + "=\r\nxxxx");
        assertThat(encoded(TextBody.of("é" + "x".repeat(70)))).isEqualTo("=C3=A9" + "x".repeat(70));
        assertThat(encoded(TextBody.of("x".repeat(74) + "é"))).isEqualTo("x".repeat(74) + "=\r\n=C3=A9");
    }

    @Test
    void plainAndHtmlBodiesRoundTripThroughTheParsers() throws Exception {
        for (String text : List.of("Hello,\nsee you.\n", "Grüße,\n" + "lange Zeile ".repeat(20) + "\nEnde ", "東京\n大阪\n")) {
            Message.Builder b = message();
            b.body = new ItemBody(false, text);
            byte[] bytes = MimeRenderer.render(b.build());
            assertWellFormed(bytes);
            assertThat((String) parse(bytes).getContent()).isEqualTo(canonical(text));
            assertThat(MimeParser.parse(bytes).body()).isEqualTo(new ItemBody(false, text));

            b.body = new ItemBody(true, "<p>" + text.replace("\n", "<br>\n") + "</p>");
            bytes = MimeRenderer.render(b.build());
            assertWellFormed(bytes);
            MimeMessage mime = parse(bytes);
            jakarta.mail.Multipart alt = (jakarta.mail.Multipart) mime.getContent();
            assertThat(alt.getBodyPart(0).getContentType()).startsWith("text/plain; charset=UTF-8");
            assertThat(alt.getBodyPart(1).getContentType()).startsWith("text/html; charset=UTF-8");
            assertThat((String) alt.getBodyPart(1).getContent()).isEqualTo(canonical(b.body.content()));
            assertThat(MimeParser.parse(bytes).body()).isEqualTo(new ItemBody(true, canonical(b.body.content())));
        }
    }
}
