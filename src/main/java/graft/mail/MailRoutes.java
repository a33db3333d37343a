package graft.mail;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import graft.http.Exchange;
import graft.http.GraphError;
import graft.http.Json;
import graft.http.ODataPath;
import graft.http.ODataPath.Segment;
import graft.http.Routes;
import graft.identity.Caller;
import graft.identity.Permission;
import graft.identity.TokenVerifier;
import graft.identity.User;
import graft.odata.ODataQueryException;
import graft.odata.QueryOptions;
import graft.odata.QueryOptionsParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Graph v1.0 mail surface: {@code /me/...} and {@code /users/{id|upn}/...} with messages, mailFolders,
 * send and sendMail. Parses the resource path, authenticates, authorises and dispatches.
 */
public final class MailRoutes implements Routes {
    private static final String PREFIX = "/v1.0/";
    /** Segments that name a collection: a plain segment after one of them is its key. */
    private static final Set<String> COLLECTIONS = Set.of("users", "messages", "mailfolders", "childfolders", "attachments");

    private final TokenVerifier verifier;
    private final Messages messages;
    private final Sending sending;
    private final Folders folders;
    private final Replies replies;
    private final Attachments attachments;
    private final UploadSessions uploads;

    public MailRoutes(TokenVerifier verifier, Messages messages, Sending sending, Folders folders, Replies replies,
                      Attachments attachments, UploadSessions uploads) {
        this.uploads = uploads;
        this.verifier = verifier;
        this.messages = messages;
        this.sending = sending;
        this.folders = folders;
        this.replies = replies;
        this.attachments = attachments;
    }

    /** A path segment with its key attached, and action names stripped of their namespace. */
    private record Step(String name, String written, String key) {
    }

