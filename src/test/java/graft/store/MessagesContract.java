package graft.store;

import graft.http.GraphError;
import graft.mail.MailFolder;
import graft.mail.Message;
import graft.mail.WellKnownFolder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static graft.store.MailFixture.folder;
import static graft.store.MailFixture.json;
import static graft.store.MailFixture.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages and folders: what the mail endpoints store and read back. */
interface MessagesContract extends StoreUnderTest {

    @Test
    default void createdDraftReadsBackWithEveryProperty() {
        MailFixture f = MailFixture.on(db());
        Message created = f.messages().create(f.tenant(), f.alice(), null, json(Map.of("subject", "Quarterly",
                "importance", "high", "body", Map.of("contentType", "html", "content", "<p>Grüße ✉</p>"),
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "bob@contoso.test"))))));

        Message read = f.messages().get(f.alice(), created.id());
        assertThat(read.id()).isEqualTo(created.id());
        assertThat(read.changeKey()).isEqualTo(created.changeKey());
        assertThat(read.subject()).isEqualTo("Quarterly");
        assertThat(read.importance()).isEqualTo("high");
        assertThat(read.toRecipients()).isEqualTo(created.toRecipients());
        assertThat(read.folderId()).isEqualTo(folder(f.alice(), WellKnownFolder.DRAFTS));
        assertThat(read.isDraft()).isTrue();
        assertThat(read.body().content()).contains("<p>Grüße ✉</p>");
        assertThatThrownBy(() -> f.messages().get(f.bob(), created.id())).isInstanceOf(GraphError.class);
    }

    @Test
    default void updateReplacesTheChangeKeyAndAStaleIfMatchIsRefused() {
        MailFixture f = MailFixture.on(db());
        Message draft = f.messages().create(f.tenant(), f.alice(), null, message("first"));
        Message updated = f.messages().update(f.tenant(), f.alice(), draft.id(), json(Map.of("subject", "second")),
                "W/\"" + draft.changeKey() + "\"");

        assertThat(f.messages().get(f.alice(), draft.id()).subject()).isEqualTo("second");
        assertThat(updated.changeKey()).isNotEqualTo(draft.changeKey());
        assertThatThrownBy(() -> f.messages().update(f.tenant(), f.alice(), draft.id(), json(Map.of("subject", "third")),
                "W/\"" + draft.changeKey() + "\""))
                .isInstanceOfSatisfying(GraphError.class, e -> assertThat(e.status()).isEqualTo(412));
        assertThat(f.messages().get(f.alice(), draft.id()).subject()).isEqualTo("second");
    }

    @Test
    default void deleteMovesToDeletedItemsAndDeletingFromThereRemovesForGood() {
        MailFixture f = MailFixture.on(db());
        Message draft = f.messages().create(f.tenant(), f.alice(), null, message("doomed"));

        f.messages().delete(f.alice(), draft.id(), null);
        assertThat(f.messages().get(f.alice(), draft.id()).folderId()).isEqualTo(folder(f.alice(), WellKnownFolder.DELETEDITEMS));
        f.messages().delete(f.alice(), draft.id(), null);
        assertThatThrownBy(() -> f.messages().get(f.alice(), draft.id()))
                .isInstanceOfSatisfying(GraphError.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    default void listFiltersOrdersPagesAndCounts() {
        MailFixture f = MailFixture.on(db());
        for (String s : List.of("delta", "Alpha", "charlie", "Bravo", "echo")) {
            f.messages().create(f.tenant(), f.alice(), null, json(Map.of("subject", s,
                    "importance", s.equals("charlie") || s.equals("Alpha") ? "high" : "normal")));
        }
        WellKnownFolder drafts = WellKnownFolder.DRAFTS;

        assertThat(f.subjects(f.alice(), drafts, "$orderby", "subject")).containsExactly("Alpha", "Bravo", "charlie", "delta", "echo");
        assertThat(f.subjects(f.alice(), drafts, "$orderby", "subject desc", "$top", "2", "$skip", "1")).containsExactly("delta", "charlie");
        assertThat(f.subjects(f.alice(), drafts, "$filter", "importance eq 'high'"))
                .containsExactlyInAnyOrder("Alpha", "charlie");
        assertThat(f.subjects(f.alice(), drafts, "$filter", "startswith(subject,'B') or contains(subject,'LT')"))
                .containsExactlyInAnyOrder("Bravo", "delta");
        assertThat(f.subjects(f.alice(), drafts, "$filter", "isDraft eq true and not(subject eq 'echo')")).hasSize(4);
        assertThat(f.subjects(f.alice(), drafts, "$filter", "receivedDateTime ge 2000-01-01T00:00:00Z")).hasSize(5);
        assertThat(f.subjects(f.alice(), drafts, "$filter", "sentDateTime eq null")).isEmpty();
        var page = f.messages().list(f.alice(), folder(f.alice(), drafts), MailFixture.query("$top", "2", "$count", "true"));
        assertThat(page.count()).isEqualTo(5);
        assertThat(page.more()).isTrue();
        assertThat(f.subjects(f.bob(), drafts)).isEmpty();
    }

    @Test
    default void folderCountsFollowTheMessages() {
        MailFixture f = MailFixture.on(db());
        f.sending().sendMail(f.caller(), f.alice(), message("one", "bob@contoso.test"), true);
        f.sending().sendMail(f.caller(), f.alice(), message("two", "bob@contoso.test"), true);
        Message first = f.messages().list(f.bob(), folder(f.bob(), WellKnownFolder.INBOX), MailFixture.query()).messages().getFirst();
        f.messages().update(f.tenant(), f.bob(), first.id(), json(Map.of("isRead", true)), null);

        MailFolder inbox = f.folders().get(f.bob(), folder(f.bob(), WellKnownFolder.INBOX));
        assertThat(inbox.totalItemCount()).isEqualTo(2);
        assertThat(inbox.unreadItemCount()).isEqualTo(1);
        assertThat(f.folders().children(f.bob(), null)).extracting(MailFolder::displayName)
                .contains("Inbox", "Drafts", "Sent Items", "Deleted Items");
    }

    @Test
    default void provisioningAgainIsHarmless() {
        MailFixture f = MailFixture.on(db());
        int before = f.folders().children(f.alice(), null).size();
        f.folders().provision(f.tenant().users());
        f.folders().provision(f.tenant().users());
        assertThat(f.folders().children(f.alice(), null)).hasSize(before);
    }
}
