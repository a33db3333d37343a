package graft.mail;

import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.createforward.CreateForwardPostRequestBody;
import com.microsoft.graph.users.item.messages.item.createreply.CreateReplyPostRequestBody;
import com.microsoft.graph.users.item.messages.item.createreplyall.CreateReplyAllPostRequestBody;
import com.microsoft.graph.users.item.messages.item.forward.ForwardPostRequestBody;
import com.microsoft.graph.users.item.messages.item.reply.ReplyPostRequestBody;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static graft.testing.TestMail.message;
import static graft.testing.TestMail.recipient;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

/** Replies, reply-all and forwards through the official SDK, as drafts and sent at once. */
class ReplyForwardTest {
    static TestServer server;
    static GraphServiceClient alice;
    static GraphServiceClient bob;
    static String bobToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = server.graph(server.userToken(ALICE, "Mail.Send Mail.ReadWrite"));
        bobToken = server.userToken(BOB, "Mail.Send Mail.ReadWrite");
        bob = server.graph(bobToken);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Alice writes to Bob (To) and Carol (Cc); returns Bob's received copy. */
    private static Message receivedByBob(String subject) {
        Message m = message(subject, BOB);
        m.setCcRecipients(List.of(recipient(CAROL)));
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(m);
        body.setSaveToSentItems(true);
        alice.me().sendMail().post(body);
        return bob.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq '" + subject + "'").getValue().getFirst();
    }

    @Test
    void createReplyMakesADraftToTheSenderWithPrefixedSubjectAndQuotedOriginal() {
        Message original = receivedByBob("Lunch?");
        CreateReplyPostRequestBody body = new CreateReplyPostRequestBody();
        body.setComment("Yes, at noon.");

        Message draft = bob.me().messages().byMessageId(original.getId()).createReply().post(body);

        assertThat(draft.getIsDraft()).isTrue();
        assertThat(draft.getSubject()).isEqualTo("RE: Lunch?");
        assertThat(draft.getToRecipients()).extracting(r -> r.getEmailAddress().getAddress()).containsExactly(ALICE);
        assertThat(draft.getConversationId()).isEqualTo(original.getConversationId());
        assertThat(draft.getBody().getContent()).contains("Yes, at noon.").contains("<b>Subject:</b> Lunch?").contains("Body of Lunch?");
        assertThat(draft.getParentFolderId()).isEqualTo(bob.me().mailFolders().byMailFolderId("drafts").get().getId());
    }

    @Test
    void replyPrefixIsNotDoubled() {
        Message original = receivedByBob("Re: Budget");
        Message draft = bob.me().messages().byMessageId(original.getId()).createReply().post(new CreateReplyPostRequestBody());
        assertThat(draft.getSubject()).isEqualTo("RE: Budget");
    }

    @Test
    void createReplyAllAddressesSenderAndOtherRecipientsButNotTheOwner() {
        Message original = receivedByBob("Team meeting");

        Message draft = bob.me().messages().byMessageId(original.getId()).createReplyAll().post(new CreateReplyAllPostRequestBody());

        assertThat(draft.getToRecipients()).extracting(r -> r.getEmailAddress().getAddress()).containsExactly(ALICE);
        assertThat(draft.getCcRecipients()).extracting(r -> r.getEmailAddress().getAddress()).containsExactly(CAROL);
    }

    @Test
    void replySendsAtOnceAndArrivesInTheSendersInboxInTheSameConversation() {
        Message original = receivedByBob("Question");
        ReplyPostRequestBody body = new ReplyPostRequestBody();
        body.setComment("Here is the answer.");

        bob.me().messages().byMessageId(original.getId()).reply().post(body);

        List<Message> aliceInbox = alice.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq 'RE: Question'").getValue();
        assertThat(aliceInbox).hasSize(1);
        assertThat(aliceInbox.getFirst().getConversationId()).isEqualTo(original.getConversationId());
        assertThat(aliceInbox.getFirst().getBody().getContent()).contains("Here is the answer.");
        assertThat(bob.me().mailFolders().byMailFolderId("sentitems").messages().get().getValue())
                .extracting(Message::getSubject).contains("RE: Question");
    }

    @Test
    void forwardGoesToTheGivenRecipientsWithFwPrefix() {
        Message original = receivedByBob("Report");
        ForwardPostRequestBody body = new ForwardPostRequestBody();
        body.setToRecipients(List.of(recipient(CAROL)));
        body.setComment("FYI");

        bob.me().messages().byMessageId(original.getId()).forward().post(body);

        GraphServiceClient carol = server.graph(server.userToken(CAROL, "Mail.Read"));
        assertThat(carol.me().mailFolders().byMailFolderId("inbox").messages().get(r -> r.queryParameters.top = 50).getValue())
                .extracting(Message::getSubject).contains("FW: Report");
    }

    @Test
    void createForwardWithoutRecipientsMakesADraftButForwardWithoutRecipientsIsRejected() {
        Message original = receivedByBob("Draft forward");
        Message draft = bob.me().messages().byMessageId(original.getId()).createForward().post(new CreateForwardPostRequestBody());
        assertThat(draft.getSubject()).isEqualTo("FW: Draft forward");
        assertThat(draft.getToRecipients()).isEmpty();

        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages/" + original.getId() + "/forward", bobToken, "{\"comment\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("ErrorInvalidRecipients");
    }

    @Test
    void commentTogetherWithMessageBodyIsRejected() {
        Message original = receivedByBob("Both");
        HttpResponse<String> r = server.call("POST", "/v1.0/me/messages/" + original.getId() + "/createReply", bobToken,
                "{\"comment\":\"a\",\"message\":{\"body\":{\"contentType\":\"text\",\"content\":\"b\"}}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\"");
    }

    @Test
    void parameterNamesAreCaseInsensitiveAndAnEmptyPostIsAllowed() {
        Message original = receivedByBob("Casing");
        HttpResponse<String> pascal = server.call("POST", "/v1.0/me/messages/" + original.getId() + "/createReply", bobToken,
                "{\"Comment\":\"pascal\"}");
        assertThat(pascal.statusCode()).isEqualTo(201);
        assertThat(pascal.body()).contains("pascal");
        HttpResponse<String> empty = server.call("POST", "/v1.0/me/messages/" + original.getId() + "/createReply", bobToken, "");
        assertThat(empty.statusCode()).isEqualTo(201);
    }
}
