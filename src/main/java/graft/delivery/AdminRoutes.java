package graft.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import graft.config.AdminConfig;
import graft.http.Exchange;
import graft.http.GraphError;
import graft.http.Json;
import graft.http.Routes;
import graft.mail.MessageJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's view of delivery, outside the Graph namespace: {@code GET /admin/trace}, {@code GET /admin/queue},
 * {@code POST /admin/queue/{id}/retry} and {@code GET /metrics} (Prometheus text). All need
 * {@code Authorization: Bearer <admin.token>}; without an admin token in the configuration they do not exist.
 */
public final class AdminRoutes implements Routes {
    private static final Pattern RETRY = Pattern.compile("/admin/queue/(\\d{1,18})/retry");
    private static final Set<String> STATES = Set.of(Outbox.QUEUED, Outbox.DEFERRED, Outbox.DELIVERED, Outbox.BOUNCED, Outbox.CAPTURED);

    private final Delivery delivery;
    private final Optional<byte[]> token;
    private final Clock clock;

    public AdminRoutes(Delivery delivery, AdminConfig admin, Clock clock) {
        this.delivery = delivery;
        this.token = admin.token().map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    @Override
    public boolean handle(Exchange ex) throws Exception {
        String path = ex.rawPath();
        if (!path.equals("/metrics") && !path.equals("/admin") && !path.startsWith("/admin/")) {
            return false;
        }
        if (token.isEmpty()) {
            return false; // disabled: the paths do not exist
        }
        authorize(ex);
        Matcher retry = RETRY.matcher(path);
        switch (path) {
            case "/metrics" -> {
                requireMethod(ex, "GET");
                ex.send(200, "text/plain; version=0.0.4; charset=utf-8", Metrics.text(delivery, clock.millis()).getBytes(StandardCharsets.UTF_8));
            }
            case "/admin/trace" -> {
                requireMethod(ex, "GET");
                list(ex, false);
            }
            case "/admin/queue" -> {
                requireMethod(ex, "GET");
                list(ex, true);
            }
            default -> {
                if (!retry.matches()) {
                    throw new GraphError(404, "NotFound", "The requested path '" + path + "' was not found.");
                }
                requireMethod(ex, "POST");
                long id = Long.parseLong(retry.group(1));
                boolean requeued = delivery.database().write(c -> Outbox.requeue(c, id, clock.millis()));
                if (!requeued) {
                    throw new GraphError(404, "ErrorItemNotFound", "No queued or deferred outbox entry " + id + ".");
                }
                delivery.wake();
                ex.send(200, "application/json", Json.bytes(g -> {
                    g.writeStartObject();
                    g.writeNumberField("id", id);
                    g.writeStringField("state", Outbox.QUEUED);
                    g.writeEndObject();
                }));
            }
        }
        return true;
    }

    private void authorize(Exchange ex) {
        String h = ex.header("Authorization");
        byte[] given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token.get())) { // constant time
            throw new GraphError(401, "InvalidAuthenticationToken", "The admin API needs Authorization: Bearer <admin.token>.",
                    Map.of("WWW-Authenticate", "Bearer realm=\"graft-admin\""));
        }
    }

    private static void requireMethod(Exchange ex, String method) {
        if (!ex.method().equals(method)) {
            throw GraphError.methodNotAllowed();
        }
    }

    private void list(Exchange ex, boolean pendingOnly) {
        String recipient = null;
        String state = null;
        String messageId = null;
        int top = Trace.DEFAULT_TOP;
        for (Map.Entry<String, String> p : ex.query()) {
            switch (p.getKey()) {
                case "recipient" -> recipient = p.getValue();
                case "messageId" -> messageId = p.getValue();
                case "state" -> {
                    if (!STATES.contains(p.getValue())) {
                        throw GraphError.badRequest("state must be one of " + STATES + ".");
                    }
                    state = p.getValue();
                }
                case "top" -> {
                    try {
                        top = Integer.parseInt(p.getValue());
                    } catch (NumberFormatException e) {
                        top = -1;
                    }
                    if (top < 1 || top > Trace.MAX_TOP) {
                        throw GraphError.badRequest("top must be between 1 and " + Trace.MAX_TOP + ".");
                    }
                }
                default -> throw GraphError.badRequest("Unknown query parameter '" + p.getKey() + "'.");
            }
        }
        Trace.Query q = new Trace.Query(recipient, state, messageId, pendingOnly, top);
        List<Trace.Row> rows = delivery.database().read(c -> Trace.list(c, q));
        ex.send(200, "application/json", Json.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("value");
            for (Trace.Row r : rows) {
                write(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void write(JsonGenerator g, Trace.Row r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", r.id());
        g.writeStringField("recipient", r.recipient());
        g.writeStringField("state", r.state());
        g.writeNumberField("attempts", r.attempts());
        g.writeStringField("lastReply", r.lastReply());
        g.writeStringField("queuedDateTime", time(r.createdAt()));
        g.writeStringField("updatedDateTime", time(r.updatedAt()));
        g.writeStringField("lastAttemptDateTime", time(r.lastAttemptAt()));
        g.writeStringField("nextAttemptDateTime", time(r.nextAttemptAt()));
        g.writeStringField("completedDateTime", time(r.doneAt()));
        g.writeStringField("messageId", r.messageId());
        g.writeStringField("internetMessageId", r.internetMessageId());
        g.writeStringField("sender", r.sender());
        g.writeStringField("subject", r.subject());
        g.writeEndObject();
    }

    private static String time(Long millis) {
        return millis == null ? null : MessageJson.dateTime(Instant.ofEpochMilli(millis));
    }
}
