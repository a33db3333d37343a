package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.MailFolder;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import graft.testing.TestMail;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.CAROL;
import static graft.testing.TestServer.DAVE;
import static graft.testing.TestServer.READER_APP;
import static graft.testing.TestServer.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may reach which mailbox with which permission, how a mailbox and its folders are addressed. */
class MailboxAccessTest {
    static TestServer server;
    static String appToken;
    static String aliceToken;
    static String aliceId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        appToken = server.appToken();
        aliceToken = server.userToken(ALICE, "Mail.Send Mail.ReadWrite");
        aliceId = json(server.call("GET", "/v1.0/users/" + ALICE, appToken, null)).path("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String sendMailBody(String subject, String to) {
        return "{\"message\":{\"subject\":\"" + subject + "\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + to + "\"}}]}}";
    }

    @Test
    void meWithAnApplicationTokenIsABadRequest() {
        JsonNode e = assertGraphError(server.call("GET", "/v1.0/me/messages", appToken, null), 400, "BadRequest");
        assertThat(e.path("message").asText()).isEqualTo("/me request is only valid with delegated authentication flow.");
    }

    @Test
    void meAndUsersReturnTheSignedInUser() {
        JsonNode me = json(server.call("GET", "/v1.0/me", aliceToken, null));
        assertThat(me.path("userPrincipalName").asText()).isEqualTo(ALICE);
        assertThat(me.path("mail").asText()).isEqualTo(ALICE);
        assertThat(me.path("displayName").asText()).isEqualTo("Alice Adams");
        assertThat(me.path("id").asText()).isEqualTo(aliceId).matches("[0-9a-f-]{36}");
        User viaSdk = server.graph(appToken).users().byUserId(aliceId).get();
        assertThat(viaSdk.getUserPrincipalName()).isEqualTo(ALICE);
    }

    @Test
    void aDelegatedTokenWithUserReadBasicAllReadsOtherProfilesButNotTheirMail() {
        String token = server.userToken(ALICE, "User.ReadBasic.All Mail.Read");
        JsonNode bob = json(server.call("GET", "/v1.0/users/" + BOB, token, null));
        assertThat(bob.path("userPrincipalName").asText()).isEqualTo(BOB);
        assertGraphError(server.call("GET", "/v1.0/users/" + BOB + "/messages", token, null), 403, "ErrorAccessDenied");
        String own = server.userToken(ALICE, "User.Read Mail.Read");
        assertGraphError(server.call("GET", "/v1.0/users/" + BOB, own, null), 403, "ErrorAccessDenied");
    }

    @Test
    void mailReadBasicReadsMessagesWithoutBodiesMimeOrAttachmentContent() {
        String writer = server.userToken(ALICE, "Mail.ReadWrite");
        String id = json(server.call("POST", "/v1.0/me/messages", writer,
                "{\"subject\":\"Basic\",\"body\":{\"contentType\":\"text\",\"content\":\"secret body\"}}")).path("id").asText();
        String basic = server.userToken(ALICE, "Mail.ReadBasic");

        JsonNode m = json(server.call("GET", "/v1.0/me/messages/" + id, basic, null));
        assertThat(m.path("subject").asText()).isEqualTo("Basic");
        assertThat(m.has("body")).isFalse();
        assertThat(m.has("bodyPreview")).isFalse();
        assertThat(server.call("GET", "/v1.0/me/messages?$top=50", basic, null).body()).doesNotContain("secret body");
        assertGraphError(server.call("GET", "/v1.0/me/messages/" + id + "/$value", basic, null), 403, "ErrorAccessDenied");
        assertThat(json(server.call("GET", "/v1.0/me/messages/" + id, writer, null)).path("body").path("content").asText())
                .isEqualTo("secret body");
    }

