package graft.mime;

import graft.mail.FolderId;
import graft.mail.InternetMessageHeader;
import graft.mail.ItemBody;
import graft.mail.Message;
import graft.mail.MessageId;
import graft.mail.Recipient;
import graft.mail.WellKnownFolder;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MimeRendererTest {
    static Message.Builder message() {
        UUID mailbox = UUID.randomUUID();
        Message.Builder b = new Message.Builder();
        b.id = MessageId.random();
        b.mailboxId = mailbox;
        b.folderId = FolderId.of(mailbox, WellKnownFolder.SENTITEMS);
        b.changeKey = "ck";
        Instant t = Instant.parse("2025-03-04T05:06:07Z");
        b.createdDateTime = t;
        b.lastModifiedDateTime = t;
        b.receivedDateTime = t;
        b.sentDateTime = t;
        b.subject = "Quarterly report";
        b.body = new ItemBody(false, "Hello Bob,\nsee you.\n");
        b.from = new Recipient("Alice Adams", "alice@contoso.test");
        b.sender = b.from;
        b.toRecipients = List.of(new Recipient("Bob", "bob@example.org"));
        b.ccRecipients = List.of(new Recipient("carol@example.org", "carol@example.org"));
        b.bccRecipients = List.of(new Recipient("Hidden", "hidden@example.org"));
        b.internetMessageId = "<abc123@contoso.test>";
        b.conversationId = "AAQk";
        b.conversationIndex = "AQHZ";
        return b;
    }

    static String text(Message m) {
        return new String(MimeRenderer.render(m), StandardCharsets.US_ASCII);
    }

    static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    static String headerSection(String rendered) {
        return rendered.substring(0, rendered.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void rendersTheGraphMessageWithItsHeaders() throws Exception {
        byte[] bytes = MimeRenderer.render(message().build());
        MimeMessage mime = parse(bytes);

        assertThat(mime.getHeader("Message-ID", null)).isEqualTo("<abc123@contoso.test>");
        assertThat(mime.getSentDate().toInstant()).isEqualTo(Instant.parse("2025-03-04T05:06:07Z"));
        assertThat(((InternetAddress) mime.getFrom()[0]).getPersonal()).isEqualTo("Alice Adams");
        assertThat(mime.getHeader("To", null)).isEqualTo("Bob <bob@example.org>");
        assertThat(mime.getHeader("Cc", null)).isEqualTo("carol@example.org");
        assertThat(mime.getSubject()).isEqualTo("Quarterly report");
        assertThat(mime.getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
        assertThat((String) mime.getContent()).isEqualTo("Hello Bob,\r\nsee you.\r\n");
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
    }

    @Test
    void bccIsNeverAHeader() {
        assertThat(text(message().build())).doesNotContainIgnoringCase("bcc").doesNotContain("hidden@example.org");
    }

    @Test
    void subjectCannotInjectSmtpHeaderViaCrLf() throws Exception {
        Message.Builder b = message();
        b.subject = "Hi\r\nBcc: victim@example.org\r\n\r\nInjected body";
        String rendered = text(b.build());
        assertThat(headerSection(rendered)).doesNotContainPattern("(?m)^Bcc:").doesNotContain("\r\n\r\nInjected");
        assertThat(parse(rendered.getBytes(StandardCharsets.US_ASCII)).getHeader("Bcc")).isNull();
    }

    @Test
    void displayNameCannotInjectHeaderViaCrLf() throws Exception {
        Message.Builder b = message();
        b.toRecipients = List.of(new Recipient("Bob\r\nX-Injected: yes", "bob@example.org"));
        b.from = new Recipient("Alice\nReply-To: evil@attacker.test", "alice@contoso.test");
        String rendered = text(b.build());
        assertThat(headerSection(rendered)).doesNotContainPattern("(?m)^X-Injected").doesNotContainPattern("(?m)^Reply-To");
        assertThat(parse(rendered.getBytes(StandardCharsets.US_ASCII)).getHeader("X-Injected")).isNull();
    }

    @Test
    void recipientAddressCannotInjectHeaderOrSplitIntoMoreRecipients() throws Exception {
        Message.Builder b = message();
        b.toRecipients = List.of(new Recipient(null, "bob@example.org\r\nBcc: x@attacker.test"), new Recipient(null, "c@example.org>, <d@attacker.test"));
        String rendered = text(b.build());
        assertThat(headerSection(rendered)).doesNotContainPattern("(?m)^Bcc");
        String to = parse(rendered.getBytes(StandardCharsets.US_ASCII)).getHeader("To", null);
        assertThat(to.split(",")).as("still two addresses, not three").hasSize(2);
        assertThat(to).doesNotContain("<d@attacker.test>");
    }

    @Test
    void customHeaderCannotInjectHeadersNorReplaceStandardOnes() throws Exception {
        Message.Builder b = message();
        b.internetMessageHeaders = List.of(new InternetMessageHeader("x-custom", "one\r\nBcc: victim@example.org"),
                new InternetMessageHeader("From", "evil@attacker.test"), new InternetMessageHeader("x-bad name", "v"),
                new InternetMessageHeader("x-unicode", "Grüße"));
        String rendered = text(b.build());
        MimeMessage mime = parse(rendered.getBytes(StandardCharsets.US_ASCII));
        assertThat(mime.getHeader("x-custom", null)).isEqualTo("one  Bcc: victim@example.org");
        assertThat(mime.getHeader("Bcc")).isNull();
        assertThat(mime.getHeader("From")).hasSize(1);
        assertThat(mime.getHeader("From", null)).doesNotContain("attacker");
        assertThat(rendered).doesNotContain("x-bad name");
        assertThat(MimeUtility.decodeText(mime.getHeader("x-unicode", null))).isEqualTo("Grüße");
    }

    @Test
    void nonAsciiSubjectAndNamesAreEncodedWordsThatDecodeIntact() throws Exception {
        Message.Builder b = message();
        b.subject = "Grüße aus Köln – 東京 ✓";
        b.from = new Recipient("Zoë Ångström", "alice@contoso.test");
        b.toRecipients = List.of(new Recipient("Jürgen Müller", "jm@example.org"));
        b.body = new ItemBody(false, "Schöne Grüße, 東京\n");
        byte[] bytes = MimeRenderer.render(b.build());
        String rendered = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(rendered.chars().allMatch(c -> c < 128)).as("7-bit clean").isTrue();
        assertThat(headerSection(rendered)).contains("=?UTF-8?");
        MimeMessage mime = parse(bytes);
        assertThat(mime.getSubject()).isEqualTo("Grüße aus Köln – 東京 ✓");
        assertThat(((InternetAddress) mime.getFrom()[0]).getPersonal()).isEqualTo("Zoë Ångström");
        assertThat(((InternetAddress) mime.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("Jürgen Müller");
        assertThat((String) mime.getContent()).isEqualTo("Schöne Grüße, 東京\r\n");
    }

    @Test
    void htmlBodyGetsAPlainTextAlternative() throws Exception {
        Message.Builder b = message();
        b.body = new ItemBody(true, "<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>Bob</b></p><p>Line 2 &amp; more</p></body></html>");
        MimeMessage mime = parse(MimeRenderer.render(b.build()));
        assertThat(mime.getContentType()).startsWith("multipart/alternative");
        Multipart alt = (Multipart) mime.getContent();
        assertThat(alt.getCount()).isEqualTo(2);
        assertThat(alt.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
        assertThat((String) alt.getBodyPart(0).getContent()).contains("Hello Bob").contains("Line 2 & more").doesNotContain("<").doesNotContain("p{}");
        assertThat(alt.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) alt.getBodyPart(1).getContent()).contains("<b>Bob</b>");
    }

    @Test
    void importanceReplyToAndReadReceiptBecomeHeaders() throws Exception {
        Message.Builder b = message();
        b.importance = "high";
        b.isReadReceiptRequested = true;
        b.replyTo = List.of(new Recipient("Team", "team@contoso.test"));
        MimeMessage mime = parse(MimeRenderer.render(b.build()));
        assertThat(mime.getHeader("Importance", null)).isEqualTo("high");
        assertThat(mime.getHeader("X-Priority", null)).isEqualTo("1");
        assertThat(mime.getHeader("Disposition-Notification-To", null)).contains("alice@contoso.test");
        assertThat(mime.getHeader("Reply-To", null)).isEqualTo("Team <team@contoso.test>");
    }

    @Test
    void normalImportanceAddsNoPriorityHeaders() throws Exception {
        MimeMessage mime = parse(MimeRenderer.render(message().build()));
        assertThat(mime.getHeader("Importance")).isNull();
        assertThat(mime.getHeader("X-Priority")).isNull();
        assertThat(mime.getHeader("Disposition-Notification-To")).isNull();
    }

    @Test
    void reportIsMultipartReportWithDeliveryStatusAndOriginalHeaders() throws Exception {
        Message.Builder b = message();
        b.subject = "Undeliverable: Quarterly report";
        b.body = new ItemBody(true, "<p>Your message couldn't be delivered.</p>");
        String status = "Reporting-MTA: dns; contoso.test\r\n\r\nFinal-Recipient: rfc822; bob@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n";
        String original = MimeRenderer.headerSection(MimeRenderer.render(message().build()));
        MimeMessage mime = parse(MimeRenderer.renderReport(b.build(), status, original));
        assertThat(mime.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        Multipart parts = (Multipart) mime.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        String dsn = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(dsn).contains("Final-Recipient: rfc822; bob@example.org").contains("Status: 5.1.1");
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        assertThat(new String(parts.getBodyPart(2).getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .contains("Message-ID: <abc123@contoso.test>");
    }
}
