package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import graft.testing.TestMail;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** PATCH and DELETE of messages, with the errors Graph gives for what may not change. */
class MessageUpdateAndDeleteTest {
    static TestServer server;
    static String token;
    static GraphServiceClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        token = server.userToken(ALICE, "Mail.Send Mail.ReadWrite");
        alice = server.graph(token);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> patch(String id, String json) {
        return server.call("PATCH", "/v1.0/me/messages/" + id, token, json);
    }

    private static Message draft() {
        return alice.me().messages().post(TestMail.message(TestMail.unique("Patch me"), BOB));
    }

    private static Message sentMessage() {
        Message d = draft();
        alice.me().messages().byMessageId(d.getId()).send().post();
        return alice.me().messages().byMessageId(d.getId()).get();
    }

    @Test
    void patchChangesUpdatablePropertiesAndBumpsChangeKeyAndEtag() {
        Message before = draft();
        HttpResponse<String> r = patch(before.getId(), """
                {"subject":"Changed","importance":"High","isRead":false,"categories":["Blue"],
                 "flag":{"flagStatus":"flagged"},"ccRecipients":[{"emailAddress":{"address":"carol@contoso.test"}}],
                 "isReadReceiptRequested":true,"inferenceClassification":"other"}""");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = json(r);
        assertThat(m.path("subject").asText()).isEqualTo("Changed");
        assertThat(m.path("importance").asText()).isEqualTo("high");
        assertThat(m.path("isRead").asBoolean()).isFalse();
        assertThat(m.path("categories").get(0).asText()).isEqualTo("Blue");
        assertThat(m.path("flag").path("flagStatus").asText()).isEqualTo("flagged");
        assertThat(m.path("ccRecipients").get(0).path("emailAddress").path("name").asText()).isEqualTo("Carol Clark");
        assertThat(m.path("isReadReceiptRequested").asBoolean()).isTrue();
        assertThat(m.path("inferenceClassification").asText()).isEqualTo("other");
        assertThat(m.path("changeKey").asText()).isNotBlank().isNotEqualTo(before.getChangeKey());
        assertThat(m.path("@odata.etag").asText()).isEqualTo("W/\"" + m.path("changeKey").asText() + "\"");
        assertThat(m.path("id").asText()).isEqualTo(before.getId());

        Message after = alice.me().messages().byMessageId(before.getId()).get();
        assertThat(after.getSubject()).isEqualTo("Changed");
        assertThat(after.getChangeKey()).isEqualTo(m.path("changeKey").asText());
        // Left out of the PATCH, so unchanged.
        assertThat(after.getToRecipients()).extracting(x -> x.getEmailAddress().getAddress()).containsExactly(BOB);
    }

    @Test
    void patchOfReadStateAndCategoriesWorksOnASentMessage() {
        Message sent = sentMessage();
        HttpResponse<String> r = patch(sent.getId(), "{\"isRead\":false,\"categories\":[\"Red\"]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("isRead").asBoolean()).isFalse();
        assertThat(json(r).path("changeKey").asText()).isNotEqualTo(sent.getChangeKey());
    }

    @Test
    void draftOnlyPropertiesOnASentMessageAreRejectedWithErrorInvalidPropertySet() {
        Message sent = sentMessage();
        JsonNode from = assertGraphError(patch(sent.getId(), "{\"from\":{\"emailAddress\":{\"address\":\"" + ALICE + "\"}}}"),
                400, "ErrorInvalidPropertySet");
        assertThat(from.path("message").asText()).isEqualTo("Message is not draft.");
        assertGraphError(patch(sent.getId(), "{\"subject\":\"Rewritten history\"}"), 400, "ErrorInvalidPropertySet");
        assertGraphError(patch(sent.getId(), "{\"body\":{\"contentType\":\"text\",\"content\":\"new\"}}"), 400, "ErrorInvalidPropertySet");
        assertGraphError(patch(sent.getId(), "{\"internetMessageId\":\"<x@y>\"}"), 400, "ErrorInvalidPropertySet");

        assertThat(alice.me().messages().byMessageId(sent.getId()).get().getSubject()).isEqualTo(sent.getSubject());
    }

    @Test
    void readOnlyPropertiesAreRejectedWithErrorInvalidPropertySet() {
        Message d = draft();
        for (String body : new String[] {"{\"id\":\"AAMkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", "{\"isDraft\":false}",
                "{\"changeKey\":\"x\"}", "{\"createdDateTime\":\"2020-01-01T00:00:00Z\"}", "{\"parentFolderId\":\"x\"}"}) {
            JsonNode e = assertGraphError(patch(d.getId(), body), 400, "ErrorInvalidPropertySet");
            assertThat(e.path("message").asText()).isEqualTo("Set action is invalid for property.");
        }
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getIsDraft()).isTrue();
    }

