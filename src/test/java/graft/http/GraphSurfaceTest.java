package graft.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.odataerrors.ODataError;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every Graph response looks like: correlation headers, OData annotations, and one error envelope. */
class GraphSurfaceTest {
    static final String UNKNOWN_ID = "AAMk" + "A".repeat(32);
    static TestServer server;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        token = server.userToken(ALICE, "Mail.Send Mail.ReadWrite");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token);
    }

    private static String createDraft() {
        return json(server.call("POST", "/v1.0/me/messages", token, "{\"subject\":\"surface\"}")).path("id").asText();
    }

    @Test
    void everyResponseCarriesRequestIdAndEchoesClientRequestId() {
        String clientId = UUID.randomUUID().toString();
        for (String path : new String[] {"/v1.0/me", "/v1.0/me/messages", "/v1.0/me/messages/" + UNKNOWN_ID, "/v1.0/me/nonsense"}) {
            HttpResponse<String> r = server.send(request(path).header("client-request-id", clientId).build());
            assertThat(r.headers().firstValue("request-id")).as(path).hasValueSatisfying(v -> assertThat(UUID.fromString(v)).isNotNull());
            assertThat(r.headers().firstValue("client-request-id")).as(path).hasValue(clientId);
            assertThat(r.headers().firstValue("OData-Version")).as(path).hasValue("4.0");
        }
        HttpResponse<String> without = server.call("GET", "/v1.0/me", token, null);
        assertThat(without.headers().firstValue("client-request-id")).isEqualTo(without.headers().firstValue("request-id"));
        assertThat(without.headers().firstValue("request-id")).isNotEqualTo(server.call("GET", "/v1.0/me", token, null).headers().firstValue("request-id"));
    }

    @Test
    void jsonBodiesCarryODataContextAndMessagesCarryEtags() {
        String id = createDraft();
        JsonNode message = json(server.call("GET", "/v1.0/me/messages/" + id, token, null));
        assertThat(message.path("@odata.context").asText()).startsWith(server.base() + "/v1.0/$metadata#users('").endsWith("/messages/$entity");
        assertThat(message.path("@odata.etag").asText()).isEqualTo("W/\"" + message.path("changeKey").asText() + "\"");

        JsonNode list = json(server.call("GET", "/v1.0/me/messages", token, null));
        assertThat(list.path("@odata.context").asText()).endsWith("/messages");
        list.path("value").forEach(m -> assertThat(m.path("@odata.etag").asText()).startsWith("W/\""));

        assertThat(json(server.call("GET", "/v1.0/me/mailFolders", token, null)).path("@odata.context").asText()).contains("$metadata#");
        assertThat(json(server.call("GET", "/v1.0/me/mailFolders/inbox", token, null)).path("@odata.context").asText()).contains("$metadata#");
        assertThat(json(server.call("GET", "/v1.0/me", token, null)).path("@odata.context").asText()).contains("$metadata#users");
        HttpResponse<String> r = server.call("GET", "/v1.0/me/messages/" + id, token, null);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    }

    @Test
    void malformedIdIsErrorInvalidIdMalformed() {
        JsonNode e = assertGraphError(server.call("GET", "/v1.0/me/messages/not-an-id", token, null), 400, "ErrorInvalidIdMalformed");
        assertThat(e.path("message").asText()).isEqualTo("Id is malformed.");
        assertGraphError(server.call("PATCH", "/v1.0/me/messages/x%2By", token, "{}"), 400, "ErrorInvalidIdMalformed");
        assertGraphError(server.call("POST", "/v1.0/me/messages/abc/send", token, null), 400, "ErrorInvalidIdMalformed");
    }

    @Test
    void wellFormedUnknownIdIsErrorItemNotFound() {
        JsonNode e = assertGraphError(server.call("GET", "/v1.0/me/messages/" + UNKNOWN_ID, token, null), 404, "ErrorItemNotFound");
        assertThat(e.path("message").asText()).startsWith("The specified object was not found in the store.");
        assertGraphError(server.call("POST", "/v1.0/me/messages/" + UNKNOWN_ID + "/send", token, null), 404, "ErrorItemNotFound");
        assertGraphError(server.call("DELETE", "/v1.0/me/messages/" + UNKNOWN_ID, token, null), 404, "ErrorItemNotFound");
        assertThatThrownBy(() -> server.graph(token).me().messages().byMessageId(UNKNOWN_ID).get())
                .isInstanceOfSatisfying(ODataError.class, x -> {
                    assertThat(x.getResponseStatusCode()).isEqualTo(404);
                    assertThat(x.getError().getCode()).isEqualTo("ErrorItemNotFound");
                    assertThat(x.getError().getInnerError().getRequestId()).isNotBlank();
                });
    }

    @Test
    void unparsableJsonIsABadRequest() {
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages", token, "{\"subject\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertGraphError(r, 400, json(r).path("error").path("code").asText());
        assertThat(server.call("POST", "/v1.0/me/sendMail", token, "[1,2]").statusCode()).isEqualTo(400);
        assertThat(server.call("PATCH", "/v1.0/me/messages/" + createDraft(), token, "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void wrongMethodIs405() {
        HttpResponse<String> r = server.call("PUT", "/v1.0/me/messages", token, "{}");
        assertGraphError(r, 405, json(r).path("error").path("code").asText());
        assertThat(server.call("GET", "/v1.0/me/sendMail", token, null).statusCode()).isEqualTo(405);
        assertThat(server.call("DELETE", "/v1.0/me/mailFolders/inbox", token, null).statusCode()).isEqualTo(405);
        assertThat(server.call("GET", "/v1.0/me/messages/" + createDraft() + "/send", token, null).statusCode()).isEqualTo(405);
    }

    @Test
    void bodyOverFourMegabytesIs413() {
        String big = "{\"subject\":\"big\",\"body\":{\"contentType\":\"text\",\"content\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}}";
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages", token, big);
        assertGraphError(r, 413, json(r).path("error").path("code").asText());
        assertThat(json(r).path("error").path("message").asText()).contains("4MB");
    }

    @Test
    void unsupportedContentTypeIs415() {
        HttpResponse<String> r = server.send(request("/v1.0/me/messages").header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<message/>")).build());
        assertGraphError(r, 415, json(r).path("error").path("code").asText());
    }

    @Test
    void unknownSegmentIsABadRequest() {
        HttpResponse<String> r = server.call("GET", "/v1.0/me/nonsense", token, null);
        JsonNode e = assertGraphError(r, 400, "BadRequest");
        assertThat(e.path("message").asText()).contains("nonsense");
        assertGraphError(server.call("GET", "/v1.0/me/messages/" + createDraft() + "/nonsense", token, null), 400, "BadRequest");
        assertGraphError(server.call("GET", "/v1.0/nonsense", token, null), 400, "BadRequest");
    }

    @Test
    void unauthenticatedErrorsUseTheSameEnvelope() {
        HttpResponse<String> r = server.call("GET", "/v1.0/me/messages", null, null);
        assertGraphError(r, 401, "InvalidAuthenticationToken");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(r.headers().firstValue("OData-Version")).hasValue("4.0");
    }

    @Test
    void noStackTraceReachesTheClient() {
        HttpResponse<String> r = server.call("GET", "/v1.0/me/messages?%24filter=" + TestServer.enc("subject eq 'a' and (") , token, null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("at graft.").doesNotContain("Exception");
    }
}