    @Test
    void aDelegatedTokenReachesOnlyItsOwnMailbox() {
        assertGraphError(server.call("GET", "/v1.0/users/" + BOB + "/messages", aliceToken, null), 403, "ErrorAccessDenied");
        assertGraphError(server.call("POST", "/v1.0/users/" + BOB + "/sendMail", aliceToken, sendMailBody("as bob", CAROL)),
                403, "ErrorAccessDenied");
        assertThat(server.call("GET", "/v1.0/users/" + ALICE + "/messages", aliceToken, null).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/v1.0/users/" + aliceId + "/messages", aliceToken, null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownUserIsErrorInvalidUser() {
        JsonNode e = assertGraphError(server.call("GET", "/v1.0/users/nobody@contoso.test/messages", appToken, null), 404, "ErrorInvalidUser");
        assertThat(e.path("message").asText()).isEqualTo("The requested user 'nobody@contoso.test' is invalid.");
        assertGraphError(server.call("GET", "/v1.0/users/00000000-0000-4000-8000-000000000999/mailFolders", appToken, null),
                404, "ErrorInvalidUser");
    }

    @Test
    void aUserOfAnotherTenantIsNotFoundForThisTenantsApp() {
        assertGraphError(server.call("GET", "/v1.0/users/" + DAVE + "/messages", appToken, null), 404, "ErrorInvalidUser");
        assertGraphError(server.call("POST", "/v1.0/users/" + DAVE + "/sendMail", appToken, sendMailBody("x", ALICE)),
                404, "ErrorInvalidUser");
    }

    @Test
    void readOnlyAppCanReadButNotWriteOrSend() {
        String reader = server.appToken(TENANT, READER_APP);
        assertThat(server.call("GET", "/v1.0/users/" + ALICE + "/messages", reader, null).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/v1.0/users/" + ALICE + "/mailFolders/inbox", reader, null).statusCode()).isEqualTo(200);
        assertGraphError(server.call("POST", "/v1.0/users/" + ALICE + "/messages", reader, "{\"subject\":\"x\"}"), 403, "ErrorAccessDenied");
        assertGraphError(server.call("POST", "/v1.0/users/" + ALICE + "/sendMail", reader, sendMailBody("x", BOB)), 403, "ErrorAccessDenied");

        String draft = json(server.call("POST", "/v1.0/users/" + ALICE + "/messages", appToken, "{\"subject\":\"ro\"}")).path("id").asText();
        assertGraphError(server.call("POST", "/v1.0/users/" + ALICE + "/messages/" + draft + "/send", reader, null), 403, "ErrorAccessDenied");
        assertGraphError(server.call("PATCH", "/v1.0/users/" + ALICE + "/messages/" + draft, reader, "{\"subject\":\"y\"}"), 403, "ErrorAccessDenied");
        assertGraphError(server.call("DELETE", "/v1.0/users/" + ALICE + "/messages/" + draft, reader, null), 403, "ErrorAccessDenied");
        assertThat(server.call("GET", "/v1.0/users/" + ALICE + "/messages/" + draft, reader, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutMailSendCannotSend() {
        GraphServiceClient noSend = server.graph(server.userToken(ALICE, "Mail.ReadWrite"));
        Message d = noSend.me().messages().post(TestMail.message("no send", BOB));
        assertThatThrownBy(() -> noSend.me().messages().byMessageId(d.getId()).send().post())
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(403);
                    assertThat(e.getError().getCode()).isEqualTo("ErrorAccessDenied");
                });
    }

    @Test
    void aTokenWithoutMailReadWriteCannotCreateDrafts() {
        String sendOnly = server.userToken(ALICE, "Mail.Send");
        assertGraphError(server.call("POST", "/v1.0/me/messages", sendOnly, "{\"subject\":\"x\"}"), 403, "ErrorAccessDenied");
        assertThat(server.call("POST", "/v1.0/me/sendMail", sendOnly, sendMailBody(TestMail.unique("send only"), BOB)).statusCode())
                .isEqualTo(202);
    }

    @Test
    void aMailboxIsAddressedByObjectIdUpnParenthesesAndPercentEncoding() {
        for (String path : List.of("/v1.0/users/" + aliceId + "/messages", "/v1.0/users/" + ALICE + "/messages",
                "/v1.0/users('" + ALICE + "')/messages", "/v1.0/users('" + aliceId + "')/messages",
                "/v1.0/users/alice%40contoso.test/messages", "/v1.0/users('alice%40contoso.test')/messages",
                "/v1.0/Users/" + ALICE + "/Messages", "/v1.0/USERS/ALICE@CONTOSO.TEST/MailFolders/INBOX/Messages")) {
            HttpResponse<String> r = server.call("GET", path, appToken, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(json(r).path("@odata.context").asText()).as(path).contains("users('" + aliceId + "')");
        }
    }

    @Test
    void keysInParenthesesAddressMessagesAndFoldersToo() {
        String id = json(server.call("POST", "/v1.0/me/messages", aliceToken, "{\"subject\":\"paren\"}")).path("id").asText();
        assertThat(server.call("GET", "/v1.0/me/messages('" + id + "')", aliceToken, null).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/v1.0/me/mailFolders('Drafts')/messages('" + id + "')", aliceToken, null).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/v1.0/Me/MailFolders/drafts/Messages/" + id, aliceToken, null).statusCode()).isEqualTo(200);
    }

    @Test
    void namespaceQualifiedActionNamesWork() {
        String subject = TestMail.unique("Qualified");
        String id = json(server.call("POST", "/v1.0/me/messages", aliceToken,
                "{\"subject\":\"" + subject + "\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]}")).path("id").asText();
        assertThat(server.call("POST", "/v1.0/me/messages/" + id + "/microsoft.graph.send", aliceToken, null).statusCode()).isEqualTo(202);
        assertThat(server.call("POST", "/v1.0/users/" + ALICE + "/microsoft.graph.sendMail", appToken, sendMailBody(subject + " 2", BOB))
                .statusCode()).isEqualTo(202);
        assertThat(server.call("POST", "/v1.0/me/Microsoft.Graph.SendMail", aliceToken, sendMailBody(subject + " 3", BOB))
                .statusCode()).isEqualTo(202);
        assertThat(server.call("POST", "/v1.0/me/SENDMAIL", aliceToken, sendMailBody(subject + " 4", BOB)).statusCode()).isEqualTo(202);

        List<String> inbox = server.graph(server.userToken(BOB, "Mail.Read")).me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.top = 100).getValue().stream().map(Message::getSubject).toList();
        assertThat(inbox).contains(subject, subject + " 2", subject + " 3", subject + " 4");
    }

    @Test
    void wellKnownFoldersResolveInAnyCaseWithExchangeDisplayNames() {
        Map<String, String> names = Map.of("inbox", "Inbox", "drafts", "Drafts", "sentitems", "Sent Items",
                "deleteditems", "Deleted Items", "outbox", "Outbox", "junkemail", "Junk Email", "archive", "Archive",
                "msgfolderroot", "Top of Information Store");
        GraphServiceClient client = server.graph(aliceToken);
        for (var e : names.entrySet()) {
            MailFolder lower = client.me().mailFolders().byMailFolderId(e.getKey()).get();
            MailFolder upper = client.me().mailFolders().byMailFolderId(e.getKey().toUpperCase()).get();
            assertThat(lower.getDisplayName()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(upper.getId()).isEqualTo(lower.getId());
            assertThat(lower.getTotalItemCount()).isNotNull();
            assertThat(lower.getUnreadItemCount()).isNotNull();
            assertThat(lower.getChildFolderCount()).isNotNull();
            // The id found by name addresses the same folder.
            assertThat(client.me().mailFolders().byMailFolderId(lower.getId()).get().getDisplayName()).isEqualTo(e.getValue());
        }
        assertThat(client.me().mailFolders().byMailFolderId("SentItems").get().getDisplayName()).isEqualTo("Sent Items");
        List<String> listed = client.me().mailFolders().get().getValue().stream().map(MailFolder::getDisplayName).toList();
        assertThat(listed).contains("Inbox", "Drafts", "Sent Items", "Deleted Items", "Outbox", "Junk Email", "Archive");
        String root = client.me().mailFolders().byMailFolderId("msgfolderroot").get().getId();
        assertThat(client.me().mailFolders().byMailFolderId("inbox").get().getParentFolderId()).isEqualTo(root);
    }

    @Test
    void unknownFolderNamesAndIdsAreRejected() {
        assertGraphError(server.call("GET", "/v1.0/me/mailFolders/nosuchfolder", aliceToken, null), 400, "ErrorInvalidIdMalformed");
        assertGraphError(server.call("GET", "/v1.0/me/mailFolders/AQMk" + "A".repeat(32), aliceToken, null),
                404, "ErrorItemNotFound");
    }

    @Test
    void folderCountsChangeWhenMailIsDeliveredAndRead() {
        GraphServiceClient carol = server.graph(server.userToken(CAROL, "Mail.ReadWrite"));
        MailFolder before = carol.me().mailFolders().byMailFolderId("inbox").get();
        assertThat(server.call("POST", "/v1.0/me/sendMail", aliceToken, sendMailBody(TestMail.unique("Count me"), CAROL)).statusCode())
                .isEqualTo(202);
        MailFolder after = carol.me().mailFolders().byMailFolderId("inbox").get();
        assertThat(after.getTotalItemCount()).isEqualTo(before.getTotalItemCount() + 1);
        assertThat(after.getUnreadItemCount()).isEqualTo(before.getUnreadItemCount() + 1);

        String id = carol.me().mailFolders().byMailFolderId("inbox").messages().get().getValue().getFirst().getId();
        Message read = new Message();
        read.setIsRead(true);
        carol.me().messages().byMessageId(id).patch(read);
        MailFolder afterRead = carol.me().mailFolders().byMailFolderId("inbox").get();
        assertThat(afterRead.getTotalItemCount()).isEqualTo(after.getTotalItemCount());
        assertThat(afterRead.getUnreadItemCount()).isEqualTo(after.getUnreadItemCount() - 1);
    }
}
