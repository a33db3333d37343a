package graft.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import graft.testing.TestServer;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static graft.delivery.DeliveryTests.message;
import static graft.delivery.DeliveryTests.sendMail;
import static org.assertj.core.api.Assertions.assertThat;

/** Attachments leave over SMTP as proper MIME parts, and MIME given to sendMail arrives as it was given. */
class MimeDeliveryTest {
    static GreenMail greenMail;
    static TestServer server;
    static String token;

    @BeforeAll
    static void start() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        server = TestServer.start(DeliveryTests.relayYaml(greenMail.getSmtp().getPort(), "") + DeliveryTests.ADMIN_YAML, "    outbound: relay\n");
        token = server.appToken();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        greenMail.stop();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static MimeMessage await(String subject) {
        MimeMessage[] found = new MimeMessage[1];
        FakeSmtpServer.await(subject, Duration.ofSeconds(20), () -> {
            found[0] = Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
                try {
                    return subject.equals(m.getSubject());
                } catch (Exception e) {
                    return false;
                }
            }).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void externalSendWithAttachmentsArrivesAsMimeParts() throws Exception {
        ObjectNode m = message("With attachments", "", List.of("files@example.org"), List.of(), List.of());
        m.putObject("body").put("contentType", "html").put("content", "<p>Logo: <img src=\"cid:logo\"></p>");
        var attachments = m.putArray("attachments");
        attachments.addObject().put("@odata.type", "#microsoft.graph.fileAttachment").put("name", "logo.png").put("contentType", "image/png")
                .put("isInline", true).put("contentId", "logo").put("contentBytes", Base64.getEncoder().encodeToString(bytes(2048)));
        attachments.addObject().put("@odata.type", "#microsoft.graph.fileAttachment").put("name", "Übersicht.xlsx")
                .put("contentBytes", Base64.getEncoder().encodeToString(bytes(1_500_000)));
        ObjectNode item = attachments.addObject().put("@odata.type", "#microsoft.graph.itemAttachment").put("name", "Earlier mail");
        item.set("item", message("Earlier mail", "from before", List.of("x@example.org"), List.of(), List.of()));
        sendMail(server, token, TestServer.ALICE, m);

        MimeMessage mime = await("With attachments");
        assertThat(mime.getContentType()).startsWith("multipart/mixed");
        Multipart mixed = (Multipart) mime.getContent();
        assertThat(mixed.getCount()).isEqualTo(3);
        Multipart related = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("multipart/related");
        Part logo = related.getBodyPart(1);
        assertThat(logo.getHeader("Content-ID")).containsExactly("<logo>");
        assertThat(logo.getInputStream().readAllBytes()).isEqualTo(bytes(2048));
        Part sheet = mixed.getBodyPart(1);
        assertThat(sheet.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(sheet.getFileName()).isEqualTo("Übersicht.xlsx");
        assertThat(sheet.getContentType()).startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .as("contentType inferred from the name");
        assertThat(sheet.getInputStream().readAllBytes()).isEqualTo(bytes(1_500_000));
        Part earlier = mixed.getBodyPart(2);
        assertThat(earlier.isMimeType("message/rfc822")).isTrue();
        assertThat(((MimeMessage) earlier.getContent()).getSubject()).isEqualTo("Earlier mail");
    }

    @Test
    void sendMailFromMimeArrivesAtGreenMailAndTheLocalInbox() throws Exception {
        byte[] data = bytes(300_000);
        String mime = ("From: Alice Adams <alice@contoso.test>\nTo: ext@example.org, bob@contoso.test\nSubject: From MIME\n"
                + "X-Ticket: T-1\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                + "--b\nContent-Type: text/plain; charset=utf-8\n\nBody from MIME\n"
                + "--b\nContent-Type: application/zip\nContent-Disposition: attachment; filename=\"a.zip\"\nContent-Transfer-Encoding: base64\n\n"
                + Base64.getMimeEncoder().encodeToString(data) + "\n--b--\n").replace("\n", "\r\n");
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1.0/users/" + TestServer.ALICE + "/sendMail"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(Base64.getEncoder().encodeToString(mime.getBytes(StandardCharsets.US_ASCII)))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        MimeMessage got = await("From MIME");
        assertThat(got.getHeader("X-Ticket", null)).isEqualTo("T-1");
        Multipart mixed = (Multipart) got.getContent();
        assertThat(((String) mixed.getBodyPart(0).getContent())).isEqualTo("Body from MIME");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("a.zip");
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(data);

        String bobToken = server.appToken();
        HttpResponse<String> inbox = server.call("GET", "/v1.0/users/" + TestServer.BOB + "/mailFolders/inbox/messages?$filter="
                + TestServer.enc("subject eq 'From MIME'"), bobToken, null);
        String id = DeliveryTests.json(inbox.body()).path("value").get(0).path("id").asText();
        HttpResponse<String> list = server.call("GET", "/v1.0/users/" + TestServer.BOB + "/messages/" + id + "/attachments", bobToken, null);
        var attachment = DeliveryTests.json(list.body()).path("value").get(0);
        assertThat(attachment.path("name").asText()).isEqualTo("a.zip");
        assertThat(Base64.getDecoder().decode(attachment.path("contentBytes").asText())).isEqualTo(data);
    }
}
