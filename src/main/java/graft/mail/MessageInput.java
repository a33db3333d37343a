package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A message as a client writes it (create, update, sendMail): each property checked and turned into a change.
 * Unknown properties, read-only ones and values of the wrong type get the errors Graph gives.
 */
public final class MessageInput {
    static final String TYPE = "Microsoft.OutlookServices.Message";
    private static final Set<String> READ_ONLY = Set.of("id", "changeKey", "createdDateTime", "lastModifiedDateTime",
            "bodyPreview", "conversationId", "conversationIndex", "hasAttachments", "isDraft", "parentFolderId",
            "receivedDateTime", "sentDateTime", "uniqueBody", "webLink");
    /** Documented as updatable only while the message is a draft; {@code from} is refused with "Message is not draft." */
    static final Set<String> DRAFT_ONLY = Set.of("body", "internetMessageId", "replyTo", "subject", "from");
    private static final Set<String> NOT_YET = Set.of("extensions", "singleValueExtendedProperties",
            "multiValueExtendedProperties", "mentions", "mentionsPreview", "uniqueBody");

    /** The properties given, in order, each with what it changes. */
    private final Map<String, Consumer<Message.Builder>> changes;
    private final List<AttachmentInput> attachments;

    private MessageInput(Map<String, Consumer<Message.Builder>> changes, List<AttachmentInput> attachments) {
        this.changes = changes;
        this.attachments = attachments;
    }

    /** A new message described otherwise than in JSON (MIME input): one change that sets what it holds. */
    static MessageInput of(String property, Consumer<Message.Builder> change, List<AttachmentInput> attachments) {
        return new MessageInput(Map.of(property, change), List.copyOf(attachments));
    }

    /** Attachments given inline with a new message (create draft, sendMail). */
    List<AttachmentInput> attachments() {
        return attachments;
    }

    public Set<String> properties() {
        return changes.keySet();
    }

    public void applyTo(Message.Builder b) {
        changes.values().forEach(c -> c.accept(b));
    }

