package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.Exchange;
import graft.http.GraphError;
import graft.identity.Caller;
import graft.identity.Permission;
import graft.identity.User;
import graft.odata.QueryOptions;

import java.util.List;

/** {@code .../messages} and {@code .../messages/{id}} with the message's actions, in every path form. */
final class MessageRoutes {
    private final Messages messages;
    private final Sending sending;
    private final Replies replies;
    private final Moves moves;
    private final AttachmentRoutes attachments;

    MessageRoutes(Messages messages, Sending sending, Replies replies, Moves moves, AttachmentRoutes attachments) {
        this.messages = messages;
        this.sending = sending;
        this.replies = replies;
        this.moves = moves;
        this.attachments = attachments;
    }

    /**
     * @param folder the folder in the path, or null for the mailbox-wide {@code /messages}
     * @param path the collection's path for {@code @odata.context}
     */
    void handle(Exchange ex, Caller caller, User owner, FolderId folder, String path, List<Step> rest, QueryOptions q) {
        Step head = rest.getFirst();
        BodyPreference pref = BodyPreference.of(ex);
        if (head.key() == null) {
            Step.end(rest, 1);
            switch (ex.method()) {
                case "GET" -> {
                    Permission.MAIL_READ.require(caller);
                    MailResponses.page(ex, owner, path, messages.list(owner, folder, q),
                            MailResponses.readableBy(caller, MailResponses.selection(q)), q, pref);
                }
                case "POST" -> {
                    Permission.MAIL_WRITE.require(caller);
                    Message created = RequestBodies.isMime(ex)
                            ? messages.create(caller.tenant(), owner, folder, MimeInput.parse(RequestBodies.mimeBody(ex), Messages.names(caller.tenant())))
                            : messages.create(caller.tenant(), owner, folder, RequestBodies.jsonBody(ex, false));
                    MailResponses.message(ex, 201, owner, created, MessageJson.DEFAULT_PROPERTIES, "", pref);
                }
                default -> throw GraphError.methodNotAllowed();
            }
            return;
        }
        MessageId id = MessageId.parse(head.key());
        if (rest.size() == 1) {
            switch (ex.method()) {
                case "GET" -> {
                    Permission.MAIL_READ.require(caller);
                    Message m = messages.get(owner, id);
                    requireInFolder(m, folder);
                    MailResponses.message(ex, 200, owner, m, MailResponses.readableBy(caller, MailResponses.selection(q)),
                            MailResponses.selectSuffix(q), pref);
                }
                case "PATCH" -> {
                    Permission.MAIL_WRITE.require(caller);
                    requireInFolder(messages.get(owner, id), folder);
                    Message m = messages.update(caller.tenant(), owner, id, RequestBodies.jsonBody(ex, false), ex.header("If-Match"));
                    MailResponses.message(ex, 200, owner, m, MessageJson.DEFAULT_PROPERTIES, "", pref);
                }
                case "DELETE" -> {
                    Permission.MAIL_WRITE.require(caller);
                    requireInFolder(messages.get(owner, id), folder);
                    messages.delete(owner, id, ex.header("If-Match"));
                    ex.sendEmpty(204);
                }
                default -> throw GraphError.methodNotAllowed();
            }
            return;
        }
        Step action = rest.get(1);
        if (action.name().equals("attachments")) {
            requireInFolder(messages.get(owner, id), folder);
            attachments.handle(ex, caller, owner, id, rest.subList(1, rest.size()));
            return;
        }
        Step.end(rest, 2);
        switch (action.name()) {
            case "send" -> {
                RequestBodies.method(ex, "POST");
                RequestBodies.requireLength(ex);
                Permission.MAIL_SEND.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                sending.sendDraft(caller, owner, id);
                ex.sendEmpty(202);
            }
            case "createreply", "createreplyall", "createforward" -> {
                RequestBodies.method(ex, "POST");
                Permission.MAIL_WRITE.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                Message draft = replies.createDraft(caller, owner, id, replyKind(action.name()), RequestBodies.jsonBody(ex, false));
                MailResponses.message(ex, 201, owner, draft, MessageJson.DEFAULT_PROPERTIES, "", pref);
            }
            case "reply", "replyall", "forward" -> {
                RequestBodies.method(ex, "POST");
                Permission.MAIL_SEND.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                replies.send(caller, owner, id, replyKind(action.name()), RequestBodies.jsonBody(ex, false));
                ex.sendEmpty(202);
            }
            case "$value" -> {
                if (!ex.method().equals("GET")) {
                    throw new GraphError(501, "NotImplemented", "Only GET of '$value' (the message as MIME) is implemented by this server.");
                }
                Permission.MAIL_READ_CONTENT.require(caller);
                Message m = messages.get(owner, id);
                requireInFolder(m, folder);
                // contract §1.2: the RFC 5322 message, served as text/plain
                ex.stream(200, "text/plain", messages.mime(m)::writeTo);
            }
            case "move", "copy" -> {
                RequestBodies.method(ex, "POST");
                Permission.MAIL_WRITE.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                JsonNode body = RequestBodies.jsonBody(ex, true);
                Message result = action.name().equals("move") ? moves.move(owner, id, body) : moves.copy(owner, id, body);
                MailResponses.message(ex, 201, owner, result, MessageJson.DEFAULT_PROPERTIES, "", pref);
            }
            case "permanentdelete" -> {
                RequestBodies.method(ex, "POST");
                RequestBodies.requireLength(ex);
                Permission.MAIL_WRITE.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                moves.permanentDelete(owner, id);
                ex.sendEmpty(204);
            }
            case "extensions" ->
                    throw new GraphError(501, "NotImplemented", "'" + action.written() + "' is not implemented by this server yet.");
            default -> throw GraphError.segmentNotFound(action.written());
        }
    }

    private static Replies.Kind replyKind(String action) {
        return switch (action.replace("create", "")) {
            case "reply" -> Replies.Kind.REPLY;
            case "replyall" -> Replies.Kind.REPLY_ALL;
            default -> Replies.Kind.FORWARD;
        };
    }

    private static void requireInFolder(Message m, FolderId folder) {
        if (folder != null && !m.folderId().equals(folder)) {
            throw GraphError.itemNotFound();
        }
    }
}
