package graft.mail;

import java.time.Instant;

/**
 * An attachment of a message: a file (content in a blob) or an item (another message, kept as Graph JSON).
 * {@code ownerId} is the message id, or the id of the outbound submission that carries a copy.
 */
public record Attachment(AttachmentId id, String ownerId, Kind kind, String name, String contentType, long size,
                         boolean isInline, String contentId, Instant lastModifiedDateTime, String blobId, String item) {
    public enum Kind { FILE, ITEM }

    public String odataType() {
        return kind == Kind.FILE ? "#microsoft.graph.fileAttachment" : "#microsoft.graph.itemAttachment";
    }
}