    @Override
    public boolean handle(Exchange ex) {
        String path = ex.rawPath();
        if (!path.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        ex.setHeader("OData-Version", "4.0");
        ex.setHeader("Cache-Control", "private");
        List<Step> steps = steps(ODataPath.parse(path.substring(PREFIX.length())));
        Caller caller = verifier.verify(ex.header("Authorization"), ex.baseUrl());
        if (steps.isEmpty()) {
            throw GraphError.badRequest("Invalid request.");
        }
        Step first = steps.getFirst();
        String userKey = switch (first.name) {
            case "me" -> {
                if (first.key != null) {
                    throw GraphError.segmentNotFound(first.written);
                }
                yield null;
            }
            case "users" -> {
                if (first.key == null) {
                    throw new GraphError(501, "NotImplemented", "Listing users is not implemented; address a user as /users/{id | userPrincipalName}.");
                }
                yield first.key;
            }
            default -> throw GraphError.segmentNotFound(first.written);
        };
        QueryOptions query = parseQuery(ex);
        preferences(ex);
        User owner = MailboxAccess.resolve(caller, userKey);
        dispatch(ex, caller, owner, steps.subList(1, steps.size()), query);
        return true;
    }

    private static List<Step> steps(List<Segment> segments) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            String name = s.name().startsWith("microsoft.graph.") ? s.name().substring("microsoft.graph.".length()) : s.name();
            String key = s.key();
            if (key == null && COLLECTIONS.contains(name) && i + 1 < segments.size()) {
                key = segments.get(++i).written();
            }
            out.add(new Step(name, s.written(), key));
        }
        return out;
    }

    private static QueryOptions parseQuery(Exchange ex) {
        try {
            return QueryOptionsParser.parse(ex.query());
        } catch (ODataQueryException e) {
            throw new GraphError(400, e.code(), e.getMessage());
        }
    }

    private static void preferences(Exchange ex) {
        List<String> applied = new ArrayList<>();
        for (String prefer : ex.headers("Prefer")) {
            for (String part : prefer.split(",")) {
                String p = part.trim();
                if (p.replace(" ", "").equalsIgnoreCase("IdType=\"ImmutableId\"")) {
                    applied.add("IdType=\"ImmutableId\""); // Graft ids never change: every id is immutable
                }
            }
        }
        String body = BodyPreference.of(ex).applied();
        if (body != null) {
            applied.add(body);
        }
        if (!applied.isEmpty()) {
            ex.setHeader("Preference-Applied", String.join(", ", applied));
        }
    }

    private void dispatch(Exchange ex, Caller caller, User owner, List<Step> rest, QueryOptions q) {
        if (rest.isEmpty()) {
            method(ex, "GET");
            Permission.USER_READ.require(caller);
            MailResponses.user(ex, owner);
            return;
        }
        Step head = rest.getFirst();
        switch (head.name) {
            case "sendmail" -> {
                end(rest, 1);
                method(ex, "POST");
                Permission.MAIL_SEND.require(caller);
                SendMailRequest req = SendMailRequest.parse(jsonBody(ex, true));
                sending.sendMail(caller, owner, req.message(), req.saveToSentItems());
                ex.sendEmpty(202);
            }
            case "messages" -> messages(ex, caller, owner, null, "messages", rest, q);
            case "mailfolders" -> mailFolders(ex, caller, owner, rest, q);
            default -> throw GraphError.segmentNotFound(head.written);
        }
    }

    private void mailFolders(Exchange ex, Caller caller, User owner, List<Step> rest, QueryOptions q) {
        Step head = rest.getFirst();
        if (head.key == null) {
            end(rest, 1);
            method(ex, "GET");
            Permission.MAIL_READ.require(caller);
            MailResponses.folders(ex, owner, "mailFolders", folders.children(owner, null));
            return;
        }
        FolderId folder = Folders.resolve(owner, head.key);
        if (rest.size() == 1) {
            method(ex, "GET");
            Permission.MAIL_READ.require(caller);
            MailResponses.folder(ex, owner, folders.get(owner, folder));
            return;
        }
        Step next = rest.get(1);
        String base = "mailFolders('" + head.key + "')/";
        switch (next.name) {
            case "messages" -> messages(ex, caller, owner, folder, base + "messages", rest.subList(1, rest.size()), q);
            case "childfolders" -> {
                if (next.key != null) {
                    end(rest, 2);
                    method(ex, "GET");
                    Permission.MAIL_READ.require(caller);
                    MailResponses.folder(ex, owner, folders.get(owner, Folders.resolve(owner, next.key)));
                    return;
                }
                end(rest, 2);
                method(ex, "GET");
                Permission.MAIL_READ.require(caller);
                MailResponses.folders(ex, owner, base + "childFolders", folders.children(owner, folder));
            }
            default -> throw GraphError.segmentNotFound(next.written);
        }
    }

    private void messages(Exchange ex, Caller caller, User owner, FolderId folder, String path, List<Step> rest, QueryOptions q) {
        Step head = rest.getFirst();
        BodyPreference pref = BodyPreference.of(ex);
        if (head.key == null) {
            end(rest, 1);
            switch (ex.method()) {
                case "GET" -> {
                    Permission.MAIL_READ.require(caller);
                    MailResponses.page(ex, owner, path, messages.list(owner, folder, q), q, pref);
                }
                case "POST" -> {
                    Permission.MAIL_WRITE.require(caller);
                    Message created = messages.create(caller.tenant(), owner, folder, jsonBody(ex, false));
                    MailResponses.message(ex, 201, owner, created, MessageJson.DEFAULT_PROPERTIES, "", pref);
                }
                default -> throw GraphError.methodNotAllowed();
            }
            return;
        }
        MessageId id = MessageId.parse(head.key);
        if (rest.size() == 1) {
            switch (ex.method()) {
                case "GET" -> {
                    Permission.MAIL_READ.require(caller);
                    Message m = messages.get(owner, id);
                    requireInFolder(m, folder);
                    MailResponses.message(ex, 200, owner, m, MailResponses.selection(q), MailResponses.selectSuffix(q), pref);
                }
                case "PATCH" -> {
                    Permission.MAIL_WRITE.require(caller);
                    requireInFolder(messages.get(owner, id), folder);
                    Message m = messages.update(caller.tenant(), owner, id, jsonBody(ex, false), ex.header("If-Match"));
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
        if (action.name.equals("attachments")) {
            requireInFolder(messages.get(owner, id), folder);
            attachments(ex, caller, owner, id, rest.subList(1, rest.size()));
            return;
        }
        end(rest, 2);
        switch (action.name) {
            case "send" -> {
                method(ex, "POST");
                requireLength(ex);
                Permission.MAIL_SEND.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                sending.sendDraft(caller, owner, id);
                ex.sendEmpty(202);
            }
            case "createreply", "createreplyall", "createforward" -> {
                method(ex, "POST");
                Permission.MAIL_WRITE.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                Message draft = replies.createDraft(caller, owner, id, replyKind(action.name), jsonBody(ex, false));
                MailResponses.message(ex, 201, owner, draft, MessageJson.DEFAULT_PROPERTIES, "", pref);
            }
            case "reply", "replyall", "forward" -> {
                method(ex, "POST");
                Permission.MAIL_SEND.require(caller);
                requireInFolder(messages.get(owner, id), folder);
                replies.send(caller, owner, id, replyKind(action.name), jsonBody(ex, false));
                ex.sendEmpty(202);
            }
            case "move", "copy", "$value", "extensions", "permanentdelete" ->
                    throw new GraphError(501, "NotImplemented", "'" + action.written + "' is not implemented by this server yet.");
            default -> throw GraphError.segmentNotFound(action.written);
        }
    }

    private void attachments(Exchange ex, Caller caller, User owner, MessageId id, List<Step> rest) {
        Step head = rest.getFirst();
        if (head.key == null) {
            end(rest, 1);
            switch (ex.method()) {
                case "GET" -> {
                    Permission.MAIL_READ.require(caller);
                    MailResponses.attachments(ex, owner, id, attachments.list(owner, id));
                }
                case "POST" -> {
                    Permission.MAIL_WRITE.require(caller);
                    Attachment added = attachments.add(caller.tenant(), owner, id, jsonBody(ex, true));
                    MailResponses.attachment(ex, 201, owner, id, attachments.get(owner, id, added.id()));
                }
                default -> throw GraphError.methodNotAllowed();
            }
            return;
        }
        String key = head.key.startsWith("microsoft.graph.") ? head.key.substring("microsoft.graph.".length()) : head.key;
        if (key.equalsIgnoreCase("createUploadSession")) {
            end(rest, 1);
            method(ex, "POST");
            Permission.MAIL_WRITE.require(caller);
            UploadSessions.Created created = uploads.create(owner, id, jsonBody(ex, true));
            MailResponses.uploadSession(ex, UploadRoutes.uploadUrl(ex, created.session(), created.secret()), created.session());
            return;
        }
        AttachmentId attachmentId = AttachmentId.parse(head.key);
        if (rest.size() == 2 && rest.get(1).name.equals("$value")) {
            method(ex, "GET");
            Permission.MAIL_READ.require(caller);
            Attachments.Loaded loaded = attachments.get(owner, id, attachmentId);
            if (loaded.content() == null) {
                ex.send(200, "application/json", loaded.attachment().item().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                ex.send(200, loaded.attachment().contentType(), loaded.content());
            }
            return;
        }
        end(rest, 1);
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

    private static void end(List<Step> rest, int size) {
        if (rest.size() > size) {
            throw GraphError.segmentNotFound(rest.get(size).written);
        }
    }

    private static void method(Exchange ex, String allowed) {
        if (!ex.method().equals(allowed)) {
            throw GraphError.methodNotAllowed();
        }
    }

    /** Graph's front door (IIS) refuses a POST or PATCH that says nothing of its length. */
    private static void requireLength(Exchange ex) {
        if (!ex.declaresLength()) {
            throw new GraphError(411, "LengthRequired", "The request must be chunked or have a content length.");
        }
    }

    /**
     * The JSON body of a POST or PATCH. Graph's front door wants a length (411 otherwise); an empty body is an
     * empty object where {@code emptyAllowed}.
     */
    private static JsonNode jsonBody(Exchange ex, boolean required) {
        requireLength(ex);
        byte[] body = ex.body();
        if (body.length == 0) {
            if (required) {
                throw GraphError.badRequest("Empty Payload. JSON content expected.");
            }
            return Json.MAPPER.createObjectNode();
        }
        String type = ex.contentType().toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.startsWith("application/json")) {
            throw new GraphError(415, "UnsupportedMediaType", type.startsWith("text/plain")
                    ? "MIME content (text/plain) is not supported by this server yet; send the message as application/json."
                    : "The content type '" + ex.contentType() + "' is not supported; use application/json.");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw GraphError.unableToDeserialize("the body: a JSON object was expected.");
            }
            return node;
        } catch (JacksonException e) {
            throw GraphError.unableToDeserialize("the body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw GraphError.unableToDeserialize("the body.");
        }
    }
}
