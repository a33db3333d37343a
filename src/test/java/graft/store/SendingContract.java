package graft.store;

import graft.http.GraphError;
import graft.identity.User;
import graft.mail.Message;
import graft.mail.WellKnownFolder;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static graft.store.MailFixture.folder;
import static graft.store.MailFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

/** A send is one transaction: Sent Items, the local recipients' Inboxes and the outbox, all or nothing. */
interface SendingContract extends StoreUnderTest {

    @Test
    default void sendingADraftMovesItToSentItemsAndCopiesItToLocalInboxes() {
        MailFixture f = MailFixture.on(db());
        Message draft = f.messages().create(f.tenant(), f.alice(), null, message("lunch", "bob@contoso.test"));

        f.sending().sendDraft(f.caller(), f.alice(), draft.id());

        Message sent = f.messages().get(f.alice(), draft.id());
        assertThat(sent.isDraft()).isFalse();
        assertThat(sent.folderId()).isEqualTo(folder(f.alice(), WellKnownFolder.SENTITEMS));
        assertThat(f.subjects(f.bob(), WellKnownFolder.INBOX)).containsExactly("lunch");
        assertThat(f.count(f.alice(), WellKnownFolder.DRAFTS)).isZero();
        assertThat(outbox(f.alice())).isEmpty();
    }

    @Test
    default void sendingToExternalAddressesQueuesOneOutboxEntryEach() {
        MailFixture f = MailFixture.on(db());
        f.sending().sendMail(f.caller(), f.alice(),
                message("news", "bob@contoso.test", "x@example.net", "Y@Example.org"), true);

        assertThat(outbox(f.alice())).containsExactlyInAnyOrder("x@example.net queued", "Y@Example.org queued");
        assertThat(f.outboxSignals().get()).isEqualTo(1);
        assertThat(f.subjects(f.alice(), WellKnownFolder.SENTITEMS)).containsExactly("news");
        assertThat(f.subjects(f.bob(), WellKnownFolder.INBOX)).containsExactly("news");
    }

    @Test
    default void aRefusedSendLeavesNothingBehind() {
        MailFixture f = MailFixture.on(db());
        Message draft = f.messages().create(f.tenant(), f.alice(), null, message("bad", "x@example.net", "not an address"));

        assertThatGraphError(() -> f.sending().sendDraft(f.caller(), f.alice(), draft.id()), 400);

        assertThat(f.messages().get(f.alice(), draft.id()).isDraft()).isTrue();
        assertThat(outbox(f.alice())).isEmpty();
    }

