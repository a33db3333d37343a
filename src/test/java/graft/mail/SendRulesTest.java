package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import graft.testing.RawHttp;
import graft.testing.TestMail;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of send and sendMail: what is accepted, what is refused, and where the mail ends up. */
class SendRulesTest {
    static TestServer server;
    static String aliceToken;
    static GraphServiceClient alice;
    static GraphServiceClient bob;
    static GraphServiceClient carol;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        aliceToken = server.userToken(ALICE, "Mail.Send Mail.ReadWrite");
        alice = server.graph(aliceToken);
        bob = server.graph(server.userToken(BOB, "Mail.ReadWrite"));
        carol = server.graph(server.userToken(CAROL, "Mail.ReadWrite"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Message draft(String subject, String... to) {
        return alice.me().messages().post(TestMail.message(subject, to));
    }

    private static HttpResponse<String> send(String id) {
        return server.call("POST", "/v1.0/me/messages/" + id + "/send", aliceToken, null);
    }

    private static HttpResponse<String> sendMail(String json) {
        return server.call("POST", "/v1.0/me/sendMail", aliceToken, json);
    }

    private static List<Message> find(GraphServiceClient client, String folder, String subject) {
        return client.me().mailFolders().byMailFolderId(folder).messages()
                .get(r -> r.queryParameters.filter = "subject eq '" + subject.replace("'", "''") + "'").getValue();
    }

    private static String messageJson(String subject, String to) {
        return "{\"subject\":\"" + subject + "\",\"body\":{\"contentType\":\"Text\",\"content\":\"hi\"},"
                + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + to + "\"}}]}";
    }

    @Test
    void sendAnswers202WithAnEmptyBody() {
        Message d = draft(TestMail.unique("Accepted"), BOB);
        HttpResponse<String> r = send(d.getId());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void sendWithoutContentLengthOrChunkedBodyIsRefusedWith411() {
        Message d = draft(TestMail.unique("No length"), BOB);
        String answer = RawHttp.exchange(server.port(), "POST /v1.0/me/messages/" + d.getId() + "/send HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Authorization: Bearer " + aliceToken + "\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 411");
        // Nothing was sent.
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getIsDraft()).isTrue();
    }

    @Test
    void sendWithAnEmptyChunkedBodyOrContentLengthZeroIsAccepted() {
        Message chunked = draft(TestMail.unique("Chunked"), BOB);
        String answer = RawHttp.exchange(server.port(), "POST /v1.0/me/messages/" + chunked.getId() + "/send HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Authorization: Bearer " + aliceToken + "\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 202");

        Message zero = draft(TestMail.unique("Zero length"), BOB);
        answer = RawHttp.exchange(server.port(), "POST /v1.0/me/messages/" + zero.getId() + "/send HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Authorization: Bearer " + aliceToken + "\r\n"
                + "Content-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 202");
        assertThat(find(bob, "inbox", chunked.getSubject())).hasSize(1);
        assertThat(find(bob, "inbox", zero.getSubject())).hasSize(1);
    }

    @Test
    void sendingAMessageThatIsNoLongerADraftIsErrorItemNotFound() {
        Message d = draft(TestMail.unique("Twice"), BOB);
        assertThat(send(d.getId()).statusCode()).isEqualTo(202);
        assertGraphError(send(d.getId()), 404, "ErrorItemNotFound");
        assertThat(find(bob, "inbox", d.getSubject())).hasSize(1);
    }

    @Test
    void sendWithoutRecipientsIsRejectedWithErrorInvalidRecipients() {
        Message d = draft(TestMail.unique("Nobody"));
        JsonNode e = assertGraphError(send(d.getId()), 400, "ErrorInvalidRecipients");
        assertThat(e.path("message").asText()).contains("no recipients");
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getIsDraft()).isTrue();

        assertGraphError(sendMail("{\"message\":{\"subject\":\"nobody\"}}"), 400, "ErrorInvalidRecipients");
    }

    @Test
    void sendWithMoreThanFiveHundredRecipientsIsRejected() {
        Message m = TestMail.message(TestMail.unique("Crowd"));
        m.setToRecipients(IntStream.range(0, 300).mapToObj(i -> TestMail.recipient("to" + i + "@example.org")).toList());
        m.setCcRecipients(IntStream.range(0, 201).mapToObj(i -> TestMail.recipient("cc" + i + "@example.org")).toList());
        Message d = alice.me().messages().post(m);
        HttpResponse<String> r = send(d.getId());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("ErrorInvalidRecipients");
        assertThat(alice.me().messages().byMessageId(d.getId()).get().getIsDraft()).isTrue();
        assertThat(outboxRecipients(d.getId())).isEmpty();
    }

    @Test
    void sendingFromSomeoneElseIsErrorSendAsDenied() {
        Message m = TestMail.message(TestMail.unique("Impersonation"), CAROL);
        m.setFrom(TestMail.recipient(BOB));
        Message d = alice.me().messages().post(m);
        assertGraphError(send(d.getId()), 403, "ErrorSendAsDenied");
        assertThat(find(carol, "inbox", d.getSubject())).isEmpty();

        assertThatThrownBy(() -> alice.me().messages().byMessageId(d.getId()).send().post())
                .isInstanceOfSatisfying(ODataError.class, e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(403);
                    assertThat(e.getError().getCode()).isEqualTo("ErrorSendAsDenied");
                });
    }

