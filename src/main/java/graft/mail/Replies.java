package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.identity.Caller;
import graft.identity.User;
import graft.store.Database;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replies and forwards (contract §1.7, §1.8): the create* operations leave a draft in Drafts, the direct ones send
 * it at once. Subject prefix, recipients, quoted original and threading headers are derived as Outlook does.
 */
public final class Replies {
    public enum Kind {
        REPLY("RE: ", "createReply"), REPLY_ALL("RE: ", "createReplyAll"), FORWARD("FW: ", "createForward");

        private final String prefix;
        private final String operation;

        Kind(String prefix, String operation) {
            this.prefix = prefix;
            this.operation = operation;
        }
    }

    private final Database db;
    private final Messages messages;
    private final Sending sending;

    public Replies(Database db, Messages messages, Sending sending) {
        this.db = db;
        this.messages = messages;
        this.sending = sending;
    }

    public Message createDraft(Caller caller, User owner, MessageId originalId, Kind kind, JsonNode body) {
        Message draft = build(caller, owner, originalId, kind, body, kind.operation);
        db.write(c -> {
            MessageTable.insert(c, draft);
            carryAttachments(c, kind, originalId, draft);
            return null;
        });
        return draft;
    }

    public void send(Caller caller, User owner, MessageId originalId, Kind kind, JsonNode body) {
        String operation = Character.toLowerCase(kind.operation.charAt(6)) + kind.operation.substring(7);
        Message message = build(caller, owner, originalId, kind, body, operation);
        sending.sendNew(caller, owner, message, true, c -> carryAttachments(c, kind, originalId, message));
    }

    /** A forward carries the original's attachments; a reply does not, as in Outlook. @return whether the draft may have attachments now */
    private static boolean carryAttachments(java.sql.Connection c, Kind kind, MessageId originalId, Message draft) throws java.sql.SQLException {
        if (kind == Kind.FORWARD) {
            AttachmentTable.copyAll(c, originalId.value(), draft.id().value());
            return true;
        }
        return false;
    }

    private Message build(Caller caller, User owner, MessageId originalId, Kind kind, JsonNode body, String operation) {
        ReplyRequest req = ReplyRequest.parse(body, kind == Kind.FORWARD, operation);
        Message original = messages.get(owner, originalId);
        Message.Builder b = messages.newMessage(owner, FolderId.of(owner.id(), WellKnownFolder.DRAFTS), caller.tenant());
        b.subject = kind.prefix + withoutPrefix(original.subject());
        b.conversationId = original.conversationId();
        b.conversationIndex = childIndex(original.conversationIndex());
        b.references = (original.references() == null ? "" : original.references() + " ") + original.internetMessageId();
        if (kind != Kind.FORWARD) {
            b.inReplyTo = original.internetMessageId();
        }
        b.sender = new Recipient(owner.displayName(), owner.mail());
        switch (kind) {
            case REPLY -> b.toRecipients = replyTarget(original);
            case REPLY_ALL -> {
                b.toRecipients = withoutOwner(concat(replyTarget(original), original.toRecipients()), owner);
                b.ccRecipients = withoutOwner(original.ccRecipients(), owner);
            }
            case FORWARD -> {
                if (req.toRecipients() != null) {
                    MessageInput.parse(objectWith("toRecipients", req.toRecipients()), true, Messages.names(caller.tenant())).applyTo(b);
                }
            }
        }
        String comment = req.comment();
        if (req.message() != null) {
            MessageInput input = MessageInput.parse(req.message(), true, Messages.names(caller.tenant()));
            input.applyTo(b);
            if (input.properties().contains("body")) {
                comment = b.body.html() ? BodyText.htmlToText(b.body.content()).strip() : b.body.content();
            }
        }
        b.body = new ItemBody(true, QuotedOriginal.html(comment, original));
        b.hasAttachments = kind == Kind.FORWARD && original.hasAttachments();
        return b.build();
    }

    private static JsonNode objectWith(String name, JsonNode value) {
        var node = graft.http.Json.MAPPER.createObjectNode();
        node.set(name, value);
        return node;
    }

    /** "RE: RE: x" is never written: an existing RE:/FW:/Fwd: prefix is replaced, not repeated. */
    static String withoutPrefix(String subject) {
        String s = subject == null ? "" : subject.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        for (String p : List.of("re:", "fw:", "fwd:", "aw:", "wg:")) {
            if (lower.startsWith(p)) {
                return s.substring(p.length()).strip();
            }
        }
        return s;
    }

    /** RFC 5322 §3.6.4: a reply goes to Reply-To when the original has one, else to its author. */
    private static List<Recipient> replyTarget(Message original) {
        if (!original.replyTo().isEmpty()) {
            return original.replyTo();
        }
        Recipient author = original.from() != null ? original.from() : original.sender();
        return author == null ? List.of() : List.of(author);
    }

    private static List<Recipient> concat(List<Recipient> a, List<Recipient> b) {
        List<Recipient> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Recipient> withoutOwner(List<Recipient> recipients, User owner) {
        Set<String> seen = new HashSet<>();
        List<Recipient> out = new ArrayList<>();
        for (Recipient r : recipients) {
            String address = r.address() == null ? "" : r.address().toLowerCase(Locale.ROOT);
            if (!address.equalsIgnoreCase(owner.mail()) && seen.add(address)) {
                out.add(r);
            }
        }
        return out;
    }

    /** A child thread-index: the parent's bytes plus a five-byte block (MS-OXOMSG 2.2.1.3). */
    private static String childIndex(String parent) {
        try {
            byte[] p = Base64.getDecoder().decode(parent);
            byte[] child = new byte[p.length + 5];
            System.arraycopy(p, 0, child, 0, p.length);
            byte[] block = new byte[5];
            ThreadLocalRandom.current().nextBytes(block);
            System.arraycopy(block, 0, child, p.length, 5);
            return Base64.getEncoder().encodeToString(child);
        } catch (IllegalArgumentException e) {
            return parent;
        }
    }
}