    /**
     * @param creating true when the message is being created (then internetMessageHeaders may be set)
     * @param names fills a recipient's missing display name from the directory, else the address
     */
    public static MessageInput parse(JsonNode json, boolean creating, UnaryOperator<String> names) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return new MessageInput(Map.of(), List.of());
        }
        if (!json.isObject()) {
            throw GraphError.unableToDeserialize("the message: a JSON object was expected.");
        }
        Map<String, Consumer<Message.Builder>> out = new LinkedHashMap<>();
        List<AttachmentInput> attachments = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            var field = it.next();
            String name = field.getKey();
            if (name.startsWith("@") || name.contains("@odata.")) {
                continue; // annotations such as @odata.type are metadata, not properties
            }
            JsonNode v = field.getValue();
            if (name.equals("attachments")) {
                if (!creating) {
                    throw GraphError.invalidPropertySet("Set action is invalid for property.");
                }
                if (!v.isNull() && !v.isArray()) {
                    throw cannotConvert(v, "Collection(microsoft.graph.attachment)");
                }
                v.forEach(a -> attachments.add(AttachmentInput.parse(a, names)));
                boolean visible = attachments.stream().anyMatch(a -> !a.isInline());
                out.put(name, b -> b.hasAttachments = visible);
                continue;
            }
            out.put(name, change(name, v, creating, names));
        }
        return new MessageInput(out, attachments);
    }

    private static Consumer<Message.Builder> change(String name, JsonNode v, boolean creating, UnaryOperator<String> names) {
        if (READ_ONLY.contains(name)) {
            throw GraphError.invalidPropertySet("Set action is invalid for property.");
        }
        if (NOT_YET.contains(name)) {
            throw new GraphError(400, "ErrorInvalidRequest", "The property '" + name + "' is not supported by this server yet.");
        }
        return switch (name) {
            case "subject" -> {
                String s = text(name, v);
                yield b -> b.subject = s == null ? "" : s;
            }
            case "body" -> {
                ItemBody body = body(v);
                yield b -> b.body = body;
            }
            case "importance" -> {
                String s = enumValue(name, v, "importance", Set.of("low", "normal", "high"));
                yield b -> b.importance = s;
            }
            case "inferenceClassification" -> {
                String s = enumValue(name, v, "inferenceClassificationType", Set.of("focused", "other"));
                yield b -> b.inferenceClassification = s;
            }
            case "isRead" -> {
                boolean x = bool(name, v);
                yield b -> b.isRead = x;
            }
            case "isReadReceiptRequested" -> {
                boolean x = bool(name, v);
                yield b -> b.isReadReceiptRequested = x;
            }
            case "isDeliveryReceiptRequested" -> {
                Boolean x = v.isNull() ? null : bool(name, v);
                yield b -> b.isDeliveryReceiptRequested = x;
            }
            case "toRecipients" -> {
                List<Recipient> r = recipients(name, v, names);
                yield b -> b.toRecipients = r;
            }
            case "ccRecipients" -> {
                List<Recipient> r = recipients(name, v, names);
                yield b -> b.ccRecipients = r;
            }
            case "bccRecipients" -> {
                List<Recipient> r = recipients(name, v, names);
                yield b -> b.bccRecipients = r;
            }
            case "replyTo" -> {
                List<Recipient> r = recipients(name, v, names);
                yield b -> b.replyTo = r;
            }
            case "from" -> {
                Recipient r = recipient(name, v, names);
                yield b -> b.from = r;
            }
            case "sender" -> {
                Recipient r = recipient(name, v, names);
                yield b -> b.sender = r;
            }
            case "categories" -> {
                List<String> c = strings(name, v);
                yield b -> b.categories = c;
            }
            case "flag" -> {
                FollowupFlag f = flag(v);
                yield b -> b.flag = f;
            }
            case "internetMessageId" -> {
                String s = text(name, v);
                yield b -> {
                    if (s != null && !s.isBlank()) {
                        b.internetMessageId = s;
                    }
                };
            }
            case "internetMessageHeaders" -> {
                if (!creating) {
                    throw GraphError.invalidPropertySet("Set action is invalid for property.");
                }
                List<InternetMessageHeader> h = headers(v);
                yield b -> b.internetMessageHeaders = h;
            }
            default -> throw GraphError.unknownProperty(name, TYPE);
        };
    }

    private static String text(String name, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw cannotConvert(v, "Edm.String");
        }
        return "content".equals(name) ? v.asText() : HeaderSafe.clean(v.asText());
    }

    private static boolean bool(String name, JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        throw cannotConvert(v, "Edm.Boolean");
    }

    private static String enumValue(String name, JsonNode v, String type, Set<String> allowed) {
        String s = v.isTextual() ? v.asText().toLowerCase(Locale.ROOT) : null;
        if (s == null || !allowed.contains(s)) {
            throw GraphError.requestBodyRead("Cannot convert the literal '" + v.asText() + "' to the expected type 'microsoft.graph." + type + "'.");
        }
        return s;
    }

    private static ItemBody body(JsonNode v) {
        if (v.isNull()) {
            return ItemBody.EMPTY;
        }
        if (!v.isObject()) {
            throw cannotConvert(v, "microsoft.graph.itemBody");
        }
        boolean html = false;
        String content = "";
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            var f = it.next();
            switch (f.getKey()) {
                case "contentType" -> html = "html".equals(enumValue("contentType", f.getValue(), "bodyType", Set.of("text", "html")));
                case "content" -> content = f.getValue().isNull() ? "" : text("content", f.getValue());
                default -> {
                    if (!f.getKey().startsWith("@")) {
                        throw GraphError.unknownProperty(f.getKey(), "Microsoft.OutlookServices.ItemBody");
                    }
                }
            }
        }
        return new ItemBody(html, html ? BodyText.wrapHtml(content) : content);
    }

    static Recipient recipient(String name, JsonNode v, UnaryOperator<String> names) {
        if (v == null || v.isNull()) {
            return null;
        }
        JsonNode email = v.get("emailAddress");
        if (!v.isObject() || email == null || !email.isObject()) {
            throw cannotConvert(v, "microsoft.graph.recipient");
        }
        String address = email.hasNonNull("address") ? text(name, email.get("address")).strip() : null;
        String display = email.hasNonNull("name") ? text(name, email.get("name")) : null;
        if (display == null || display.isBlank()) {
            display = address == null ? null : names.apply(address);
        }
        return new Recipient(display, address);
    }

    private static List<Recipient> recipients(String name, JsonNode v, UnaryOperator<String> names) {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw cannotConvert(v, "Collection(microsoft.graph.recipient)");
        }
        List<Recipient> out = new ArrayList<>();
        v.forEach(r -> out.add(recipient(name, r, names)));
        return out;
    }

    private static List<String> strings(String name, JsonNode v) {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw cannotConvert(v, "Collection(Edm.String)");
        }
        List<String> out = new ArrayList<>();
        v.forEach(s -> out.add(text(name, s)));
        return out;
    }

    private static FollowupFlag flag(JsonNode v) {
        if (v.isNull()) {
            return FollowupFlag.NOT_FLAGGED;
        }
        if (!v.isObject()) {
            throw cannotConvert(v, "microsoft.graph.followupFlag");
        }
        String status = v.has("flagStatus") ? enumValue("flagStatus", v.get("flagStatus"), "followupFlagStatus",
                Set.of("notflagged", "complete", "flagged")) : "notflagged";
        status = switch (status) {
            case "notflagged" -> "notFlagged";
            default -> status;
        };
        return new FollowupFlag(status, dtz(v.get("startDateTime")), dtz(v.get("dueDateTime")), dtz(v.get("completedDateTime")));
    }

    private static FollowupFlag.DateTimeTimeZone dtz(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject() || !v.path("dateTime").isTextual()) {
            throw cannotConvert(v, "microsoft.graph.dateTimeTimeZone");
        }
        return new FollowupFlag.DateTimeTimeZone(v.get("dateTime").asText(), v.path("timeZone").asText("UTC"));
    }

    private static List<InternetMessageHeader> headers(JsonNode v) {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw cannotConvert(v, "Collection(microsoft.graph.internetMessageHeader)");
        }
        List<InternetMessageHeader> out = new ArrayList<>();
        for (JsonNode h : v) {
            String name = h.path("name").asText("");
            String value = h.path("value").asText("");
            if (!name.regionMatches(true, 0, "x-", 0, 2)) {
                throw new GraphError(400, "InvalidInternetMessageHeader",
                        "The internet message header name '" + name + "' should start with 'x-' or 'X-'.");
            }
            HeaderSafe.checkHeaderName(name);
            out.add(new InternetMessageHeader(name, HeaderSafe.clean(value)));
        }
        return out;
    }

    private static GraphError cannotConvert(JsonNode v, String type) {
        return GraphError.requestBodyRead("Cannot convert the literal '" + v + "' to the expected type '" + type + "'.");
    }
}
