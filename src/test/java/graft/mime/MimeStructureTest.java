package graft.mime;

import graft.mail.Attachment;
import graft.mail.AttachmentId;
import graft.mail.ItemBody;
import graft.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static graft.mime.MimeAttachmentsTest.bytes;
import static graft.mime.MimeAttachmentsTest.file;
import static graft.mime.MimeChecks.ascii;
import static graft.mime.MimeChecks.assertWellFormed;
import static graft.mime.MimeChecks.headerLines;
import static graft.mime.MimeRendererTest.message;
import static graft.mime.MimeRendererTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Multiparts, file and item parts, RFC 2231 names, and what a prepared message reads, and when. */
class MimeStructureTest {
    static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    static MimeAttachmentsTest.Files filesOf(Attachment... attachments) {
        MimeAttachmentsTest.Files files = new MimeAttachmentsTest.Files();
        for (Attachment a : attachments) {
            files.content.put(a.blobId(), bytes((int) a.size(), a.name().length()));
        }
        return files;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 56, 57, 58, 57 * 1024 - 1, 57 * 1024, 57 * 1024 + 1, 3 * 57 * 1024 + 5, 200_000})
    void fileContentRoundTripsAsBase64OfExactlyTheEstimatedSize(int size) throws Exception {
        Attachment a = file("data.bin", "application/octet-stream", new byte[size], false, null);
        MimeAttachmentsTest.Files files = filesOf(a);
        MimeSource source = MimeRenderer.prepare(message().build(), List.of(a), files);
        long estimated = source.estimatedSize();
        assertThat(files.opened).isZero();
        byte[] bytes = source.toBytes();
        assertWellFormed(bytes);
        assertThat(estimated).isEqualTo(bytes.length);
        assertThat(MimeRenderer.base64Size(size)).isEqualTo(java.util.Base64.getMimeEncoder().encodeToString(new byte[size]).length()
                + (size == 0 ? 0 : 2));
        Part part = ((Multipart) parse(bytes).getContent()).getBodyPart(1);
        assertThat(part.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        assertThat(part.getInputStream().readAllBytes()).isEqualTo(files.content.get(a.blobId()));
        String text = ascii(bytes);
        String base64 = text.substring(text.indexOf("\r\n\r\n", text.indexOf("filename=data.bin")) + 4);
        base64 = base64.substring(0, base64.indexOf("\r\n--"));
        assertThat(base64.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "report.pdf",
            "Bericht Größe.pdf",
            "東京の報告書.xlsx",
            "😀 party; invitation = \"fun\".ics",
            "a \"quoted\" \\ name (1).txt",
            "A very long file name that goes on and on and on and on and on and on and on and on and on and on.txt",
            "Überweisungsbestätigung für die Rechnung Nummer 2025-000123 vom 4. März 2025 über 1.234,56 € (Kopie für die Buchhaltung).pdf",
    })
    void fileNamesRoundTripThroughRfc2231(String name) throws Exception {
        Attachment a = file(name, "application/pdf", new byte[10], false, null);
        byte[] bytes = MimeRenderer.prepare(message().build(), List.of(a), filesOf(a)).toBytes();
        assertWellFormed(bytes);
        String text = ascii(bytes);
        String partHeaders = text.substring(text.indexOf("Content-Type: application/pdf"));
        partHeaders = partHeaders.substring(0, partHeaders.indexOf("\r\n\r\n"));
        assertThat(partHeaders.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        if (!name.chars().allMatch(c -> c < 128) || name.contains("=?")) {
            assertThat(partHeaders).contains("filename*").contains("UTF-8''");
        }
        assertThat(MimeParser.parse(bytes).attachments()).singleElement().satisfies(back -> {
            assertThat(back.name()).isEqualTo(name);
            assertThat(back.contentType()).isEqualTo("application/pdf");
        });
        Part part = ((Multipart) parse(bytes).getContent()).getBodyPart(1);
        assertThat(part.getFileName()).isEqualTo(name);
        assertThat(part.getDisposition()).isEqualTo(Part.ATTACHMENT);
    }

    @Test
    void fileNameThatLooksLikeAnEncodedWordIsAnRfc2231Value() throws Exception {
        String name = "=?UTF-8?Q?not_encoded?=.txt";
        Attachment a = file(name, "text/plain", new byte[1], false, null);
        byte[] bytes = MimeRenderer.prepare(message().build(), List.of(a), filesOf(a)).toBytes();
        assertThat(ascii(bytes)).contains("filename*=UTF-8''%3D%3FUTF-8%3FQ%3Fnot_encoded%3F%3D.txt");
        assertThat(((Multipart) parse(bytes).getContent()).getBodyPart(1).getFileName()).isEqualTo(name);
    }

    @Test
    void storedMediaTypeIsSanitised() throws Exception {
        List<String> stored = List.of("Image/PNG", "text/plain; charset=\"evil\"\r\nX-Injected: 1", "multipart/mixed; boundary=x", "garbage",
                "", "text/", "/plain", "application/vnd.ms-excel");
        List<Attachment> attachments = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            attachments.add(file("f" + i, stored.get(i), new byte[3], false, null));
        }
        byte[] bytes = MimeRenderer.prepare(message().build(), attachments, filesOf(attachments.toArray(Attachment[]::new))).toBytes();
        assertWellFormed(bytes);
        assertThat(ascii(bytes)).doesNotContain("X-Injected").doesNotContain("evil");
        Multipart mixed = (Multipart) parse(bytes).getContent();
        List<String> types = new ArrayList<>();
        for (int i = 1; i < mixed.getCount(); i++) {
            types.add(mixed.getBodyPart(i).getContentType().replaceAll(";.*", ""));
        }
        assertThat(types).containsExactly("image/png", "text/plain", "application/octet-stream", "application/octet-stream",
                "application/octet-stream", "application/octet-stream", "application/octet-stream", "application/vnd.ms-excel");
    }

    @Test
    void everyMultipartHasItsOwnBoundaryWhichOnlyDelimitsParts() throws Exception {
        Message.Builder b = message();
        b.body = new ItemBody(true, "<p>----=_Part_ and -- at the start</p>\n--\n");
        Attachment logo = file("logo.png", "image/png", new byte[50], true, "logo@x");
        Attachment doc = file("doc.txt", "text/plain", new byte[50], false, null);
        byte[] bytes = MimeRenderer.prepare(b.build(), List.of(logo, doc), filesOf(logo, doc)).toBytes();
        String text = ascii(bytes);
        Matcher m = BOUNDARY.matcher(text);
        Set<String> boundaries = new HashSet<>();
        while (m.find()) {
            assertThat(m.group(1)).matches("----=_Part_[A-Za-z0-9_-]{24}");
            boundaries.add(m.group(1));
        }
        assertThat(boundaries).as("mixed, related, alternative").hasSize(3);
        for (String boundary : boundaries) {
            // once in its Content-Type, then once before each of its two parts and once after them
            assertThat(count(text, boundary)).isEqualTo(4);
            assertThat(count(text, "\r\n--" + boundary + "\r\n")).isEqualTo(2);
            assertThat(count(text, "\r\n--" + boundary + "--\r\n")).isEqualTo(1);
        }
        byte[] again = MimeRenderer.prepare(b.build(), List.of(logo, doc), filesOf(logo, doc)).toBytes();
        Matcher other = BOUNDARY.matcher(ascii(again));
        while (other.find()) {
            assertThat(boundaries).doesNotContain(other.group(1));
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void preparedMessageWithoutAttachmentsIsRenderedOnceAndServedFromItsBytes() {
        Message m = message().build();
        MimeSource source = MimeRenderer.prepare(m, List.of(), new MimeAttachmentsTest.Files());
        byte[] bytes = source.toBytes();
        assertThat(bytes).isEqualTo(MimeRenderer.render(m));
        assertThat(source.estimatedSize()).isEqualTo(bytes.length);
        assertThat(source.headerSection()).isEqualTo(MimeRenderer.headerSection(bytes)).endsWith("Thread-Index: AQHZ\r\n");
        assertThat(source.toBytes()).isEqualTo(bytes);
    }

    @Test
    void preparedMessageWithAttachmentsIsSizedWithoutReadingAndWritesTheSameEachTime() throws Exception {
        Message.Builder b = message();
        b.body = new ItemBody(true, "<p>Grüße <img src=\"cid:logo@x\"></p>");
        Attachment logo = file("logo.png", "image/png", new byte[5000], true, "logo@x");
        Attachment pdf = file("Größe.pdf", "application/pdf", new byte[70_001], false, null);
        MimeAttachmentsTest.Files files = filesOf(logo, pdf);
        Message.Builder inner = message();
        inner.subject = "Weitergeleitet: Grüße";
        inner.body = new ItemBody(true, "<p>inner</p>");
        Attachment item = new Attachment(AttachmentId.random(), "owner", Attachment.Kind.ITEM, "Weitergeleitet", null, 10, false,
                null, Instant.now(), null, "{}");
        files.items.put(item.id().value(), inner.build());

        MimeSource source = MimeRenderer.prepare(b.build(), List.of(logo, pdf, item), files);
        long size = source.estimatedSize();
        String headers = source.headerSection();
        assertThat(files.opened).isZero();
        byte[] first = source.toBytes();
        assertThat(files.opened).isEqualTo(2);
        assertThat(source.toBytes()).isEqualTo(first);
        assertThat(size).isEqualTo(first.length);
        assertThat(headers).isEqualTo(MimeRenderer.headerSection(first)).contains("Content-Type: multipart/mixed;");
        assertWellFormed(first);

        MimeMessage mime = parse(first);
        Multipart mixed = (Multipart) mime.getContent();
        MimeMessage nested = (MimeMessage) mixed.getBodyPart(2).getContent();
        assertThat(nested.getSubject()).isEqualTo("Weitergeleitet: Grüße");
        assertThat(nested.getContentType()).startsWith("multipart/alternative");
        assertThat(mixed.getBodyPart(2).getFileName()).isEqualTo("Weitergeleitet");
        assertThat(headerLines(ascii(first))).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    }

    @Test
    void relatedNamesItsRootTypeAndTextBodiesAreRelatedToo() throws Exception {
        Attachment logo = file("logo.png", "image/png", new byte[10], true, "logo@x");
        byte[] bytes = MimeRenderer.prepare(message().build(), List.of(logo), filesOf(logo)).toBytes();
        MimeMessage mime = parse(bytes);
        assertThat(new jakarta.mail.internet.ContentType(mime.getContentType()).getParameter("type")).isEqualTo("text/plain");
        Multipart related = (Multipart) mime.getContent();
        assertThat(related.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(related.getBodyPart(1).getHeader("Content-ID")).containsExactly("<logo@x>");
    }

    @Test
    void reportIsThreeSevenBitPartsWithTheStatusCanonicalised() throws Exception {
        Message.Builder b = message();
        b.body = new ItemBody(false, "Delivery failed.");
        byte[] bytes = MimeRenderer.renderReport(b.build(), "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; bøb@example.org\rStatus: 5.1.1\n",
                "Subject: Grüße\r\n");
        assertWellFormed(bytes);
        MimeMessage mime = parse(bytes);
        assertThat(new jakarta.mail.internet.ContentType(mime.getContentType()).getParameter("report-type")).isEqualTo("delivery-status");
        Multipart parts = (Multipart) mime.getContent();
        assertThat(new String(parts.getBodyPart(1).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; b?b@example.org\r\nStatus: 5.1.1\r\n");
        assertThat(new String(parts.getBodyPart(2).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Subject: Gr??e\r\n");
    }
}