    @Test
    default void twoHundredConcurrentSendsAreAllDurableAndCountedExactly() throws Exception {
        MailFixture f = MailFixture.on(db());
        int sends = 200;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                String subject = "bulk " + i;
                done.add(threads.submit(() -> f.sending().sendMail(f.caller(), f.alice(),
                        message(subject, "bob@contoso.test", "ext@example.net"), true)));
            }
            for (Future<?> d : done) {
                d.get();
            }
        }
        MailFixture again = f.over(reopen()); // what a write promised must survive a restart of the store
        assertThat(again.count(f.alice(), WellKnownFolder.SENTITEMS)).isEqualTo(sends);
        assertThat(again.count(f.bob(), WellKnownFolder.INBOX)).isEqualTo(sends);
        assertThat(outbox(f.alice())).hasSize(sends);
    }

    @Test
    default void aDraftSentByManyRequestsAtOnceIsSentOnce() throws Exception {
        MailFixture f = MailFixture.on(db());
        Message draft = f.messages().create(f.tenant(), f.alice(), null, message("once", "bob@contoso.test", "ext@example.net"));
        AtomicInteger accepted = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> refused = new ConcurrentLinkedQueue<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                threads.submit(() -> {
                    try {
                        f.sending().sendDraft(f.caller(), f.alice(), draft.id());
                        accepted.incrementAndGet();
                    } catch (GraphError e) {
                        refused.add(e.status());
                    }
                });
            }
        }
        assertThat(accepted.get()).isEqualTo(1);
        assertThat(refused).hasSize(7).containsOnly(404);
        assertThat(f.count(f.bob(), WellKnownFolder.INBOX)).isEqualTo(1);
        assertThat(outbox(f.alice())).hasSize(1);
    }

    @Test
    default void concurrentUpdatesWithTheSameChangeKeyLetOneWin() throws Exception {
        MailFixture f = MailFixture.on(db());
        Message draft = f.messages().create(f.tenant(), f.alice(), null, message("v0"));
        AtomicInteger won = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> refused = new ConcurrentLinkedQueue<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                String subject = "v" + (i + 1);
                threads.submit(() -> {
                    try {
                        f.messages().update(f.tenant(), f.alice(), draft.id(), MailFixture.json(java.util.Map.of("subject", subject)),
                                "W/\"" + draft.changeKey() + "\"");
                        won.incrementAndGet();
                    } catch (GraphError e) {
                        refused.add(e.status());
                    }
                });
            }
        }
        assertThat(won.get()).isEqualTo(1);
        assertThat(refused).hasSize(7).containsOnly(412);
    }

    @Test
    default void aMessageSavedToSentItemsIsStoredOnceAndItsSubmissionKeepsItAsSent() {
        MailFixture f = MailFixture.on(db());
        f.sending().sendMail(f.caller(), f.alice(), message("patched later", "x@example.net"), true);
        f.sending().sendMail(f.caller(), f.alice(), message("deleted later", "y@example.net"), true);
        f.sending().sendMail(f.caller(), f.alice(), message("not saved", "z@example.net"), false);
        Message patched = f.only(f.alice(), WellKnownFolder.SENTITEMS, "subject eq 'patched later'");
        Message deleted = f.only(f.alice(), WellKnownFolder.SENTITEMS, "subject eq 'deleted later'");
        assertThat(storedContentIsNull(patched.id().value())).isTrue();
        assertThat(submitted(patched.id().value())).contains("\"subject\":\"patched later\"");

        f.messages().update(f.tenant(), f.alice(), patched.id(), MailFixture.json(java.util.Map.of("categories", List.of("Red"))), null);
        new graft.mail.Moves(db(), java.time.Clock.systemUTC()).permanentDelete(f.alice(), deleted.id());

        assertThat(storedContentIsNull(patched.id().value())).isFalse();
        assertThat(submitted(patched.id().value())).contains("\"subject\":\"patched later\"").doesNotContain("Red");
        assertThat(submitted(deleted.id().value())).contains("\"subject\":\"deleted later\"");
        assertThat(f.subjects(f.alice(), WellKnownFolder.SENTITEMS)).containsExactly("patched later");
        assertThat(outbox(f.alice())).containsExactlyInAnyOrder("x@example.net queued", "y@example.net queued", "z@example.net queued");
    }

    /** The message of the submission of {@code messageId} as the delivery workers read it. */
    private String submitted(String messageId) {
        return db().read(c -> graft.delivery.Outbox.submittedContent(c, submissionOf(c, messageId)).orElseThrow());
    }

    private boolean storedContentIsNull(String messageId) {
        return db().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content IS NULL FROM submissions WHERE message_id = ?")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    private static String submissionOf(java.sql.Connection c, String messageId) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM submissions WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** "recipient state" of every outbox entry of the sender's submissions. */
    private List<String> outbox(User sender) {
        return db().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.recipient, o.state FROM outbox o "
                    + "JOIN submissions s ON s.id = o.submission_id WHERE s.mailbox_id = ?")) {
                ps.setString(1, sender.id().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    private static void assertThatGraphError(Runnable r, int status) {
        org.assertj.core.api.Assertions.assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(GraphError.class, e -> assertThat(e.status()).isEqualTo(status));
    }
}