    @Test
    void unknownPropertyIsRejectedWithRequestBodyRead() {
        Message d = draft();
        JsonNode e = assertGraphError(patch(d.getId(), "{\"subject\":\"x\",\"colour\":\"red\"}"), 400, "RequestBodyRead");
        assertThat(e.path("message").asText())
                .startsWith("The property 'colour' does not exist on type 'Microsoft.OutlookServices.Message'.");
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getSubject()).isEqualTo(d.getSubject());
    }

    @Test
    void patchWithAStaleEtagFailsWith412AndWithTheCurrentOneSucceeds() {
        Message d = draft();
        String stale = "W/\"" + d.getChangeKey() + "\"";
        assertThat(patch(d.getId(), "{\"subject\":\"first\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> conflict = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me/messages/" + d.getId()))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").header("If-Match", stale)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"subject\":\"second\"}")).build());
        assertGraphError(conflict, 412, "ErrorIrresolvableConflict");

        Message current = alice.me().messages().byMessageId(d.getId()).get();
        assertThat(current.getSubject()).isEqualTo("first");
        HttpResponse<String> ok = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me/messages/" + d.getId()))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("If-Match", "W/\"" + current.getChangeKey() + "\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"subject\":\"second\"}")).build());
        assertThat(ok.statusCode()).isEqualTo(200);

        HttpResponse<String> staleDelete = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me/messages/" + d.getId()))
                .header("Authorization", "Bearer " + token).header("If-Match", stale).DELETE().build());
        assertGraphError(staleDelete, 412, "ErrorIrresolvableConflict");
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getIsDraft()).isTrue();
    }

    @Test
    void deleteMovesToDeletedItemsAndDeletingFromThereRemovesIt() {
        Message d = draft();
        String deletedItems = alice.me().mailFolders().byMailFolderId("deleteditems").get().getId();

        HttpResponse<String> first = server.call("DELETE", "/v1.0/me/messages/" + d.getId(), token, null);
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(first.body()).isEmpty();
        Message moved = alice.me().messages().byMessageId(d.getId()).get();
        assertThat(moved.getParentFolderId()).isEqualTo(deletedItems);
        assertThat(alice.me().mailFolders().byMailFolderId("drafts").messages().get(r -> r.queryParameters.top = 1000).getValue())
                .extracting(Message::getId).doesNotContain(d.getId());
        assertThat(alice.me().mailFolders().byMailFolderId("deleteditems").messages().get(r -> r.queryParameters.top = 1000).getValue())
                .extracting(Message::getId).contains(d.getId());

        assertThat(server.call("DELETE", "/v1.0/me/mailFolders/deleteditems/messages/" + d.getId(), token, null).statusCode()).isEqualTo(204);
        assertGraphError(server.call("GET", "/v1.0/me/messages/" + d.getId(), token, null), 404, "ErrorItemNotFound");
        assertGraphError(server.call("DELETE", "/v1.0/me/messages/" + d.getId(), token, null), 404, "ErrorItemNotFound");
    }

    @Test
    void deleteThroughTheWrongFolderFindsNothing() {
        Message d = draft();
        assertGraphError(server.call("DELETE", "/v1.0/me/mailFolders/inbox/messages/" + d.getId(), token, null), 404, "ErrorItemNotFound");
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getIsDraft()).isTrue();
    }
}
