package graft.mime;

import graft.mail.InternetMessageHeader;
import graft.mail.Message;
import graft.mail.Recipient;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static graft.mime.MimeChecks.ascii;
import static graft.mime.MimeChecks.assertEncodedWordsValid;
import static graft.mime.MimeChecks.assertWellFormed;
import static graft.mime.MimeChecks.header;
import static graft.mime.MimeChecks.headerLines;
import static graft.mime.MimeRendererTest.message;
import static graft.mime.MimeRendererTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** The header section as written without Jakarta Mail: RFC 5322 fields, folding, RFC 2047 encoded-words. */
class MimeHeaderEncodingTest {
    static String rendered(Message.Builder b) {
        byte[] bytes = MimeRenderer.render(b.build());
        assertWellFormed(bytes);
        return ascii(bytes);
    }

    @Test
    void fieldsComeInTheOrderJakartaMailWroteThem() {
        Message.Builder b = message();
        b.sender = new Recipient("Assistant", "assistant@contoso.test");
        b.replyTo = List.of(new Recipient(null, "team@contoso.test"));
        b.importance = "low";
        b.isReadReceiptRequested = true;
        b.inReplyTo = "<orig@example.org>";
        b.references = "<orig@example.org>";
        b.internetMessageHeaders = List.of(new InternetMessageHeader("X-Ticket", "T-1"));
        List<String> names = headerLines(rendered(b)).stream().filter(l -> !l.startsWith(" ")).map(l -> l.substring(0, l.indexOf(':')))
                .collect(Collectors.toList());
        assertThat(names).containsExactly("Date", "From", "Sender", "Reply-To", "To", "Cc", "Message-ID", "In-Reply-To", "References",
                "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Importance", "X-Priority",
                "Disposition-Notification-To", "Thread-Index", "X-Ticket");
    }

    @Test
    void dateIsRfc5322InUtc() throws Exception {
        Message.Builder b = message();
        b.sentDateTime = Instant.parse("2026-12-04T22:54:03.789Z");
        String text = rendered(b);
        assertThat(headerLines(text)).contains("Date: Fri, 4 Dec 2026 22:54:03 +0000");
        assertThat(parse(text.getBytes()).getSentDate().toInstant()).isEqualTo(Instant.parse("2026-12-04T22:54:03Z"));
    }

    @Test
    void unsentMessageIsDatedNow() throws Exception {
        Message.Builder b = message();
        b.sentDateTime = null;
        Instant before = Instant.now().minusSeconds(1);
        Instant date = parse(MimeRenderer.render(b.build())).getSentDate().toInstant();
        assertThat(date).isBetween(before, Instant.now().plusSeconds(1));
    }

