package graft.mail;

import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.copy.CopyPostRequestBody;
import com.microsoft.graph.users.item.messages.item.move.MovePostRequestBody;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static graft.testing.TestMail.message;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** move, copy and permanentDelete through the official SDK. */
class MoveCopyTest {
    static TestServer server;
    static GraphServiceClient alice;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        token = server.userToken(ALICE, "Mail.ReadWrite");
        alice = server.graph(token);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void moveKeepsTheIdAndChangesTheFolder() {
        Message draft = alice.me().messages().post(message("Move me", BOB));
        MovePostRequestBody body = new MovePostRequestBody();
        body.setDestinationId("archive");

        Message moved = alice.me().messages().byMessageId(draft.getId()).move().post(body);

        assertThat(moved.getId()).isEqualTo(draft.getId());
        String archive = alice.me().mailFolders().byMailFolderId("archive").get().getId();
        assertThat(moved.getParentFolderId()).isEqualTo(archive);
        assertThat(alice.me().mailFolders().byMailFolderId("archive").messages().get().getValue())
                .extracting(Message::getId).contains(draft.getId());
        assertThat(alice.me().mailFolders().byMailFolderId("drafts").messages().get().getValue())
                .extracting(Message::getId).doesNotContain(draft.getId());
    }

    @Test
    void copyMakesANewMessageAndLeavesTheOriginal() {
        Message draft = alice.me().messages().post(message("Copy me", BOB));
        CopyPostRequestBody body = new CopyPostRequestBody();
        body.setDestinationId(alice.me().mailFolders().byMailFolderId("inbox").get().getId());

        Message copy = alice.me().messages().byMessageId(draft.getId()).copy().post(body);

        assertThat(copy.getId()).isNotEqualTo(draft.getId());
        assertThat(copy.getSubject()).isEqualTo("Copy me");
        assertThat(alice.me().messages().byMessageId(draft.getId()).get().getSubject()).isEqualTo("Copy me");
    }

    @Test
    void moveToAnUnknownFolderIsNotFoundAndWithoutDestinationIsBadRequest() {
        Message draft = alice.me().messages().post(message("Nowhere", BOB));
        HttpResponse<String> unknown = server.call("POST", "/v1.0/me/messages/" + draft.getId() + "/move", token,
                "{\"destinationId\":\"AQMk" + "B".repeat(32) + "\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> missing = server.call("POST", "/v1.0/me/messages/" + draft.getId() + "/move", token, "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
    }

    @Test
    void permanentDeleteRemovesTheMessageAtOnce() {
        Message draft = alice.me().messages().post(message("Gone", BOB));
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages/" + draft.getId() + "/permanentDelete", token, "");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(server.call("GET", "/v1.0/me/messages/" + draft.getId(), token, null).statusCode()).isEqualTo(404);
        assertThat(alice.me().mailFolders().byMailFolderId("deleteditems").messages().get().getValue())
                .extracting(Message::getId).doesNotContain(draft.getId());
    }
}
