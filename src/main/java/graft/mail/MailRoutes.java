package graft.mail;

import graft.http.Exchange;
import graft.http.GraphError;
import graft.http.ODataPath;
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

/**
 * The Graph v1.0 mail surface: {@code /me/...} and {@code /users/{id|upn}/...} with messages, mailFolders,
 * send and sendMail. Parses the resource path, authenticates, authorises and dispatches.
 */
public final class MailRoutes implements Routes {
    private static final String PREFIX = "/v1.0/";

    private final TokenVerifier verifier;
    private final Sending sending;
    private final Folders folders;
    private final MessageRoutes messageRoutes;

    public MailRoutes(TokenVerifier verifier, Messages messages, Sending sending, Folders folders, Replies replies,
                      Attachments attachments, UploadSessions uploads, Moves moves) {
        this.verifier = verifier;
        this.sending = sending;
        this.folders = folders;
        this.messageRoutes = new MessageRoutes(messages, sending, replies, moves, new AttachmentRoutes(attachments, uploads));
    }

    @Override
    public boolean handle(Exchange ex) {
        String path = ex.rawPath();
        if (!path.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        ex.setHeader("OData-Version", "4.0");
        ex.setHeader("Cache-Control", "private");
        List<Step> steps = Step.of(ODataPath.parse(path.substring(PREFIX.length())));
        Caller caller = verifier.verify(ex.header("Authorization"), ex.baseUrl());
        if (steps.isEmpty()) {
            throw GraphError.badRequest("Invalid request.");
        }
        Step first = steps.getFirst();
        String userKey = switch (first.name()) {
            case "me" -> {
                if (first.key() != null) {
                    throw GraphError.segmentNotFound(first.written());
                }
                yield null;
            }
            case "users" -> {
                if (first.key() == null) {
                    throw new GraphError(501, "NotImplemented", "Listing users is not implemented; address a user as /users/{id | userPrincipalName}.");
                }
                yield first.key();
            }
            default -> throw GraphError.segmentNotFound(first.written());
        };
        QueryOptions query = parseQuery(ex);
        preferences(ex);
        User owner = MailboxAccess.resolve(caller, userKey, steps.size() == 1);
        dispatch(ex, caller, owner, steps.subList(1, steps.size()), query);
        return true;
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
            RequestBodies.method(ex, "GET");
            Permission.USER_READ.require(caller);
            MailResponses.user(ex, owner);
            return;
        }
        Step head = rest.getFirst();
        switch (head.name()) {
            case "sendmail" -> {
                Step.end(rest, 1);
                RequestBodies.method(ex, "POST");
                Permission.MAIL_SEND.require(caller);
                if (RequestBodies.isMime(ex)) {
                    sending.sendMail(caller, owner, MimeInput.parse(RequestBodies.mimeBody(ex), Messages.names(caller.tenant())), true);
                } else {
                    SendMailRequest req = SendMailRequest.parse(RequestBodies.jsonBody(ex, true));
                    sending.sendMail(caller, owner, req.message(), req.saveToSentItems());
                }
                ex.sendEmpty(202);
            }
            case "messages" -> messageRoutes.handle(ex, caller, owner, null, "messages", rest, q);
            case "mailfolders" -> mailFolders(ex, caller, owner, rest, q);
            default -> throw GraphError.segmentNotFound(head.written());
        }
    }

    private void mailFolders(Exchange ex, Caller caller, User owner, List<Step> rest, QueryOptions q) {
        Step head = rest.getFirst();
        if (head.key() == null) {
            Step.end(rest, 1);
            RequestBodies.method(ex, "GET");
            Permission.MAIL_READ.require(caller);
            MailResponses.folders(ex, owner, "mailFolders", folders.children(owner, null));
            return;
        }
        FolderId folder = Folders.resolve(owner, head.key());
        if (rest.size() == 1) {
            RequestBodies.method(ex, "GET");
            Permission.MAIL_READ.require(caller);
            MailResponses.folder(ex, owner, folders.get(owner, folder));
            return;
        }
        Step next = rest.get(1);
        String base = "mailFolders('" + head.key() + "')/";
        switch (next.name()) {
            case "messages" -> messageRoutes.handle(ex, caller, owner, folder, base + "messages", rest.subList(1, rest.size()), q);
            case "childfolders" -> {
                if (next.key() != null) {
                    Step.end(rest, 2);
                    RequestBodies.method(ex, "GET");
                    Permission.MAIL_READ.require(caller);
                    MailResponses.folder(ex, owner, folders.get(owner, Folders.resolve(owner, next.key())));
                    return;
                }
                Step.end(rest, 2);
                RequestBodies.method(ex, "GET");
                Permission.MAIL_READ.require(caller);
                MailResponses.folders(ex, owner, base + "childFolders", folders.children(owner, folder));
            }
            default -> throw GraphError.segmentNotFound(next.written());
        }
    }
}
