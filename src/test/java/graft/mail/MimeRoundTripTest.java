package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.Attachment;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.FileAttachment;
import com.microsoft.graph.models.ItemAttachment;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import graft.http.Json;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import static graft.mail.AttachmentTest.file;
import static graft.mail.AttachmentTest.randomBytes;
import static graft.testing.TestMail.message;
import static graft.testing.TestMail.recipient;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MIME in and out (contract §1.1, §1.2, §1.6): {@code GET .../$value}, and creating or sending a message from
 * base64 MIME. A message made through JSON, read as MIME and posted back is the same message.
 */
class MimeRoundTripTest {
    static TestServer server;
    static GraphServiceClient alice;
    static String aliceToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        aliceToken = server.userToken(ALICE, "Mail.Send Mail.ReadWrite");
        alice = server.graph(aliceToken);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static HttpResponse<String> postMime(String path, String token, String base64) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(base64)).build());
    }

    static byte[] value(String path, String token) {
        HttpResponse<byte[]> r;
        try {
            r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(path))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return r.body();
    }

    static Message richMessage(String subject) {
        Message m = message(subject, BOB);
        m.setCcRecipients(List.of(recipient(CAROL)));
        m.setBccRecipients(List.of(recipient("hidden@example.org")));
        var named = recipient("jm@example.org");
        named.getEmailAddress().setName("Jürgen Müller");
        m.setReplyTo(List.of(named));
        ItemBody body = new ItemBody();
        body.setContentType(BodyType.Html);
        body.setContent("<p>Grüße, see <img src=\"cid:logo@graft\"> and the files.</p>");
        m.setBody(body);
        FileAttachment logo = file("logo.png", randomBytes(4321));
        logo.setIsInline(true);
        logo.setContentId("logo@graft");
        logo.setContentType("image/png");
        FileAttachment report = file("Bericht – März.pdf", randomBytes(200_000));
        report.setContentType("application/pdf");
        ItemAttachment item = new ItemAttachment();
        item.setOdataType("#microsoft.graph.itemAttachment");
        item.setName("The original");
        Message inner = message("The original", CAROL);
        item.setItem(inner);
        m.setAttachments(List.of(logo, report, item));
        return m;
    }

    @Test
    void jsonMessageReadAsMimeAndPostedBackIsTheSameMessage() throws Exception {
        Message original = alice.me().messages().post(richMessage("Round trip ✓ Größe"));

        byte[] mime;
        try (InputStream in = alice.me().messages().byMessageId(original.getId()).content().get()) {
            mime = in.readAllBytes();
        }
        String text = new String(mime, StandardCharsets.US_ASCII);
        assertThat(text).contains("Message-ID: ").doesNotContain("Bcc:").contains("Content-ID: <logo@graft>");

        HttpResponse<String> created = postMime("/v1.0/me/messages", aliceToken, Base64.getEncoder().encodeToString(mime));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String copyId = Json.MAPPER.readTree(created.body()).path("id").asText();
        Message copy = alice.me().messages().byMessageId(copyId).get();

        assertThat(copy.getIsDraft()).isTrue();
        assertThat(copy.getSubject()).isEqualTo(original.getSubject());
        assertThat(copy.getBody().getContentType()).isEqualTo(BodyType.Html);
        assertThat(copy.getBody().getContent()).isEqualTo(original.getBody().getContent());
        assertThat(copy.getInternetMessageId()).isEqualTo(original.getInternetMessageId());
        assertThat(addresses(copy.getToRecipients())).isEqualTo(addresses(original.getToRecipients()));
        assertThat(addresses(copy.getCcRecipients())).isEqualTo(addresses(original.getCcRecipients()));
        assertThat(addresses(copy.getReplyTo())).containsExactly("Jürgen Müller <jm@example.org>");
        assertThat(copy.getHasAttachments()).isTrue();

        List<Attachment> before = sorted(alice.me().messages().byMessageId(original.getId()).attachments().get().getValue());
        List<Attachment> after = sorted(alice.me().messages().byMessageId(copyId).attachments().get().getValue());
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            Attachment a = before.get(i);
            Attachment b = after.get(i);
            assertThat(b.getName()).isEqualTo(a.getName());
            assertThat(b.getIsInline()).isEqualTo(a.getIsInline());
            assertThat(b.getOdataType()).isEqualTo(a.getOdataType());
            if (a instanceof FileAttachment fa) {
                FileAttachment fb = (FileAttachment) alice.me().messages().byMessageId(copyId).attachments().byAttachmentId(b.getId()).get();
                FileAttachment full = (FileAttachment) alice.me().messages().byMessageId(original.getId()).attachments().byAttachmentId(a.getId()).get();
                assertThat(fb.getContentBytes()).as(a.getName()).isEqualTo(full.getContentBytes());
                assertThat(fb.getContentType()).isEqualTo(fa.getContentType());
                assertThat(fb.getContentId()).isEqualTo(fa.getContentId());
            }
        }
    }

    static List<Attachment> sorted(List<Attachment> list) {
        return list.stream().sorted(Comparator.comparing(Attachment::getName)).toList();
    }

    static List<String> addresses(List<com.microsoft.graph.models.Recipient> list) {
        return list.stream().map(r -> r.getEmailAddress().getName() + " <" + r.getEmailAddress().getAddress() + ">").toList();
    }

    @Test
    void valueIsServedOnEveryPathFormAndNeedsReadPermission() throws Exception {
        Message m = alice.me().messages().post(message("Paths", BOB));
        String reader = server.appToken(TestServer.TENANT, TestServer.READER_APP);
        String mime = new String(value("/v1.0/users/" + ALICE + "/messages/" + m.getId() + "/$value", reader), StandardCharsets.US_ASCII);
        assertThat(mime).contains("Subject: Paths").contains("Body of Paths");
        assertThat(new String(value("/v1.0/me/mailFolders/drafts/messages/" + m.getId() + "/$value", aliceToken), StandardCharsets.US_ASCII))
                .contains("Subject: Paths");
        assertThat(new String(value("/v1.0/me/messages('" + m.getId() + "')/$value", aliceToken), StandardCharsets.US_ASCII))
                .contains("Subject: Paths");
        HttpResponse<String> wrongFolder = server.call("GET", "/v1.0/me/mailFolders/inbox/messages/" + m.getId() + "/$value", aliceToken, null);
        assertThat(wrongFolder.statusCode()).isEqualTo(404);
        HttpResponse<String> anonymous = server.call("GET", "/v1.0/me/messages/" + m.getId() + "/$value", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void mimeHeadersBecomeTheDraft() throws Exception {
        String mime = """
                From: Alice Adams <alice@contoso.test>
                To: =?UTF-8?Q?B=C3=B6b?= <bob@contoso.test>
                Bcc: hidden@example.org
                Subject: =?UTF-8?B?w5xiZXIgTUlNRQ==?=
                Message-ID: <from-mime-1@contoso.test>
                Date: Tue, 4 Mar 2025 05:06:07 +0000
                Importance: low
                X-Tracking: abc
                Content-Type: text/plain; charset=utf-8

                Hello
                there
                """;
        HttpResponse<String> r = postMime("/v1.0/me/mailFolders/drafts/messages", aliceToken,
                Base64.getMimeEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode json = Json.MAPPER.readTree(r.body());
        assertThat(json.path("subject").asText()).isEqualTo("Über MIME");
        assertThat(json.path("importance").asText()).isEqualTo("low");
        assertThat(json.path("internetMessageId").asText()).isEqualTo("<from-mime-1@contoso.test>");
        assertThat(json.path("sentDateTime").asText()).isEqualTo("2025-03-04T05:06:07Z");
        assertThat(json.path("toRecipients").get(0).path("emailAddress").path("name").asText()).isEqualTo("Böb");
        assertThat(json.path("bccRecipients").get(0).path("emailAddress").path("address").asText()).isEqualTo("hidden@example.org");
        assertThat(json.path("body").path("contentType").asText()).isEqualTo("text");
        assertThat(json.path("body").path("content").asText()).isEqualTo("Hello\nthere\n");
        assertThat(json.has("internetMessageHeaders")).as("only with $select").isFalse();
        HttpResponse<String> selected = server.call("GET", "/v1.0/me/messages/" + json.path("id").asText() + "?$select=internetMessageHeaders",
                aliceToken, null);
        assertThat(selected.body()).contains("\"name\":\"X-Tracking\"").contains("\"value\":\"abc\"");
    }

    @Test
    void sendMailFromMimeDeliversToTheLocalInboxWithAttachments() throws Exception {
        String subject = "MIME send " + System.nanoTime();
        String mime = ("From: alice@contoso.test\nTo: bob@contoso.test\nSubject: " + subject + "\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nSee attached.\n"
                + "--zz\nContent-Type: application/octet-stream; name=\"data.bin\"\nContent-Disposition: attachment; filename=\"data.bin\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + Base64.getMimeEncoder().encodeToString(randomBytes(3000)) + "\n--zz--\n")
                .replace("\n", "\r\n");
        HttpResponse<String> r = postMime("/v1.0/me/sendMail", aliceToken, Base64.getEncoder().encodeToString(mime.getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        GraphServiceClient bob = server.graph(server.userToken(BOB, "Mail.ReadWrite"));
        Message got = bob.me().mailFolders().byMailFolderId("inbox").messages().get(c -> c.queryParameters.filter = "subject eq '" + subject + "'")
                .getValue().getFirst();
        // RFC 2046 5.1.1: the CRLF before a boundary belongs to the boundary
        assertThat(got.getBody().getContent()).isEqualTo("See attached.");
        FileAttachment a = (FileAttachment) bob.me().messages().byMessageId(got.getId()).attachments().get().getValue().getFirst();
        FileAttachment full = (FileAttachment) bob.me().messages().byMessageId(got.getId()).attachments().byAttachmentId(a.getId()).get();
        assertThat(full.getName()).isEqualTo("data.bin");
        assertThat(full.getContentBytes()).isEqualTo(randomBytes(3000));
    }

    @Test
    void badBase64IsRefusedWithErrorMimeContentInvalidBase64String() {
        HttpResponse<String> r = postMime("/v1.0/me/sendMail", aliceToken, "this is *not* base64!");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":\"ErrorMimeContentInvalidBase64String\"").contains("Invalid base64 string for MIME content.");
        HttpResponse<String> draft = postMime("/v1.0/me/messages", aliceToken, "@@@@");
        assertThat(draft.statusCode()).isEqualTo(400);
        assertThat(draft.body()).contains("ErrorMimeContentInvalidBase64String");
    }

    @Test
    void emptyOrUnreadableMimeIsABadRequestWithAGraphError() {
        HttpResponse<String> empty = postMime("/v1.0/me/messages", aliceToken, "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"error\"").contains("ErrorMimeContentInvalid");
        HttpResponse<String> noHeaders = postMime("/v1.0/me/sendMail", aliceToken,
                Base64.getEncoder().encodeToString("no header here\r\njust text".getBytes(StandardCharsets.US_ASCII)));
        assertThat(noHeaders.statusCode()).isEqualTo(400);
        assertThat(noHeaders.body()).contains("\"code\":\"ErrorMimeContentInvalid\"");
    }

    @Test
    void mimeOverTheRequestLimitIs413AndOtherEndpointsStillWantJson() {
        HttpResponse<String> big = postMime("/v1.0/me/sendMail", aliceToken, "A".repeat(4 * 1024 * 1024 + 4));
        assertThat(big.statusCode()).isEqualTo(413);
        Message m = alice.me().messages().post(message("Patch me", BOB));
        HttpResponse<String> patch = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me/messages/" + m.getId()))
                .header("Authorization", "Bearer " + aliceToken).header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("U3ViamVjdDogeA==")).build());
        assertThat(patch.statusCode()).isEqualTo(415);
    }

    @Test
    void onlyExtensionHeadersAreAcceptedAndTheyAreCarriedIntoMime() throws Exception {
        HttpResponse<String> refused = server.call("POST", "/v1.0/me/messages", aliceToken,
                "{\"subject\":\"h\",\"internetMessageHeaders\":[{\"name\":\"Notification-Center-Parcel-ID\",\"value\":\"1\"}]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("InvalidInternetMessageHeader").contains("should start with 'x-' or 'X-'");
        HttpResponse<String> ok = server.call("POST", "/v1.0/me/messages", aliceToken,
                "{\"subject\":\"h\",\"internetMessageHeaders\":[{\"name\":\"x-order\",\"value\":\"42\"}]}");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(ok.body()).doesNotContain("internetMessageHeaders");
        String id = Json.MAPPER.readTree(ok.body()).path("id").asText();
        assertThat(new String(value("/v1.0/me/messages/" + id + "/$value", aliceToken), StandardCharsets.US_ASCII)).contains("x-order: 42");
    }
}