    @Test
    void bccIsVisibleOnlyInTheSendersCopyButTheBccRecipientReceives() {
        Message m = TestMail.message(TestMail.unique("Blind copy"), BOB);
        m.setBccRecipients(TestMail.recipients(CAROL));
        Message d = alice.me().messages().post(m);
        alice.me().messages().byMessageId(d.getId()).send().post();

        assertThat(alice.me().messages().byMessageId(d.getId()).get().getBccRecipients())
                .extracting(r -> r.getEmailAddress().getAddress()).containsExactly(CAROL);
        List<Message> atBob = find(bob, "inbox", d.getSubject());
        assertThat(atBob).hasSize(1);
        assertThat(atBob.getFirst().getBccRecipients()).isEmpty();
        List<Message> atCarol = find(carol, "inbox", d.getSubject());
        assertThat(atCarol).hasSize(1);
        assertThat(atCarol.getFirst().getBccRecipients()).isEmpty();
        assertThat(atCarol.getFirst().getToRecipients()).extracting(r -> r.getEmailAddress().getAddress()).containsExactly(BOB);
    }

    @Test
    void localRecipientsAreMatchedCaseInsensitively() {
        Message d = draft(TestMail.unique("Shouting"), "BOB@Contoso.TEST");
        alice.me().messages().byMessageId(d.getId()).send().post();
        assertThat(find(bob, "inbox", d.getSubject())).hasSize(1);
        assertThat(outboxRecipients(d.getId())).isEmpty();
    }

    @Test
    void externalRecipientsAreQueuedDurablyBeforeThe202() {
        Message d = draft(TestMail.unique("Abroad"), "someone@example.org", BOB);
        Message withCc = alice.me().messages().byMessageId(d.getId()).get();
        assertThat(withCc.getIsDraft()).isTrue();
        assertThat(send(d.getId()).statusCode()).isEqualTo(202);

        assertThat(outboxRecipients(d.getId())).containsExactly("someone@example.org");
        assertThat(find(bob, "inbox", d.getSubject())).hasSize(1);
    }

