package graft.mail;

import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Base64;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.TestMail.message;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** mail.maxMessageSizeMB: a message whose attachments would pass it is refused as Exchange refuses it. */
class MessageSizeLimitTest {
    static TestServer server;
    static GraphServiceClient alice;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start("mail: { maxMessageSizeMB: 1 }\n");
        token = server.userToken(ALICE, "Mail.ReadWrite Mail.Send");
        alice = server.graph(token);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String fileAttachment(int bytes) {
        return "{\"@odata.type\":\"#microsoft.graph.fileAttachment\",\"name\":\"part.bin\",\"contentBytes\":\""
                + Base64.getEncoder().encodeToString(new byte[bytes]) + "\"}";
    }

    @Test
    void anAttachmentThatWouldPassTheLimitIsRefusedWithErrorMessageSizeExceeded() {
        Message draft = alice.me().messages().post(message("Heavy", BOB));
        String path = "/v1.0/me/messages/" + draft.getId() + "/attachments";
        assertThat(server.call("POST", path, token, fileAttachment(600 * 1024)).statusCode()).isEqualTo(201);

        HttpResponse<String> second = server.call("POST", path, token, fileAttachment(600 * 1024));

        assertGraphError(second, 400, "ErrorMessageSizeExceeded");
        assertThat(alice.me().messages().byMessageId(draft.getId()).attachments().get().getValue()).hasSize(1);
    }

    @Test
    void sendMailWithAttachmentsOverTheLimitIsRefusedAndNothingIsSent() {
        String body = "{\"message\":{\"subject\":\"Too big\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}],"
                + "\"attachments\":[" + fileAttachment(700 * 1024) + "," + fileAttachment(700 * 1024) + "]}}";

        assertGraphError(server.call("POST", "/v1.0/me/sendMail", token, body), 400, "ErrorMessageSizeExceeded");

        GraphServiceClient bob = server.graph(server.userToken(BOB, "Mail.Read"));
        assertThat(bob.me().mailFolders().byMailFolderId("inbox").messages().get().getValue())
                .extracting(Message::getSubject).doesNotContain("Too big");
    }

    @Test
    void anUploadSessionForMoreThanTheLimitIsRefused() {
        Message draft = alice.me().messages().post(message("Session", BOB));
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages/" + draft.getId() + "/attachments/createUploadSession", token,
                "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"big.bin\",\"size\":4194304}}");
        assertGraphError(r, 400, "ErrorMessageSizeExceeded");
    }
}
