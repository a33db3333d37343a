package graft.mail;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Graph's JSON form of a message. The same writer serves API responses and the stored copy, so what is stored is
 * exactly what Graph clients read back.
 */
public final class MessageJson {
    /** The properties a GET returns without $select, in the order Graph writes them. */
    public static final List<String> DEFAULT_PROPERTIES = List.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey",
            "categories", "receivedDateTime", "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview",
            "importance", "parentFolderId", "conversationId", "conversationIndex", "isDeliveryReceiptRequested",
            "isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender", "from",
            "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag");
    /** Returned only when selected. */
    public static final List<String> SELECT_ONLY = List.of("uniqueBody", "internetMessageHeaders");
    /** Property names by their lower-case form: $select and $filter match names case-insensitively. */
    public static final Map<String, String> CANONICAL = canonical();
    private static final List<String> STORED = List.of("createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
            "receivedDateTime", "sentDateTime", "hasAttachments", "internetMessageId", "subject", "importance", "conversationId",
            "conversationIndex", "isDeliveryReceiptRequested", "isReadReceiptRequested", "isRead", "isDraft",
            "inferenceClassification", "body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients", "replyTo",
            "flag", "internetMessageHeaders");

    private MessageJson() {
    }

    private static Map<String, String> canonical() {
        Map<String, String> m = new TreeMap<>();
        DEFAULT_PROPERTIES.forEach(p -> m.put(p.toLowerCase(Locale.ROOT), p));
        SELECT_ONLY.forEach(p -> m.put(p.toLowerCase(Locale.ROOT), p));
        return Map.copyOf(m);
    }

    /** Graph writes date-times in UTC with a Z and whole seconds. */
    public static String dateTime(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    public static void writeProperties(JsonGenerator g, Message m, Collection<String> properties, String baseUrl) throws IOException {
        for (String p : properties) {
            writeProperty(g, m, p, baseUrl);
        }
    }

    static void writeProperty(JsonGenerator g, Message m, String property, String baseUrl) throws IOException {
        switch (property) {
            case "id" -> g.writeStringField("id", m.id().value());
            case "createdDateTime" -> g.writeStringField(property, dateTime(m.createdDateTime()));
            case "lastModifiedDateTime" -> g.writeStringField(property, dateTime(m.lastModifiedDateTime()));
            case "changeKey" -> g.writeStringField(property, m.changeKey());
            case "categories" -> strings(g, property, m.categories());
            case "receivedDateTime" -> g.writeStringField(property, dateTime(m.receivedDateTime()));
            case "sentDateTime" -> g.writeStringField(property, dateTime(m.sentDateTime()));
            case "hasAttachments" -> g.writeBooleanField(property, m.hasAttachments());
            case "internetMessageId" -> g.writeStringField(property, m.internetMessageId());
            case "subject" -> g.writeStringField(property, m.subject());
            case "bodyPreview" -> g.writeStringField(property, m.bodyPreview());
            case "importance" -> g.writeStringField(property, m.importance());
            case "parentFolderId" -> g.writeStringField(property, m.folderId().value());
            case "conversationId" -> g.writeStringField(property, m.conversationId());
            case "conversationIndex" -> g.writeStringField(property, m.conversationIndex());
            case "isDeliveryReceiptRequested" -> {
                g.writeFieldName(property);
                if (m.isDeliveryReceiptRequested() == null) {
                    g.writeNull();
                } else {
                    g.writeBoolean(m.isDeliveryReceiptRequested());
                }
            }
            case "isReadReceiptRequested" -> g.writeBooleanField(property, m.isReadReceiptRequested());
            case "isRead" -> g.writeBooleanField(property, m.isRead());
            case "isDraft" -> g.writeBooleanField(property, m.isDraft());
            case "webLink" -> g.writeStringField(property, baseUrl + "/owa/?ItemID="
                    + URLEncoder.encode(m.id().value(), StandardCharsets.UTF_8) + "&exvsurl=1&viewmodel=ReadMessageItem");
            case "inferenceClassification" -> g.writeStringField(property, m.inferenceClassification());
            case "body", "uniqueBody" -> {
                g.writeObjectFieldStart(property);
                g.writeStringField("contentType", m.body().contentType());
                g.writeStringField("content", m.body().content());
                g.writeEndObject();
            }
            case "sender" -> recipient(g, property, m.sender());
            case "from" -> recipient(g, property, m.from());
            case "toRecipients" -> recipients(g, property, m.toRecipients());
            case "ccRecipients" -> recipients(g, property, m.ccRecipients());
            case "bccRecipients" -> recipients(g, property, m.bccRecipients());
            case "replyTo" -> recipients(g, property, m.replyTo());
            case "flag" -> flag(g, m.flag());
            case "internetMessageHeaders" -> {
                g.writeArrayFieldStart(property);
                for (InternetMessageHeader h : m.internetMessageHeaders()) {
                    g.writeStartObject();
                    g.writeStringField("name", h.name());
                    g.writeStringField("value", h.value());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("not a message property: " + property);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void recipient(JsonGenerator g, String name, Recipient r) throws IOException {
        g.writeFieldName(name);
        writeRecipient(g, r);
    }

    private static void writeRecipient(JsonGenerator g, Recipient r) throws IOException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeObjectFieldStart("emailAddress");
        g.writeStringField("name", r.name());
        g.writeStringField("address", r.address());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void recipients(JsonGenerator g, String name, List<Recipient> list) throws IOException {
        g.writeArrayFieldStart(name);
        for (Recipient r : list) {
            writeRecipient(g, r);
        }
        g.writeEndArray();
    }

    private static void flag(JsonGenerator g, FollowupFlag f) throws IOException {
        g.writeObjectFieldStart("flag");
        g.writeStringField("flagStatus", f.flagStatus());
        dateTimeTimeZone(g, "startDateTime", f.startDateTime());
        dateTimeTimeZone(g, "dueDateTime", f.dueDateTime());
        dateTimeTimeZone(g, "completedDateTime", f.completedDateTime());
        g.writeEndObject();
    }

    private static void dateTimeTimeZone(JsonGenerator g, String name, FollowupFlag.DateTimeTimeZone v) throws IOException {
        if (v != null) {
            g.writeObjectFieldStart(name);
            g.writeStringField("dateTime", v.dateTime());
            g.writeStringField("timeZone", v.timeZone());
            g.writeEndObject();
        }
    }

    /** The stored copy: every property that is not derived from columns or computed on the way out. */
    static void writeStored(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        writeProperties(g, m, STORED, "");
        if (m.inReplyTo() != null) {
            g.writeStringField("inReplyTo", m.inReplyTo());
        }
        if (m.references() != null) {
            g.writeStringField("references", m.references());
        }
        g.writeEndObject();
    }

    static Message readStored(JsonNode n, MessageId id, UUID mailbox, FolderId folder) {
        Message.Builder b = new Message.Builder();
        b.id = id;
        b.mailboxId = mailbox;
        b.folderId = folder;
        b.changeKey = n.path("changeKey").asText();
        b.createdDateTime = instant(n.get("createdDateTime"));
        b.lastModifiedDateTime = instant(n.get("lastModifiedDateTime"));
        b.receivedDateTime = instant(n.get("receivedDateTime"));
        b.sentDateTime = instant(n.get("sentDateTime"));
        b.isDraft = n.path("isDraft").asBoolean();
        b.isRead = n.path("isRead").asBoolean();
        b.hasAttachments = n.path("hasAttachments").asBoolean();
        b.subject = n.path("subject").asText("");
        JsonNode body = n.path("body");
        b.body = new ItemBody("html".equals(body.path("contentType").asText()), body.path("content").asText(""));
        b.importance = n.path("importance").asText("normal");
        b.from = recipient(n.get("from"));
        b.sender = recipient(n.get("sender"));
        b.toRecipients = recipients(n.get("toRecipients"));
        b.ccRecipients = recipients(n.get("ccRecipients"));
        b.bccRecipients = recipients(n.get("bccRecipients"));
        b.replyTo = recipients(n.get("replyTo"));
        b.internetMessageId = n.path("internetMessageId").asText();
        b.conversationId = n.path("conversationId").asText();
        b.conversationIndex = n.path("conversationIndex").asText();
        List<String> categories = new ArrayList<>();
        n.path("categories").forEach(c -> categories.add(c.asText()));
        b.categories = categories;
        JsonNode f = n.path("flag");
        b.flag = new FollowupFlag(f.path("flagStatus").asText("notFlagged"), dtz(f.get("startDateTime")),
                dtz(f.get("dueDateTime")), dtz(f.get("completedDateTime")));
        b.inferenceClassification = n.path("inferenceClassification").asText("focused");
        b.isReadReceiptRequested = n.path("isReadReceiptRequested").asBoolean();
        JsonNode dr = n.get("isDeliveryReceiptRequested");
        b.isDeliveryReceiptRequested = dr == null || dr.isNull() ? null : dr.asBoolean();
        List<InternetMessageHeader> headers = new ArrayList<>();
        n.path("internetMessageHeaders").forEach(h -> headers.add(new InternetMessageHeader(h.path("name").asText(), h.path("value").asText())));
        b.internetMessageHeaders = headers;
        b.inReplyTo = n.path("inReplyTo").asText(null);
        b.references = n.path("references").asText(null);
        return b.build();
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    private static Recipient recipient(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        JsonNode e = n.path("emailAddress");
        return new Recipient(e.path("name").asText(null), e.path("address").asText(null));
    }

    private static List<Recipient> recipients(JsonNode n) {
        List<Recipient> out = new ArrayList<>();
        if (n != null) {
            n.forEach(r -> out.add(recipient(r)));
        }
        return out;
    }

    private static FollowupFlag.DateTimeTimeZone dtz(JsonNode n) {
        return n == null || n.isNull() ? null : new FollowupFlag.DateTimeTimeZone(n.path("dateTime").asText(), n.path("timeZone").asText());
    }
}