    /** Recipients queued for delivery of the message with this id, read straight from the store. */
    private static List<String> outboxRecipients(String messageId) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("graft.db"));
             PreparedStatement ps = c.prepareStatement("SELECT o.recipient FROM outbox o JOIN submissions s ON s.id = o.submission_id "
                     + "WHERE s.message_id = ? ORDER BY o.recipient")) {
            ps.setString(1, messageId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sendMailMatchesParameterNamesCaseInsensitivelyAndAcceptsStringBooleans() {
        String pascal = TestMail.unique("Pascal");
        String camel = TestMail.unique("Camel");
        String absent = TestMail.unique("Default");
        String shouting = TestMail.unique("Upper");

        assertThat(sendMail("{\"Message\":" + messageJson(pascal, BOB) + ",\"SaveToSentItems\":true}").statusCode()).isEqualTo(202);
        assertThat(sendMail("{\"message\":" + messageJson(camel, BOB) + ",\"saveToSentItems\":\"false\"}").statusCode()).isEqualTo(202);
        assertThat(sendMail("{\"message\":" + messageJson(absent, BOB) + "}").statusCode()).isEqualTo(202);
        assertThat(sendMail("{\"MESSAGE\":" + messageJson(shouting, BOB) + ",\"saveTOsentITEMS\":\"FALSE\"}").statusCode()).isEqualTo(202);

        assertThat(find(alice, "sentitems", pascal)).hasSize(1);
        assertThat(find(alice, "sentitems", camel)).isEmpty();
        assertThat(find(alice, "sentitems", absent)).hasSize(1);
        assertThat(find(alice, "sentitems", shouting)).isEmpty();
        for (String s : List.of(pascal, camel, absent, shouting)) {
            assertThat(find(bob, "inbox", s)).as(s).hasSize(1);
        }
        // sendMail leaves nothing behind in Drafts.
        assertThat(find(alice, "drafts", camel)).isEmpty();
    }

    @Test
    void sendMailReturns202WithAnEmptyBodyAndRejectsAMissingMessage() {
        HttpResponse<String> ok = sendMail("{\"message\":" + messageJson(TestMail.unique("Empty body"), BOB) + "}");
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(ok.body()).isEmpty();
        assertThat(sendMail("{\"saveToSentItems\":true}").statusCode()).isEqualTo(400);
        assertThat(sendMail("{\"message\":" + messageJson("x", BOB) + ",\"saveToSentItems\":\"perhaps\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void preferImmutableIdIsAcknowledgedAndADraftKeepsItsIdWhenSent() {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me/messages"))
                .header("Authorization", "Bearer " + aliceToken).header("Content-Type", "application/json")
                .header("Prefer", "IdType=\"ImmutableId\"")
                .POST(HttpRequest.BodyPublishers.ofString(messageJson(TestMail.unique("Immutable"), BOB))).build());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Preference-Applied")).hasValueSatisfying(v -> assertThat(v).contains("IdType=\"ImmutableId\""));
        String id = json(created).path("id").asText();

        HttpResponse<String> sent = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me/messages/" + id + "/send"))
                .header("Authorization", "Bearer " + aliceToken).header("Prefer", "IdType=\"ImmutableId\"")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(sent.statusCode()).isEqualTo(202);
        assertThat(sent.headers().firstValue("Preference-Applied")).hasValue("IdType=\"ImmutableId\"");

        Message afterSend = alice.me().messages().byMessageId(id).get();
        assertThat(afterSend.getId()).isEqualTo(id);
        assertThat(afterSend.getIsDraft()).isFalse();
        assertThat(afterSend.getParentFolderId()).isEqualTo(alice.me().mailFolders().byMailFolderId("sentitems").get().getId());
        assertThat(alice.me().mailFolders().byMailFolderId("sentitems").messages().byMessageId(id).get().getId()).isEqualTo(id);
    }

    @Test
    void sendMailWithoutMailSendIsAccessDenied() {
        String readWriteOnly = server.userToken(ALICE, "Mail.ReadWrite");
        assertGraphError(server.call("POST", "/v1.0/me/sendMail", readWriteOnly, "{\"message\":" + messageJson("x", BOB) + "}"),
                403, "ErrorAccessDenied");
        Message d = draft(TestMail.unique("Not allowed"), BOB);
        assertGraphError(server.call("POST", "/v1.0/me/messages/" + d.getId() + "/send", readWriteOnly, null), 403, "ErrorAccessDenied");
        assertThat(find(bob, "inbox", d.getSubject())).isEmpty();
    }
}
