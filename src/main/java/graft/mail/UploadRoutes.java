package graft.mail;

import graft.http.Exchange;
import graft.http.GraphError;
import graft.http.Json;
import graft.http.Routes;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-authenticated upload URLs of attachment upload sessions, shaped like Outlook's:
 * {@code /api/v2.0/Users('{id}')/Messages('{id}')/AttachmentSessions('{id}')?authtoken=…}. No bearer token here:
 * the authtoken in the URL is the credential.
 */
public final class UploadRoutes implements Routes {
    private static final Pattern PATH = Pattern.compile("/api/v2\\.0/Users\\('([^']+)'\\)/Messages\\('([^']+)'\\)/AttachmentSessions\\('([^']+)'\\)");
    private final UploadSessions sessions;

    public UploadRoutes(UploadSessions sessions) {
        this.sessions = sessions;
    }

    static String uploadUrl(Exchange ex, UploadSession s, String secret) {
        return ex.baseUrl() + "/api/v2.0/Users('" + s.mailboxId() + "')/Messages('" + s.messageId().value()
                + "')/AttachmentSessions('" + s.id() + "')?authtoken=" + secret;
    }

    @Override
    public boolean handle(Exchange ex) {
        Matcher m = PATH.matcher(ex.rawPath());
        if (!m.matches()) {
            return false;
        }
        String secret = ex.query().stream().filter(p -> p.getKey().equals("authtoken")).map(Map.Entry::getValue).findFirst().orElse(null);
        switch (ex.method()) {
            case "PUT" -> {
                byte[] chunk = ex.body();
                UploadSessions.Progress p = sessions.put(m.group(3), secret, ex.header("Content-Range"), chunk);
                switch (p) {
                    case UploadSessions.Progress.More more -> ex.send(200, "application/json", Json.bytes(g -> {
                        g.writeStartObject();
                        g.writeStringField("ExpirationDateTime", MessageJson.dateTime(more.expires()));
                        g.writeArrayFieldStart("nextExpectedRanges");
                        g.writeString(more.nextOffset() + "-");
                        g.writeEndArray();
                        g.writeEndObject();
                    }));
                    case UploadSessions.Progress.Done done -> {
                        ex.setHeader("Location", ex.baseUrl() + "/api/v2.0/Users('" + done.mailbox() + "')/Messages('"
                                + done.message().value() + "')/Attachments('" + done.attachment().value() + "')");
                        ex.sendEmpty(201);
                    }
                }
            }
            case "DELETE" -> {
                sessions.cancel(m.group(3), secret);
                ex.sendEmpty(204);
            }
            default -> throw GraphError.methodNotAllowed();
        }
        return true;
    }
}
