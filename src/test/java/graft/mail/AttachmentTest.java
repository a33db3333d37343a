package graft.mail;

import com.microsoft.graph.models.Attachment;
import com.microsoft.graph.models.FileAttachment;
import com.microsoft.graph.models.ItemAttachment;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.forward.ForwardPostRequestBody;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static graft.testing.TestMail.message;
import static graft.testing.TestMail.recipient;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

/** File and item attachments through the official SDK: add, list, read, raw value, delete, send, forward. */
class AttachmentTest {
    static TestServer server;
    static GraphServiceClient alice;
    static GraphServiceClient bob;
    static String aliceToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        aliceToken = server.userToken(ALICE, "Mail.Send Mail.ReadWrite");
        alice = server.graph(aliceToken);
        bob = server.graph(server.userToken(BOB, "Mail.Send Mail.ReadWrite"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static FileAttachment file(String name, byte[] content) {
        FileAttachment a = new FileAttachment();
        a.setOdataType("#microsoft.graph.fileAttachment");
        a.setName(name);
        a.setContentBytes(content);
        return a;
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void fileAttachmentRoundTripsByteForByteWithInferredContentType() {
        Message draft = alice.me().messages().post(message("With file", BOB));
        byte[] content = randomBytes(200_000);

        Attachment added = alice.me().messages().byMessageId(draft.getId()).attachments().post(file("chart.png", content));

        assertThat(added.getId()).isNotBlank();
        assertThat(added.getContentType()).isEqualTo("image/png");
        assertThat(added.getSize()).isEqualTo(content.length);
        assertThat(added.getIsInline()).isFalse();
        FileAttachment read = (FileAttachment) alice.me().messages().byMessageId(draft.getId()).attachments()
                .byAttachmentId(added.getId()).get();
        assertThat(read.getContentBytes()).isEqualTo(content);
        assertThat(alice.me().messages().byMessageId(draft.getId()).get().getHasAttachments()).isTrue();
        assertThat(alice.me().messages().byMessageId(draft.getId()).attachments().get().getValue()).hasSize(1);
    }

    @Test
    void rawValueCarriesTheAttachmentsContentType() {
        Message draft = alice.me().messages().post(message("Raw", BOB));
        Attachment added = alice.me().messages().byMessageId(draft.getId()).attachments()
                .post(file("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = server.call("GET", "/v1.0/me/messages/" + draft.getId() + "/attachments/" + added.getId() + "/$value", aliceToken, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(r.body()).isEqualTo("hello");
    }

    @Test
    void inlineAttachmentsDoNotCountForHasAttachments() {
        Message draft = alice.me().messages().post(message("Inline", BOB));
        FileAttachment logo = file("logo.gif", randomBytes(100));
        logo.setIsInline(true);
        logo.setContentId("logo@graft");

        Attachment added = alice.me().messages().byMessageId(draft.getId()).attachments().post(logo);

        assertThat(((FileAttachment) added).getContentId()).isEqualTo("logo@graft");
        assertThat(alice.me().messages().byMessageId(draft.getId()).get().getHasAttachments()).isFalse();
    }

    @Test
    void deletingTheLastAttachmentClearsHasAttachments() {
        Message draft = alice.me().messages().post(message("Delete attachment", BOB));
        Attachment added = alice.me().messages().byMessageId(draft.getId()).attachments().post(file("a.pdf", randomBytes(10)));

        alice.me().messages().byMessageId(draft.getId()).attachments().byAttachmentId(added.getId()).delete();

        assertThat(alice.me().messages().byMessageId(draft.getId()).get().getHasAttachments()).isFalse();
        HttpResponse<String> gone = server.call("GET", "/v1.0/me/messages/" + draft.getId() + "/attachments/" + added.getId(), aliceToken, null);
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    @Test
    void attachmentsGivenInSendMailReachTheRecipientsInbox() {
        Message m = message("Invoice attached", BOB);
        byte[] pdf = randomBytes(5000);
        m.setAttachments(List.of(file("invoice.pdf", pdf)));
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(m);
        alice.me().sendMail().post(body);

        Message received = bob.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq 'Invoice attached'").getValue().getFirst();
        assertThat(received.getHasAttachments()).isTrue();
        List<Attachment> attachments = bob.me().messages().byMessageId(received.getId()).attachments().get().getValue();
        assertThat(attachments).hasSize(1);
        assertThat(((FileAttachment) attachments.getFirst()).getContentBytes()).isEqualTo(pdf);
        assertThat(attachments.getFirst().getContentType()).isEqualTo("application/pdf");
    }

    @Test
    void forwardCarriesTheOriginalAttachments() {
        Message m = message("Forward me", BOB);
        m.setAttachments(List.of(file("data.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8))));
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(m);
        alice.me().sendMail().post(body);
        Message received = bob.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq 'Forward me'").getValue().getFirst();

        ForwardPostRequestBody fwd = new ForwardPostRequestBody();
        fwd.setToRecipients(List.of(recipient(CAROL)));
        bob.me().messages().byMessageId(received.getId()).forward().post(fwd);

        GraphServiceClient carol = server.graph(server.userToken(CAROL, "Mail.Read"));
        Message forwarded = carol.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq 'FW: Forward me'").getValue().getFirst();
        assertThat(forwarded.getHasAttachments()).isTrue();
        assertThat(carol.me().messages().byMessageId(forwarded.getId()).attachments().get().getValue())
                .extracting(Attachment::getName).containsExactly("data.csv");
    }

    @Test
    void itemAttachmentHoldsAMessage() {
        Message draft = alice.me().messages().post(message("Carrier", BOB));
        ItemAttachment item = new ItemAttachment();
        item.setOdataType("#microsoft.graph.itemAttachment");
        item.setName("Attached message");
        item.setItem(message("Inner", CAROL));

        Attachment added = alice.me().messages().byMessageId(draft.getId()).attachments().post(item);

        assertThat(added).isInstanceOf(ItemAttachment.class);
        assertThat(added.getName()).isEqualTo("Attached message");
        assertThat(added.getSize()).isPositive();
        HttpResponse<String> raw = server.call("GET", "/v1.0/me/messages/" + draft.getId() + "/attachments/" + added.getId() + "/$value", aliceToken, null);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).contains("Subject: Inner").contains("Body of Inner");
    }

    @Test
    void attachmentWithoutODataTypeIsRejected() {
        Message draft = alice.me().messages().post(message("Abstract", BOB));
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages/" + draft.getId() + "/attachments", aliceToken,
                "{\"name\":\"x.txt\",\"contentBytes\":\"aGk=\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":\"RequestBodyRead\"");
    }

    @Test
    void malformedAttachmentIdIsRejectedAndUnknownOneIsNotFound() {
        Message draft = alice.me().messages().post(message("Ids", BOB));
        assertThat(server.call("GET", "/v1.0/me/messages/" + draft.getId() + "/attachments/nope", aliceToken, null).body())
                .contains("ErrorInvalidIdMalformed");
        assertThat(server.call("GET", "/v1.0/me/messages/" + draft.getId() + "/attachments/AAMf" + "A".repeat(32), aliceToken, null).statusCode())
                .isEqualTo(404);
    }
}
