package graft.mail;

import graft.http.Exchange;
import graft.http.GraphError;
import graft.identity.Caller;
import graft.identity.Permission;
import graft.identity.User;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code .../messages/{id}/attachments[/{id}[/$value]]} and {@code .../attachments/createUploadSession}. */
final class AttachmentRoutes {
    private final Attachments attachments;
    private final UploadSessions uploads;

    AttachmentRoutes(Attachments attachments, UploadSessions uploads) {
        this.attachments = attachments;
        this.uploads = uploads;
    }

    void handle(Exchange ex, Caller caller, User owner, MessageId id, List<Step> rest) {
        Step head = rest.getFirst();
        if (head.key() == null) {
            Step.end(rest, 1);
            switch (ex.method()) {
                case "GET" -> {
                    Permission.MAIL_READ.require(caller);
                    MailResponses.attachments(ex, owner, id, attachments.list(owner, id));
                }
                case "POST" -> {
                    Permission.MAIL_WRITE.require(caller);
                    Attachment added = attachments.add(caller.tenant(), owner, id, RequestBodies.jsonBody(ex, true));
                    MailResponses.attachment(ex, 201, owner, id, attachments.get(owner, id, added.id()));
                }
                default -> throw GraphError.methodNotAllowed();
            }
            return;
        }
        String key = head.key().startsWith("microsoft.graph.") ? head.key().substring("microsoft.graph.".length()) : head.key();
        if (key.equalsIgnoreCase("createUploadSession")) {
            Step.end(rest, 1);
            RequestBodies.method(ex, "POST");
            Permission.MAIL_WRITE.require(caller);
            UploadSessions.Created created = uploads.create(owner, id, RequestBodies.jsonBody(ex, true));
            MailResponses.uploadSession(ex, UploadRoutes.uploadUrl(ex, created.session(), created.secret()), created.session());
            return;
        }
        AttachmentId attachmentId = AttachmentId.parse(head.key());
        if (rest.size() == 2 && rest.get(1).name().equals("$value")) {
            RequestBodies.method(ex, "GET");
            Permission.MAIL_READ.require(caller);
            Attachments.Loaded loaded = attachments.get(owner, id, attachmentId);
            if (loaded.content() == null) {
                ex.send(200, "application/json", loaded.attachment().item().getBytes(StandardCharsets.UTF_8));
            } else {
                ex.send(200, loaded.attachment().contentType(), loaded.content());
            }
            return;
        }
        Step.end(rest, 1);
        switch (ex.method()) {
            case "GET" -> {
                Permission.MAIL_READ.require(caller);
                MailResponses.attachment(ex, 200, owner, id, attachments.get(owner, id, attachmentId));
            }
            case "DELETE" -> {
                Permission.MAIL_WRITE.require(caller);
                attachments.delete(owner, id, attachmentId);
                ex.sendEmpty(204);
            }
            default -> throw GraphError.methodNotAllowed();
        }
    }
}
