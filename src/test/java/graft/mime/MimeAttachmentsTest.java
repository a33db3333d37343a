package graft.mime;

import graft.mail.Attachment;
import graft.mail.AttachmentId;
import graft.mail.ItemBody;
import graft.mail.Message;
import graft.mail.Recipient;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static graft.mime.MimeRendererTest.message;
import static graft.mime.MimeRendererTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attachments in MIME: the structure Graft writes, that it is written as it streams, and reading it back. */
class MimeAttachmentsTest {
    static final byte[] PNG = bytes(5000, 1);
    static final byte[] PDF = bytes(70_001, 2);

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Attachment file(String name, String type, byte[] content, boolean inline, String cid) {
        return new Attachment(AttachmentId.random(), "owner", Attachment.Kind.FILE, name, type, content.length, inline, cid,
                Instant.now(), "blob-" + name, null);
    }

    /** Content by blob id, counting how often each file is opened. */
    static final class Files implements AttachmentContent {
        final Map<String, byte[]> content = new java.util.HashMap<>();
        final Map<String, Message> items = new java.util.HashMap<>();
        int opened;

        @Override
        public InputStream open(Attachment file) {
            opened++;
            return new ByteArrayInputStream(content.get(file.blobId()));
        }

        @Override
        public Message item(Attachment item) {
            return items.get(item.id().value());
        }
    }

    @Test
    void htmlWithInlineImageFileAndItemIsMixedAroundRelatedAroundAlternative() throws Exception {
        Message.Builder b = message();
        b.body = new ItemBody(true, "<p>See <img src=\"cid:logo@x\"></p>");
        Files files = new Files();
        Attachment logo = file("logo.png", "image/png", PNG, true, "logo@x");
        Attachment report = file("Bericht Größe.pdf", "application/pdf", PDF, false, null);
        files.content.put(logo.blobId(), PNG);
        files.content.put(report.blobId(), PDF);
        Message.Builder inner = message();
        inner.subject = "Forwarded thing";
        inner.body = new ItemBody(false, "inner text");
        Attachment item = new Attachment(AttachmentId.random(), "owner", Attachment.Kind.ITEM, "Forwarded thing", null, 10, false,
                null, Instant.now(), null, "{}");
        files.items.put(item.id().value(), inner.build());

        MimeSource source = MimeRenderer.prepare(b.build(), List.of(logo, report, item), files);
        assertThat(files.opened).as("nothing is read before it is written").isZero();
        byte[] bytes = source.toBytes();
        assertThat(source.estimatedSize()).isBetween(bytes.length - 200L, bytes.length + 200L);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(text).contains("filename*=UTF-8''Bericht%20Gr%C3%B6%C3%9Fe.pdf");
        assertThat(source.headerSection()).contains("Subject: Quarterly report").contains("multipart/mixed").doesNotContain("Content-ID");

        MimeMessage mime = parse(bytes);
        assertThat(mime.getContentType()).startsWith("multipart/mixed");
        Multipart mixed = (Multipart) mime.getContent();
        assertThat(mixed.getCount()).isEqualTo(3);
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("multipart/related").contains("multipart/alternative");
        Multipart related = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(related.getBodyPart(0).getContentType()).startsWith("multipart/alternative");
        Part image = related.getBodyPart(1);
        assertThat(image.getHeader("Content-ID")[0]).isEqualTo("<logo@x>");
        assertThat(image.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(image.getInputStream().readAllBytes()).isEqualTo(PNG);
        Part pdf = mixed.getBodyPart(1);
        assertThat(pdf.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(pdf.getHeader("Content-Transfer-Encoding")[0]).isEqualTo("base64");
        assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(PDF);
        assertThat(mixed.getBodyPart(2).getContentType()).startsWith("message/rfc822");
        assertThat(((MimeMessage) mixed.getBodyPart(2).getContent()).getSubject()).isEqualTo("Forwarded thing");

        MimeParser.Parsed back = MimeParser.parse(bytes);
        assertThat(back.subject()).isEqualTo("Quarterly report");
        assertThat(back.body().html()).isTrue();
        assertThat(back.body().content()).contains("<img src=\"cid:logo@x\">");
        assertThat(back.attachments()).hasSize(3);
        assertThat(back.attachments().get(0)).satisfies(a -> {
            assertThat(a.name()).isEqualTo("logo.png");
            assertThat(a.isInline()).isTrue();
            assertThat(a.contentId()).isEqualTo("logo@x");
            assertThat(a.content()).isEqualTo(PNG);
        });
        assertThat(back.attachments().get(1).name()).isEqualTo("Bericht Größe.pdf");
        assertThat(back.attachments().get(1).content()).isEqualTo(PDF);
        assertThat(back.attachments().get(2).item().body().content()).isEqualTo("inner text");
    }

    @Test
    void fileContentIsWrittenAsItIsReadNotCollectedFirst() throws Exception {
        int size = 3 * 1024 * 1024;
        List<Long> writtenWhenReadEnded = new ArrayList<>();
        long[] written = {0};
        AttachmentContent content = new AttachmentContent() {
            @Override
            public InputStream open(Attachment file) {
                return new InputStream() {
                    int left = size;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'A' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            writtenWhenReadEnded.add(written[0]);
                            return -1;
                        }
                        int n = Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) 'A');
                        left -= n;
                        return n;
                    }
                };
            }

