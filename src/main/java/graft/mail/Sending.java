package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.delivery.Outbox;
import graft.http.GraphError;
import graft.identity.Caller;
import graft.identity.Tenant;
import graft.identity.User;
import graft.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sending: a draft ({@code /send}) or a message given whole ({@code /sendMail}). Everything a send does happens in
 * one durable transaction before the caller hears 202: the Sent Items copy, a copy in the Inbox of every recipient
 * in the tenant, and an outbox entry for every other recipient.
 */
public final class Sending {
    /** Exchange Online's cap on to + cc + bcc of one message. */
    static final int MAX_RECIPIENTS = 500;
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s\"<>()\\[\\],;:\\\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private final Database db;
    private final Messages messages;
    private final Clock clock;
    private final Runnable outboxSignal;

    public Sending(Database db, Messages messages, Clock clock, Runnable outboxSignal) {
        this.db = db;
        this.messages = messages;
        this.clock = clock;
        this.outboxSignal = outboxSignal;
    }

    public void sendDraft(Caller caller, User owner, MessageId id) {
        boolean external = db.write(c -> {
            // A message that is no longer a draft cannot be sent again; Exchange answers as if it were not there.
            Message draft = MessageTable.find(c, owner.id(), id).filter(Message::isDraft).orElseThrow(GraphError::itemNotFound);
            return submit(c, caller.tenant(), owner, draft, true, true);
        });
        if (external) {
            outboxSignal.run();
        }
    }

    public void sendMail(Caller caller, User owner, JsonNode json, boolean saveToSentItems) {
        sendMail(caller, owner, MessageInput.parse(json, true, Messages.names(caller.tenant())), saveToSentItems);
    }

    /** sendMail with a parsed message (JSON or MIME). */
    void sendMail(Caller caller, User owner, MessageInput input, boolean saveToSentItems) {
        Message.Builder b = messages.newMessage(owner, FolderId.of(owner.id(), WellKnownFolder.DRAFTS), caller.tenant());
        input.applyTo(b);
        Message message = b.build();
        sendNew(caller, owner, message, saveToSentItems, c -> Attachments.insertAll(c, message.id().value(),
                input.attachments(), message.createdDateTime(), messages.maxMessageSize()));
    }

    /** Work done in the send's transaction before the message is submitted, such as storing its attachments. */
    @FunctionalInterface
    interface Preparation {
        void run(Connection c) throws SQLException;
    }

    /** Sends a message that was never stored (sendMail, reply, forward). */
    void sendNew(Caller caller, User owner, Message message, boolean saveToSentItems, Preparation preparation) {
        boolean external = db.write(c -> {
            preparation.run(c);
            return submit(c, caller.tenant(), owner, message, false, saveToSentItems);
        });
        if (external) {
            outboxSignal.run();
        }
    }

    /** @return whether anything went to the outbox */
    private boolean submit(Connection c, Tenant tenant, User owner, Message draft, boolean stored, boolean saveToSentItems) throws SQLException {
        Map<String, Recipient> recipients = validRecipients(draft);
        Recipient self = new Recipient(owner.displayName(), owner.mail());
        checkSendAs(draft.from(), owner);
        checkSendAs(draft.sender(), owner);

        Instant now = clock.instant();
        Message.Builder b = draft.toBuilder();
        b.isDraft = false;
        b.isRead = true;
        b.from = draft.from() == null ? self : draft.from();
        b.sender = draft.sender() == null ? b.from : draft.sender();
        b.sentDateTime = now;
        b.receivedDateTime = now;
        b.lastModifiedDateTime = now;
        b.changeKey = Messages.changeKey();
        b.folderId = FolderId.of(owner.id(), WellKnownFolder.SENTITEMS);
        b.hasAttachments = AttachmentTable.hasVisible(c, draft.id().value());
        Message sent = b.build();
        String attachmentsOf = draft.id().value();

        // One serialisation of the sent message serves its Sent Items row and its outbox submission.
        String sentJson = MessageTable.content(sent);
        if (saveToSentItems) {
            if (stored) {
                MessageTable.update(c, sent, sentJson);
            } else {
                MessageTable.insert(c, sent, sentJson);
            }
        } else if (stored) {
            MessageTable.delete(c, owner.id(), draft.id());
        }

        List<String> external = new ArrayList<>();
        for (var e : recipients.entrySet()) {
            Optional<User> local = tenant.userByAddress(e.getKey());
            if (local.isPresent()) {
                Message copy = inboxCopy(sent, local.get(), now);
                MessageTable.insert(c, copy);
                AttachmentTable.copyAll(c, attachmentsOf, copy.id().value());
            } else {
                external.add(e.getValue().address());
            }
        }
        if (!external.isEmpty()) {
            String submission = Outbox.enqueue(c, tenant.id(), owner.id(), sent.id().value(), sentJson, external, now.toEpochMilli());
            AttachmentTable.copyAll(c, attachmentsOf, submission);
        }
        if (!saveToSentItems) {
            AttachmentTable.deleteAll(c, attachmentsOf); // the copies keep the content they share
        }
        return !external.isEmpty();
    }

    /** The recipient's copy: its own id, unread, in the Inbox, without the Bcc line (only the sender sees it). */
    private static Message inboxCopy(Message sent, User recipient, Instant now) {
        Message.Builder b = sent.toBuilder();
        b.id = MessageId.random();
        b.mailboxId = recipient.id();
        b.folderId = FolderId.of(recipient.id(), WellKnownFolder.INBOX);
        b.changeKey = Messages.changeKey();
        b.isRead = false;
        b.isDraft = false;
        b.receivedDateTime = now;
        b.createdDateTime = now;
        b.lastModifiedDateTime = now;
        b.bccRecipients = List.of();
        b.categories = List.of();
        b.flag = FollowupFlag.NOT_FLAGGED;
        b.inferenceClassification = "focused";
        return b.build();
    }

    /** Every recipient once (by lower-case address), after the checks Exchange makes before it accepts a send. */
    private static Map<String, Recipient> validRecipients(Message m) {
        List<Recipient> all = new ArrayList<>(m.toRecipients());
        all.addAll(m.ccRecipients());
        all.addAll(m.bccRecipients());
        if (all.isEmpty()) {
            throw new GraphError(400, "ErrorInvalidRecipients",
                    "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
        }
        if (all.size() > MAX_RECIPIENTS) {
            throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., The message has "
                    + all.size() + " recipients; a message can have at most " + MAX_RECIPIENTS + ".");
        }
        Map<String, Recipient> unique = new LinkedHashMap<>();
        for (Recipient r : all) {
            if (r == null || r.address() == null || !ADDRESS.matcher(r.address()).matches()) {
                String shown = r == null ? "" : r.address() != null ? r.address() : String.valueOf(r.name());
                throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., Recipient \"" + shown
                        + "\" isn't resolved. All recipients must be resolved before a message can be submitted.");
            }
            unique.putIfAbsent(r.address().toLowerCase(Locale.ROOT), r);
        }
        return unique;
    }

    /** Graft grants no send-as or send-on-behalf rights: a message can only be sent as its mailbox's owner. */
    private static void checkSendAs(Recipient claimed, User owner) {
        if (claimed != null && claimed.address() != null && !claimed.address().equalsIgnoreCase(owner.mail())) {
            throw new GraphError(403, "ErrorSendAsDenied", "The user account which was used to submit this request does not have "
                    + "the right to send mail on behalf of the specified sending account. Cannot submit message.");
        }
    }
}