    @Test
    void messageWithoutIdGetsAUniqueOneInTheSendersDomain() throws Exception {
        Message.Builder b = message();
        b.internetMessageId = "";
        String first = parse(MimeRenderer.render(b.build())).getMessageID();
        String second = parse(MimeRenderer.render(b.build())).getMessageID();
        assertThat(first).matches("<[A-Za-z0-9_-]{24}@contoso\\.test>").isNotEqualTo(second);
        b.from = new Recipient(null, "not an address");
        assertThat(parse(MimeRenderer.render(b.build())).getMessageID()).matches("<[A-Za-z0-9_-]{24}@graft>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Grüße aus Köln",
            "東京の会議の議事録と来週の予定について（重要）ご確認ください。よろしくお願いいたします。東京の会議の議事録",
            "Emoji 😀🎉 party at 🏠 — bring 🍕",
            "Ünïcödé with trailing spaces and = and ? and _ underscores and (parens) and \"quotes\" and a long tail to fold",
            "=?UTF-8?Q?looks_encoded?= but is not",
            "  leading and  double   spaces\tand a tab ",
    })
    void subjectsDecodeBackExactly(String subject) throws Exception {
        Message.Builder b = message();
        b.subject = subject;
        String text = rendered(b);
        String section = text.substring(0, text.indexOf("\r\n\r\n"));
        assertEncodedWordsValid(section);
        // A tab is a control character, which never reaches a header (HeaderText.oneLine).
        String expected = subject.replace('\t', ' ').stripLeading();
        assertThat(parse(text.getBytes()).getSubject()).isEqualTo(expected);
        assertThat(MimeParser.parse(text.getBytes()).subject()).isEqualTo(expected);
        assertThat(headerLines(text)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    }

    @Test
    void subjectsNotAsciiUseQForMostlyAsciiAndBForTheRest() {
        Message.Builder b = message();
        b.subject = "Grüße";
        assertThat(header(rendered(b), "Subject")).isEqualTo("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=");
        b.subject = "東京";
        assertThat(header(rendered(b), "Subject")).isEqualTo("=?UTF-8?B?5p2x5Lqs?=");
    }

    @Test
    void longAsciiSubjectIsFoldedAtItsSpacesAndUnfoldsToTheSame() throws Exception {
        Message.Builder b = message();
        b.subject = "This is a long subject line ".repeat(12).strip();
        String text = rendered(b);
        List<String> subjectLines = new ArrayList<>();
        for (String line : headerLines(text)) {
            if (line.startsWith("Subject:") || !subjectLines.isEmpty() && line.startsWith(" ")) {
                subjectLines.add(line);
            } else if (!subjectLines.isEmpty()) {
                break;
            }
        }
        assertThat(subjectLines).hasSizeGreaterThan(3).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
        assertThat(text).doesNotContain("=?");
        assertThat(parse(text.getBytes()).getSubject()).isEqualTo(b.subject);
    }

    @Test
    void wordTooLongForAnyLineBecomesEncodedWordsRatherThanALineOver998() throws Exception {
        Message.Builder b = message();
        b.subject = "x".repeat(3000);
        String text = rendered(b);
        assertThat(assertEncodedWordsValid(text.substring(0, text.indexOf("\r\n\r\n")))).isGreaterThan(40);
        assertThat(parse(text.getBytes()).getSubject()).isEqualTo(b.subject);
    }

    @Test
    void longSubjectOfMultiByteCharactersNeverSplitsOneAcrossEncodedWords() throws Exception {
        Message.Builder b = message();
        b.subject = "ä😀東".repeat(80) + "x";
        String text = rendered(b);
        assertThat(assertEncodedWordsValid(text.substring(0, text.indexOf("\r\n\r\n")))).isGreaterThan(10);
        assertThat(parse(text.getBytes()).getSubject()).isEqualTo(b.subject);
    }

    @Test
    void displayNamesAreAtomsQuotedStringsOrEncodedWords() throws Exception {
        Message.Builder b = message();
        List<Recipient> to = List.of(new Recipient("Plain Name", "plain@example.org"), new Recipient("Doe, John", "jd@example.org"),
                new Recipient("J. R. R. Tolkien", "jrr@example.org"), new Recipient("O'Brien (HQ) \"Boss\" \\o/", "ob@example.org"),
                new Recipient("Zoë Ångström", "zoe@example.org"), new Recipient("=?UTF-8?Q?fake?=", "fake@example.org"),
                new Recipient("same@example.org", "same@example.org"), new Recipient(null, "bare@example.org"),
                new Recipient("  Spaced   Out  ", "spaced@example.org"));
        b.toRecipients = to;
        String text = rendered(b);
        String toHeader = header(text, "To");
        assertThat(toHeader).startsWith("Plain Name <plain@example.org>, \"Doe, John\" <jd@example.org>, \"J. R. R. Tolkien\" <jrr@example.org>,")
                .contains("=?UTF-8?Q?Zo=C3=AB_=C3=85ngstr=C3=B6m?= <zoe@example.org>")
                .contains(", same@example.org, bare@example.org,");
        assertEncodedWordsValid(text.substring(0, text.indexOf("\r\n\r\n")));

        InternetAddress[] parsed = (InternetAddress[]) parse(text.getBytes()).getRecipients(jakarta.mail.Message.RecipientType.TO);
        assertThat(parsed).hasSize(to.size());
        assertThat(parsed[3].getPersonal()).isEqualTo("O'Brien (HQ) \"Boss\" \\o/");
        assertThat(parsed[5].getPersonal()).isEqualTo("=?UTF-8?Q?fake?=");
        assertThat(MimeParser.parse(text.getBytes()).to()).containsExactly(new Recipient("Plain Name", "plain@example.org"),
                new Recipient("Doe, John", "jd@example.org"), new Recipient("J. R. R. Tolkien", "jrr@example.org"),
                new Recipient("O'Brien (HQ) \"Boss\" \\o/", "ob@example.org"), new Recipient("Zoë Ångström", "zoe@example.org"),
                new Recipient("=?UTF-8?Q?fake?=", "fake@example.org"), new Recipient(null, "same@example.org"),
                new Recipient(null, "bare@example.org"), new Recipient("Spaced   Out", "spaced@example.org"));
    }

    @Test
    void manyRecipientsFoldBetweenAddressesAndAllComeBack() throws Exception {
        Message.Builder b = message();
        List<Recipient> to = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            to.add(new Recipient(i % 3 == 0 ? "Müller Nr. " + i : i % 3 == 1 ? "Person " + i : null, "person" + i + "@example.org"));
        }
        b.toRecipients = to;
        b.ccRecipients = to;
        String text = rendered(b);
        assertThat(headerLines(text)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertEncodedWordsValid(text.substring(0, text.indexOf("\r\n\r\n")));
        MimeParser.Parsed back = MimeParser.parse(text.getBytes());
        assertThat(back.to()).containsExactlyElementsOf(to);
        assertThat(back.cc()).containsExactlyElementsOf(to);
    }

    @Test
    void veryLongNonAsciiNameStaysWithinLineLimitsAndDecodes() throws Exception {
        Message.Builder b = message();
        String name = "Überlange Anzeigename mit Umlauten äöü und 東京 ".repeat(10).strip();
        b.from = new Recipient(name, "long@contoso.test");
        String text = rendered(b);
        assertEncodedWordsValid(text.substring(0, text.indexOf("\r\n\r\n")));
        assertThat(headerLines(text)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(((InternetAddress) parse(text.getBytes()).getFrom()[0]).getPersonal()).isEqualTo(name);
        assertThat(((InternetAddress) parse(text.getBytes()).getFrom()[0]).getAddress()).isEqualTo("long@contoso.test");
    }

    @Test
    void extensionHeaderWithLongNameAndNonAsciiValueIsFoldedAfterTheName() throws Exception {
        Message.Builder b = message();
        String name = "X-" + "Very-Long-Extension-Field-Name-".repeat(3);
        b.internetMessageHeaders = List.of(new InternetMessageHeader(name, "Wert mit Umlauten: äöü, and more text to make it long"));
        String text = rendered(b);
        assertEncodedWordsValid(text.substring(0, text.indexOf("\r\n\r\n")));
        assertThat(MimeParser.parse(text.getBytes()).headers()).containsExactly(
                new InternetMessageHeader(name, "Wert mit Umlauten: äöü, and more text to make it long"));
    }

    @Test
    void referencesFoldBetweenMessageIds() throws Exception {
        Message.Builder b = message();
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            refs.append(i == 0 ? "" : " ").append("<message-").append(i).append("@example.org>");
        }
        b.references = refs.toString();
        String text = rendered(b);
        assertThat(headerLines(text)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        MimeMessage mime = parse(text.getBytes());
        assertThat(jakarta.mail.internet.MimeUtility.unfold(mime.getHeader("References", null))).isEqualTo(b.references);
    }

    @Test
    void senderOnlyWhenItDiffersFromFrom() {
        Message.Builder b = message();
        b.sender = new Recipient("Alice", "ALICE@contoso.test");
        assertThat(header(rendered(b), "Sender")).isNull();
        b.sender = new Recipient("Delegate", "delegate@contoso.test");
        assertThat(header(rendered(b), "Sender")).isEqualTo("Delegate <delegate@contoso.test>");
    }

    @Test
    void recipientWithNeitherNameNorAddressIsLeftOutAndAnEmptyListWritesNoField() {
        Message.Builder b = message();
        b.ccRecipients = List.of(new Recipient(null, " "), new Recipient("", null));
        assertThat(header(rendered(b), "Cc")).isNull();
        b.ccRecipients = List.of(new Recipient(null, null), new Recipient(null, "cc@example.org"));
        assertThat(header(rendered(b), "Cc")).isEqualTo("cc@example.org");
    }
}
