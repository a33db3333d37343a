package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;
import graft.http.Json;

import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** An attachment as a client posts it: a fileAttachment with base64 content or an itemAttachment holding a message. */
record AttachmentInput(Attachment.Kind kind, String name, String contentType, boolean isInline, String contentId,
                       byte[] content, String item) {
    private static final Set<String> FILE_PROPERTIES = Set.of("name", "contentType", "contentBytes", "isInline", "contentId",
            "contentLocation", "size", "id", "lastModifiedDateTime");
    private static final Set<String> ITEM_PROPERTIES = Set.of("name", "contentType", "isInline", "item", "size", "id",
            "lastModifiedDateTime");

    long size() {
        return content.length;
    }

    static AttachmentInput parse(JsonNode json, UnaryOperator<String> names) {
        if (json == null || !json.isObject()) {
            throw GraphError.unableToDeserialize("the attachment: a JSON object was expected.");
        }
        String type = json.path("@odata.type").asText("");
        return switch (type.startsWith("#") ? type.substring(1) : type) {
            case "microsoft.graph.fileAttachment" -> file(json);
            case "microsoft.graph.itemAttachment" -> item(json, names);
            case "microsoft.graph.referenceAttachment" -> throw new GraphError(400, "ErrorInvalidRequest",
                    "referenceAttachment is not supported by this server; attach the file as a fileAttachment.");
            case "" -> throw GraphError.requestBodyRead("Cannot create an abstract class.");
            default -> throw GraphError.requestBodyRead("A type named '" + type + "' could not be resolved by the model.");
        };
    }

    private static AttachmentInput file(JsonNode json) {
        checkProperties(json, FILE_PROPERTIES, "Microsoft.OutlookServices.FileAttachment");
        String name = text(json, "name");
        JsonNode bytes = json.get("contentBytes");
        if (bytes == null || bytes.isNull() || !bytes.isTextual()) {
            throw GraphError.requestBodyRead("The property 'contentBytes' is required for a fileAttachment.");
        }
        byte[] content;
        try {
            content = Base64.getMimeDecoder().decode(bytes.asText());
        } catch (IllegalArgumentException e) {
            throw GraphError.requestBodyRead("The value of 'contentBytes' is not valid base64.");
        }
        String contentType = text(json, "contentType");
        if (contentType == null || contentType.isBlank()) {
            contentType = inferContentType(name);
        }
        boolean inline = json.path("isInline").asBoolean(false);
        return new AttachmentInput(Attachment.Kind.FILE, name == null ? "" : HeaderSafe.clean(name), HeaderSafe.clean(contentType),
                inline, HeaderSafe.clean(text(json, "contentId")), content, null);
    }

    private static AttachmentInput item(JsonNode json, UnaryOperator<String> names) {
        checkProperties(json, ITEM_PROPERTIES, "Microsoft.OutlookServices.ItemAttachment");
        JsonNode item = json.get("item");
        if (item == null || !item.isObject()) {
            throw GraphError.requestBodyRead("The property 'item' is required for an itemAttachment.");
        }
        String itemType = item.path("@odata.type").asText("#microsoft.graph.message");
        if (!itemType.equals("#microsoft.graph.message") && !itemType.equals("microsoft.graph.message")) {
            throw new GraphError(400, "ErrorInvalidRequest", "Only messages can be attached as items by this server, not '" + itemType + "'.");
        }
        Message.Builder b = new Message.Builder();
        MessageInput.parse(item, true, names).applyTo(b);
        String name = text(json, "name");
        return item(name == null ? null : HeaderSafe.clean(name), b);
    }

    /** A file taken from MIME input; {@code contentType} as the part declared it. */
    static AttachmentInput file(String name, String contentType, boolean inline, String contentId, byte[] content) {
        String type = contentType == null || contentType.isBlank() ? inferContentType(name) : contentType;
        return new AttachmentInput(Attachment.Kind.FILE, name == null ? "" : HeaderSafe.clean(name), HeaderSafe.clean(type), inline,
                HeaderSafe.clean(contentId), content, null);
    }

    /** An attached message, kept as Graph JSON; it is named after its subject unless {@code name} is given. */
    static AttachmentInput item(String name, Message.Builder b) {
        b.id = MessageId.random();
        b.changeKey = Messages.changeKey();
        b.folderId = new FolderId("AQMk" + "0".repeat(32));
        b.mailboxId = new java.util.UUID(0, 0);
        b.createdDateTime = b.lastModifiedDateTime = b.receivedDateTime = java.time.Instant.now();
        b.internetMessageId = "";
        b.conversationId = "";
        b.conversationIndex = "";
        Message m = b.build();
        String stored = new String(Json.bytes(g -> MessageJson.writeStored(g, m)), StandardCharsets.UTF_8);
        return new AttachmentInput(Attachment.Kind.ITEM, name == null ? m.subject() : name, null,
                false, null, stored.getBytes(StandardCharsets.UTF_8), stored);
    }

    /** Graph fills contentType when it is absent (e.g. "image/gif" for a .gif). */
    static String inferContentType(String name) {
        String guessed = name == null ? null : URLConnection.guessContentTypeFromName(name);
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static String text(JsonNode json, String name) {
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw GraphError.requestBodyRead("Cannot convert the literal '" + v + "' to the expected type 'Edm.String'.");
        }
        return v.asText();
    }

    private static void checkProperties(JsonNode json, Set<String> allowed, String type) {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!name.startsWith("@") && !name.contains("@odata.") && !allowed.contains(name)) {
                throw GraphError.unknownProperty(name, type);
            }
        }
    }
}