            @Override
            public Message item(Attachment item) {
                throw new AssertionError();
            }
        };
        Attachment big = new Attachment(AttachmentId.random(), "o", Attachment.Kind.FILE, "big.bin", "application/octet-stream", size,
                false, null, Instant.now(), "b", null);
        MimeRenderer.prepare(message().build(), List.of(big), content).writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        });
        // By the time the last byte was read, nearly all of its base64 had already gone out.
        assertThat(writtenWhenReadEnded.getFirst()).isGreaterThan(size);
    }

    @Test
    void parserReadsHeadersBodiesAndEncodedNames() throws Exception {
        String mime = """
                From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.org>
                To: Bob <bob@contoso.test>, carol@contoso.test
                Cc: cc@example.org
                Bcc: hidden@example.org
                Reply-To: replies@example.org
                Subject: =?UTF-8?B?R3LDvMOfZQ==?=
                Message-ID: <m1@example.org>
                Date: Tue, 4 Mar 2025 05:06:07 +0000
                X-Priority: 1
                X-Custom: value
                Received: from nowhere
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: multipart/alternative; boundary="b2"

                --b2
                Content-Type: text/plain; charset=utf-8

                plain
                --b2
                Content-Type: text/html; charset=utf-8

                <b>rich</b>
                --b2--
                --b1
                Content-Type: text/plain; name="=?UTF-8?Q?n=C3=B6tes.txt?="
                Content-Disposition: attachment
                Content-Transfer-Encoding: base64

                %s
                --b1--
                """.formatted(Base64.getEncoder().encodeToString("notes".getBytes(StandardCharsets.UTF_8))).replace("\n", "\r\n");
        MimeParser.Parsed p = MimeParser.parse(mime.getBytes(StandardCharsets.US_ASCII));
        assertThat(p.from()).isEqualTo(new Recipient("Jürgen", "juergen@example.org"));
        assertThat(p.to()).containsExactly(new Recipient("Bob", "bob@contoso.test"), new Recipient(null, "carol@contoso.test"));
        assertThat(p.bcc()).containsExactly(new Recipient(null, "hidden@example.org"));
        assertThat(p.replyTo()).containsExactly(new Recipient(null, "replies@example.org"));
        assertThat(p.subject()).isEqualTo("Grüße");
        assertThat(p.messageId()).isEqualTo("<m1@example.org>");
        assertThat(p.date()).isEqualTo(Instant.parse("2025-03-04T05:06:07Z"));
        assertThat(p.importance()).isEqualTo("high");
        assertThat(p.headers()).extracting(h -> h.name() + "=" + h.value()).containsExactly("X-Custom=value");
        assertThat(p.body()).isEqualTo(new ItemBody(true, "<b>rich</b>"));
        assertThat(p.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("nötes.txt");
            assertThat(a.contentType()).isEqualTo("text/plain");
            assertThat(new String(a.content(), StandardCharsets.UTF_8)).isEqualTo("notes");
        });
    }

    @Test
    void emptyOrHeaderlessInputIsInvalid() {
        assertThatThrownBy(() -> MimeParser.parse(new byte[0])).isInstanceOf(MimeParser.InvalidMime.class);
        assertThatThrownBy(() -> MimeParser.parse("just some words\r\nand more".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MimeParser.InvalidMime.class);
    }

    @Test
    void repliesCarryThreadingHeaders() throws Exception {
        Message.Builder b = message();
        b.inReplyTo = "<orig@example.org>";
        b.references = "<a@example.org> <orig@example.org>";
        MimeMessage mime = parse(MimeRenderer.render(b.build()));
        assertThat(mime.getHeader("In-Reply-To", null)).isEqualTo("<orig@example.org>");
        assertThat(mime.getHeader("References", null)).isEqualTo("<a@example.org> <orig@example.org>");
    }

}
