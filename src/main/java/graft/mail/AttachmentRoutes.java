package graft.mail;

import graft.http.Exchange;
import graft.http.GraphError;
import graft.identity.Caller;
import graft.identity.Permission;
import graft.identity.User;

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
                    Permission.MAIL_READ_CONTENT.require(caller);
                    MailResponses.attachments(ex, owner, id, attachments.list(owner, id), attachments);
                }
                case "POST" -> {
                    Permission.MAIL_WRITE.require(caller);
                    Attachment added = attachments.add(caller.tenant(), owner, id, RequestBodies.jsonBody(ex, true));
                    MailResponses.attachment(ex, 201, owner, id, added, attachments);
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
            Permission.MAIL_READ_CONTENT.require(caller);
            Attachment a = attachments.get(owner, id, attachmentId);
            if (a.kind() == Attachment.Kind.ITEM) {
                ex.stream(200, "text/plain", attachments.itemMime(a)::writeTo);
            } else {
                ex.stream(200, a.contentType(), out -> {
                    try (var in = attachments.content(a)) {
                        in.transferTo(out);
                    }
                });
            }
            return;
        }
        Step.end(rest, 1);
        switch (ex.method()) {
            case "GET" -> {
                Permission.MAIL_READ_CONTENT.require(caller);
                MailResponses.attachment(ex, 200, owner, id, attachments.get(owner, id, attachmentId), attachments);
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
