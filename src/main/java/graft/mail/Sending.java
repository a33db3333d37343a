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
import java.util.UUID;

/**
 * Sending: a draft ({@code /send}) or a message given whole ({@code /sendMail}). Everything a send does happens in
 * one durable transaction before the caller hears 202: the Sent Items copy, a copy in the Inbox of every recipient
 * in the tenant, and an outbox entry for every other recipient.
 */
public final class Sending {
    /** Exchange Online's cap on to + cc + bcc of one message. */
    static final int MAX_RECIPIENTS = 500;
    /** What may not appear in the local part of an address Graft resolves: white space and RFC 5322 specials. */
    private static final String NOT_IN_LOCAL_PART = "@\"<>()[],;:\\ \t\n\u000B\f\r";

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
            Submission s = plan(caller.tenant(), owner, draft, AttachmentTable.hasVisible(c, id.value()), clock.instant());
            return s.write(c, true, true, true);
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
        b.hasAttachments = input.attachments().stream().anyMatch(a -> !a.isInline());
        Message message = b.build();
        List<AttachmentInput> attachments = input.attachments();
        sendNew(caller, owner, message, saveToSentItems, c -> {
            if (attachments.isEmpty()) {
                return false;
            }
            Attachments.insertAll(c, message.id().value(), attachments, message.createdDateTime(), messages.maxMessageSize());
            return true;
        });
    }

    /** Work done in the send's transaction before the message is submitted, such as storing its attachments. */
    @FunctionalInterface
    interface Preparation {
        /** @return whether the message may have attachments now (false: it certainly has none) */
        boolean run(Connection c) throws SQLException;
    }

    /**
     * Sends a message that was never stored (sendMail, reply, forward). Everything but the SQL is worked out before
     * the transaction, from the message's own {@code hasAttachments}; should the attachments stored in the
     * transaction say otherwise, the submission is worked out again there.
     */
    void sendNew(Caller caller, User owner, Message message, boolean saveToSentItems, Preparation preparation) {
        Tenant tenant = caller.tenant();
        Submission planned = plan(tenant, owner, message, message.hasAttachments(), clock.instant());
        boolean external = db.write(c -> {
            boolean attachments = preparation.run(c);
            Submission s = planned;
            if (attachments) {
                boolean visible = AttachmentTable.hasVisible(c, message.id().value());
                if (visible != planned.sent().hasAttachments()) {
                    s = plan(tenant, owner, message, visible, planned.sent().sentDateTime());
                }
            }
            return s.write(c, false, saveToSentItems, attachments);
        });
        if (external) {
            outboxSignal.run();
        }
    }

    /**
     * What one send writes, worked out before its transaction so that the store's writer (a single thread on SQLite)
     * only runs SQL: the message as sent, the Inbox copies of recipients in the tenant, the other recipients.
     */
    private record Submission(UUID tenantId, UUID ownerId, String draftId, Message sent, String sentJson,
                              List<Message> inboxCopies, List<String> inboxJson, List<String> external) {

        /**
         * @param stored      the message is a stored draft (it becomes the Sent Items copy, or is removed)
         * @param attachments the message may have attachments, which its copies then share
         * @return whether anything went to the outbox
         */
        boolean write(Connection c, boolean stored, boolean saveToSentItems, boolean attachments) throws SQLException {
            List<Message> inserts = new ArrayList<>(inboxCopies.size() + 1);
            List<String> contents = new ArrayList<>(inboxCopies.size() + 1);
            if (saveToSentItems) {
                if (stored) {
                    MessageTable.update(c, sent, sentJson);
                } else {
                    inserts.add(sent);
                    contents.add(sentJson);
                }
            } else if (stored) {
                MessageTable.delete(c, ownerId, sent.id());
            }
            inserts.addAll(inboxCopies);
            contents.addAll(inboxJson);
            MessageTable.insertAll(c, inserts, contents); // one round trip to a database server
            if (attachments) {
                for (Message copy : inboxCopies) {
                    AttachmentTable.copyAll(c, draftId, copy.id().value());
                }
            }
            if (!external.isEmpty()) {
                // Saved to Sent Items, the message is stored once: the submission reads it from there.
                String submission = Outbox.enqueue(c, tenantId, ownerId, sent.id().value(), saveToSentItems ? null : sentJson,
                        external, sent.sentDateTime().toEpochMilli());
                if (attachments) {
                    AttachmentTable.copyAll(c, draftId, submission);
                }
            }
            if (!saveToSentItems && attachments) {
                AttachmentTable.deleteAll(c, draftId); // the copies keep the content they share
            }
            return !external.isEmpty();
        }
    }

    /** Checks the send as Exchange does before it accepts it, and works out what it writes. */
    private static Submission plan(Tenant tenant, User owner, Message draft, boolean hasAttachments, Instant now) {
        Map<String, Recipient> recipients = validRecipients(draft);
        Recipient self = new Recipient(owner.displayName(), owner.mail());
        checkSendAs(draft.from(), owner);
        checkSendAs(draft.sender(), owner);

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
        b.hasAttachments = hasAttachments;
        Message sent = b.build();

        List<Message> copies = new ArrayList<>();
        List<String> copiesJson = new ArrayList<>();
        List<String> external = new ArrayList<>();
        for (var e : recipients.entrySet()) {
            Optional<User> local = tenant.userByAddress(e.getKey());
            if (local.isPresent()) {
                Message copy = inboxCopy(sent, local.get(), now);
                copies.add(copy);
                copiesJson.add(MessageTable.content(copy));
            } else {
                external.add(e.getValue().address());
            }
        }
        // One serialisation of the sent message serves its Sent Items row and its outbox submission.
        return new Submission(tenant.id(), owner.id(), draft.id().value(), sent, MessageTable.content(sent),
                List.copyOf(copies), List.copyOf(copiesJson), List.copyOf(external));
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
            if (r == null || r.address() == null || !isAddress(r.address())) {
                String shown = r == null ? "" : r.address() != null ? r.address() : String.valueOf(r.name());
                throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., Recipient \"" + shown
                        + "\" isn't resolved. All recipients must be resolved before a message can be submitted.");
            }
            unique.putIfAbsent(r.address().toLowerCase(Locale.ROOT), r);
        }
        return unique;
    }

    /** {@code local@domain}: a local part without white space or specials, a domain of letter-digit-hyphen labels. */
    static boolean isAddress(String address) {
        int at = address.indexOf('@');
        if (at <= 0) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            if (NOT_IN_LOCAL_PART.indexOf(address.charAt(i)) >= 0) {
                return false;
            }
        }
        int label = at + 1;
        for (int i = label; i <= address.length(); i++) {
            char ch = i < address.length() ? address.charAt(i) : '.';
            if (ch == '.') {
                if (i == label || address.charAt(label) == '-' || address.charAt(i - 1) == '-') {
                    return false;
                }
                label = i + 1;
            } else if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Graft grants no send-as or send-on-behalf rights: a message can only be sent as its mailbox's owner. */
    private static void checkSendAs(Recipient claimed, User owner) {
        if (claimed != null && claimed.address() != null && !claimed.address().equalsIgnoreCase(owner.mail())) {
            throw new GraphError(403, "ErrorSendAsDenied", "The user account which was used to submit this request does not have "
                    + "the right to send mail on behalf of the specified sending account. Cannot submit message.");
        }
    }
}
