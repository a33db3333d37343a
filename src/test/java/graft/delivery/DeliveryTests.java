package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graft.http.Json;
import graft.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the delivery tests share: sending through Graph, and reading the trace through the admin API. */
final class DeliveryTests {
    static final String ADMIN_TOKEN = "test-admin-token";
    static final String ADMIN_YAML = "admin: { token: " + ADMIN_TOKEN + " }\n";

    private DeliveryTests() {
    }

    static String relayYaml(int port, String extraRelayKeys) {
        return """
                delivery:
                  relay: { host: 127.0.0.1, port: %d%s }
                  retry: { initialDelay: PT0.2S, maxDelay: PT0.4S, lifetime: PT6S }
                """.formatted(port, extraRelayKeys);
    }

    static ObjectNode message(String subject, String body, List<String> to, List<String> cc, List<String> bcc) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("subject", subject);
        m.putObject("body").put("contentType", "text").put("content", body);
        recipients(m.putArray("toRecipients"), to);
        recipients(m.putArray("ccRecipients"), cc);
        recipients(m.putArray("bccRecipients"), bcc);
        return m;
    }

    private static void recipients(ArrayNode array, List<String> addresses) {
        for (String a : addresses) {
            array.addObject().putObject("emailAddress").put("address", a);
        }
    }

    static void sendMail(TestServer server, String token, String from, ObjectNode message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("message", message);
        body.put("saveToSentItems", true);
        HttpResponse<String> r = server.call("POST", "/v1.0/users/" + from + "/sendMail", token, body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    static void sendMail(TestServer server, String token, String subject, String... to) {
        sendMail(server, token, TestServer.ALICE, message(subject, "Body of " + subject, List.of(to), List.of(), List.of()));
    }

    static List<JsonNode> trace(TestServer server, String recipient) {
        HttpResponse<String> r = server.call("GET", "/admin/trace?recipient=" + TestServer.enc(recipient), ADMIN_TOKEN, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return List.copyOf(((ArrayNode) Json.MAPPER.readTree(r.body()).get("value")).valueStream().toList());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the newest trace entry of the recipient is in {@code state}, and returns it. */
    static JsonNode awaitState(TestServer server, String recipient, String state) {
        JsonNode[] found = new JsonNode[1];
        FakeSmtpServer.await(recipient + " " + state, Duration.ofSeconds(20), () -> {
            List<JsonNode> t = trace(server, recipient);
            if (!t.isEmpty() && t.getFirst().path("state").asText().equals(state)) {
                found[0] = t.getFirst();
                return true;
            }
            return false;
        });
        return found[0];
    }

    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
