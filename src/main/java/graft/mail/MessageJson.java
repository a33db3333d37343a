package graft.mail;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import graft.http.Json;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

    /** Graph writes date-times in UTC with a Z and whole seconds: {@code 2026-12-04T22:54:03Z}. */
    public static String dateTime(Instant t) {
        if (t == null) {
            return null;
        }
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        }
        // Every message read and written formats several of these: spare the general formatter.
        LocalDateTime d = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        byte[] b = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0', 'Z'};
        digits(b, 0, 4, d.getYear());
        digits(b, 5, 2, d.getMonthValue());
        digits(b, 8, 2, d.getDayOfMonth());
        digits(b, 11, 2, d.getHour());
        digits(b, 14, 2, d.getMinute());
        digits(b, 17, 2, d.getSecond());
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Reads what {@link #dateTime} writes without the general parser, and anything else ISO 8601 with it. */
    static Instant parseDateTime(String t) {
        if (t.length() == 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                && t.charAt(16) == ':' && t.charAt(19) == 'Z') {
            int year = number(t, 0, 4);
            int month = number(t, 5, 2);
            int day = number(t, 8, 2);
            int hour = number(t, 11, 2);
            int minute = number(t, 14, 2);
            int second = number(t, 17, 2);
            if ((year | month | day | hour | minute | second) >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    // not a date (say February 30th): the general parser says so
                }
            }
        }
        return Instant.parse(t);
    }

    private static final long YEAR_10000 = 253_402_300_800L;

    private static void digits(byte[] b, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number in {@code t} at {@code [at, at + width)}, or -1 when it is not all digits. */
    private static int number(String t, int at, int width) {
        int n = 0;
        for (int i = at; i < at + width; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
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

    /**
     * Reads a stored copy ({@link #writeStored}) straight from its text, without building a tree: every listing and
     * every delivery reads messages this way. Properties missing from older copies get Graph's defaults.
     */
    static Message readStored(String json, MessageId id, UUID mailbox, FolderId folder) throws IOException {
        Message.Builder b = new Message.Builder();
        b.id = id;
        b.mailboxId = mailbox;
        b.folderId = folder;
        b.changeKey = "";
        b.subject = "";
        b.body = ItemBody.EMPTY;
        b.importance = "normal";
        b.internetMessageId = "";
        b.conversationId = "";
        b.conversationIndex = "";
        b.categories = List.of();
        b.flag = FollowupFlag.NOT_FLAGGED;
        b.inferenceClassification = "focused";
        b.internetMessageHeaders = List.of();
        b.isDeliveryReceiptRequested = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "changeKey" -> b.changeKey = text(p, "");
                    case "createdDateTime" -> b.createdDateTime = instant(p);
                    case "lastModifiedDateTime" -> b.lastModifiedDateTime = instant(p);
                    case "receivedDateTime" -> b.receivedDateTime = instant(p);
                    case "sentDateTime" -> b.sentDateTime = instant(p);
                    case "isDraft" -> b.isDraft = p.getValueAsBoolean();
                    case "isRead" -> b.isRead = p.getValueAsBoolean();
                    case "hasAttachments" -> b.hasAttachments = p.getValueAsBoolean();
                    case "subject" -> b.subject = text(p, "");
                    case "body" -> b.body = body(p);
                    case "importance" -> b.importance = text(p, "normal");
                    case "from" -> b.from = recipient(p);
                    case "sender" -> b.sender = recipient(p);
                    case "toRecipients" -> b.toRecipients = recipients(p);
                    case "ccRecipients" -> b.ccRecipients = recipients(p);
                    case "bccRecipients" -> b.bccRecipients = recipients(p);
                    case "replyTo" -> b.replyTo = recipients(p);
                    case "internetMessageId" -> b.internetMessageId = text(p, "");
                    case "conversationId" -> b.conversationId = text(p, "");
                    case "conversationIndex" -> b.conversationIndex = text(p, "");
                    case "categories" -> b.categories = strings(p);
                    case "flag" -> b.flag = flag(p);
                    case "inferenceClassification" -> b.inferenceClassification = text(p, "focused");
                    case "isReadReceiptRequested" -> b.isReadReceiptRequested = p.getValueAsBoolean();
                    case "isDeliveryReceiptRequested" -> b.isDeliveryReceiptRequested =
                            p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsBoolean();
                    case "internetMessageHeaders" -> b.internetMessageHeaders = headers(p);
                    case "inReplyTo" -> b.inReplyTo = text(p, null);
                    case "references" -> b.references = text(p, null);
                    default -> p.skipChildren();
                }
            }
        }
        return b.build();
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(p, "expected " + expected + " but found " + actual);
        }
    }

    /** A scalar as text (null stays {@code otherwise}); a structure where text belongs is skipped. */
    private static String text(JsonParser p, String otherwise) throws IOException {
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
            return otherwise;
        }
        return p.getValueAsString(otherwise);
    }

    private static Instant instant(JsonParser p) throws IOException {
        String t = text(p, null);
        return t == null ? null : parseDateTime(t);
    }

    private static ItemBody body(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return ItemBody.EMPTY;
        }
        boolean html = false;
        String content = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "contentType" -> html = "html".equals(text(p, ""));
                case "content" -> content = text(p, "");
                default -> p.skipChildren();
            }
        }
        return new ItemBody(html, content);
    }

    private static Recipient recipient(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String name = null;
        String address = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean email = "emailAddress".equals(p.currentName());
            JsonToken value = p.nextToken();
            if (email && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "name" -> name = text(p, null);
                        case "address" -> address = text(p, null);
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new Recipient(name, address);
    }

    private static List<Recipient> recipients(JsonParser p) throws IOException {
        List<Recipient> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(recipient(p));
        }
        return out;
    }

    private static List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(text(p, ""));
        }
        return out;
    }

    private static FollowupFlag flag(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return FollowupFlag.NOT_FLAGGED;
        }
        String status = "notFlagged";
        FollowupFlag.DateTimeTimeZone start = null;
        FollowupFlag.DateTimeTimeZone due = null;
        FollowupFlag.DateTimeTimeZone completed = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "flagStatus" -> status = text(p, "notFlagged");
                case "startDateTime" -> start = dateTimeTimeZone(p);
                case "dueDateTime" -> due = dateTimeTimeZone(p);
                case "completedDateTime" -> completed = dateTimeTimeZone(p);
                default -> p.skipChildren();
            }
        }
        return new FollowupFlag(status, start, due, completed);
    }

    private static FollowupFlag.DateTimeTimeZone dateTimeTimeZone(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String dateTime = "";
        String timeZone = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "dateTime" -> dateTime = text(p, "");
                case "timeZone" -> timeZone = text(p, "");
                default -> p.skipChildren();
            }
        }
        return new FollowupFlag.DateTimeTimeZone(dateTime, timeZone);
    }

    private static List<InternetMessageHeader> headers(JsonParser p) throws IOException {
        List<InternetMessageHeader> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String name = "";
            String value = "";
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "name" -> name = text(p, "");
                        case "value" -> value = text(p, "");
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            out.add(new InternetMessageHeader(name, value));
        }
        return out;
    }
}
