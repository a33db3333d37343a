package graft.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import graft.testing.TestServer;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static graft.delivery.DeliveryTests.message;
import static graft.delivery.DeliveryTests.sendMail;
import static org.assertj.core.api.Assertions.assertThat;

/** Graph sends to external addresses arrive at a real SMTP server (GreenMail), through a relay that logs in. */
class GreenMailDeliveryTest {
    static GreenMail greenMail;
    static TestServer server;
    static String token;

    @BeforeAll
    static void start() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.setUser("relay-user", "relay-pw");
        greenMail.start();
        server = TestServer.start(DeliveryTests.relayYaml(greenMail.getSmtp().getPort(), ", username: relay-user, password: relay-pw")
                + DeliveryTests.ADMIN_YAML, "    outbound: relay\n");
        token = server.appToken();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        greenMail.stop();
    }

    static List<MimeMessage> received(String subject) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** Messages in the GreenMail mailbox of an envelope recipient (a Bcc recipient is in no header). */
    static int inboxSize(String address) {
        return inboxSize(greenMail, address);
    }

    static int inboxSize(GreenMail greenMail, String address) {
        try {
            var user = greenMail.getUserManager().getUserByEmail(address);
            return user == null ? 0 : greenMail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<MimeMessage> await(String subject, int count) {
        FakeSmtpServer.await(count + " x " + subject, Duration.ofSeconds(20), () -> received(subject).size() >= count);
        return received(subject);
    }

    @Test
    void sendMailToExternalAddressArrivesWithGraphHeadersAndBody() throws Exception {
        var m = message("Quarterly report", "Hello Bob,\nthe numbers are in.", List.of("bob@example.org"),
                List.of("carol@example.net"), List.of("hidden@example.com"));
        m.put("importance", "high");
        m.putArray("internetMessageHeaders").addObject().put("name", "x-custom-id").put("value", "42");
        sendMail(server, token, TestServer.ALICE, m);

        List<MimeMessage> got = await("Quarterly report", 3);
        MimeMessage mime = got.getFirst();
        assertThat(((InternetAddress) mime.getFrom()[0]).getAddress()).isEqualTo(TestServer.ALICE);
        assertThat(((InternetAddress) mime.getFrom()[0]).getPersonal()).isEqualTo("Alice Adams");
        assertThat(Arrays.stream(mime.getRecipients(jakarta.mail.Message.RecipientType.TO)).map(Address::toString)).containsExactly("bob@example.org");
        assertThat(Arrays.stream(mime.getRecipients(jakarta.mail.Message.RecipientType.CC)).map(Address::toString)).containsExactly("carol@example.net");
        assertThat(mime.getHeader("Bcc")).isNull();
        assertThat(mime.getMessageID()).startsWith("<").endsWith("@contoso.test>");
        assertThat(mime.getSentDate()).isNotNull();
        assertThat(mime.getHeader("Importance", null)).isEqualTo("high");
        assertThat(mime.getHeader("x-custom-id", null)).isEqualTo("42");
        assertThat(((String) mime.getContent()).replace("\r\n", "\n")).isEqualTo("Hello Bob,\nthe numbers are in.");
        // every recipient got it, the Bcc one too, from one and the same message
        assertThat(got).extracting(MimeMessage::getMessageID).containsOnly(mime.getMessageID());
        assertThat(inboxSize("hidden@example.com")).isEqualTo(1);

        var trace = DeliveryTests.awaitState(server, "hidden@example.com", "delivered");
        assertThat(trace.path("attempts").asInt()).isEqualTo(1);
        assertThat(trace.path("lastReply").asText()).startsWith("250");
        assertThat(trace.path("subject").asText()).isEqualTo("Quarterly report");
    }

    @Test
    void utf8SubjectAndDisplayNamesArriveIntact() throws Exception {
        String subject = "Grüße aus Köln – 東京 ✓";
        var m = message(subject, "Schöne Grüße — 東京", List.of(), List.of(), List.of());
        m.putArray("toRecipients").addObject().putObject("emailAddress").put("name", "Jürgen Müller").put("address", "jm@example.org");
        sendMail(server, token, TestServer.ALICE, m);

        MimeMessage mime = await(subject, 1).getFirst();
        assertThat(mime.getSubject()).isEqualTo(subject);
        assertThat(((InternetAddress) mime.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("Jürgen Müller");
        assertThat(((String) mime.getContent()).strip()).isEqualTo("Schöne Grüße — 東京");
    }

    @Test
    void htmlBodyArrivesWithAPlainTextAlternative() throws Exception {
        var m = message("Html mail", "", List.of("html@example.org"), List.of(), List.of());
        m.putObject("body").put("contentType", "html").put("content", "<p>Hello <b>there</b></p>");
        sendMail(server, token, TestServer.ALICE, m);

        MimeMessage mime = await("Html mail", 1).getFirst();
        assertThat(mime.getContentType()).startsWith("multipart/alternative");
        var alt = (jakarta.mail.Multipart) mime.getContent();
        assertThat((String) alt.getBodyPart(0).getContent()).contains("Hello there");
        assertThat((String) alt.getBodyPart(1).getContent()).contains("<b>there</b>");
    }
}
