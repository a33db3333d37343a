package graft.mail;

import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static graft.testing.TestMail.message;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** The heart of the product, driven by the official Java SDK: a draft is created, sent and received. */
class DraftSendFlowTest {
    static TestServer server;
    static GraphServiceClient alice;
    static GraphServiceClient bob;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = server.graph(server.userToken(ALICE, "Mail.Send Mail.ReadWrite"));
        bob = server.graph(server.userToken(BOB, "Mail.ReadWrite"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void draftIsCreatedInDraftsWithGraphDefaults() {
        Message draft = alice.me().messages().post(message("Defaults", BOB));

        assertThat(draft.getId()).isNotBlank();
        assertThat(draft.getIsDraft()).isTrue();
        assertThat(draft.getIsRead()).isTrue();
        assertThat(draft.getInternetMessageId()).startsWith("<").endsWith(">");
        assertThat(draft.getConversationId()).isNotBlank();
        assertThat(draft.getChangeKey()).isNotBlank();
        assertThat(draft.getImportance().getValue()).isEqualTo("normal");
        assertThat(draft.getToRecipients().getFirst().getEmailAddress().getName()).isEqualTo("Bob Brown");
        String drafts = alice.me().mailFolders().byMailFolderId("drafts").get().getId();
        assertThat(draft.getParentFolderId()).isEqualTo(drafts);
    }

    @Test
    void sendMovesDraftToSentItemsAndDeliversToLocalInbox() {
        Message draft = alice.me().messages().post(message("Quarterly report", BOB));

        alice.me().messages().byMessageId(draft.getId()).send().post();

        Message sent = alice.me().messages().byMessageId(draft.getId()).get();
        assertThat(sent.getIsDraft()).isFalse();
        assertThat(sent.getSentDateTime()).isNotNull();
        assertThat(sent.getParentFolderId()).isEqualTo(alice.me().mailFolders().byMailFolderId("sentitems").get().getId());
        assertThat(alice.me().mailFolders().byMailFolderId("drafts").messages().get().getValue())
                .extracting(Message::getId).doesNotContain(draft.getId());

        List<Message> inbox = bob.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq 'Quarterly report'").getValue();
        assertThat(inbox).hasSize(1);
        Message received = inbox.getFirst();
        assertThat(received.getIsRead()).isFalse();
        assertThat(received.getInternetMessageId()).isEqualTo(sent.getInternetMessageId());
        assertThat(received.getConversationId()).isEqualTo(sent.getConversationId());
        assertThat(received.getFrom().getEmailAddress().getAddress()).isEqualTo(ALICE);
        assertThat(received.getReceivedDateTime()).isNotNull();
    }

    @Test
    void sendMailSavesToSentItemsWhenAskedAndNotWhenAskedNotTo() {
        // The SDK's request body defaults SaveToSentItems to false, so a caller who wants a copy says so.
        SendMailPostRequestBody saved = new SendMailPostRequestBody();
        saved.setMessage(message("Saved copy", BOB));
        saved.setSaveToSentItems(true);
        alice.me().sendMail().post(saved);

        SendMailPostRequestBody unsaved = new SendMailPostRequestBody();
        unsaved.setMessage(message("No copy", BOB));
        unsaved.setSaveToSentItems(false);
        alice.me().sendMail().post(unsaved);

        List<String> sentSubjects = alice.me().mailFolders().byMailFolderId("sentitems").messages()
                .get(r -> r.queryParameters.top = 100).getValue().stream().map(Message::getSubject).toList();
        assertThat(sentSubjects).contains("Saved copy").doesNotContain("No copy");
        List<String> inbox = bob.me().mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.top = 100).getValue().stream().map(Message::getSubject).toList();
        assertThat(inbox).contains("Saved copy", "No copy");
    }
}
