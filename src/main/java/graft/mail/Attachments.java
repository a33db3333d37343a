package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;
import graft.identity.Tenant;
import graft.identity.User;
import graft.store.Database;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The attachments of a message: add, list, read, delete; and the size rule Exchange applies to a message. */
public final class Attachments {
    /** Exchange Online's default maximum message size; tenants may raise it to 150 MB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 35L * 1024 * 1024;

    private final Database db;
    private final Clock clock;
    private final long maxMessageSize;

    public Attachments(Database db, Clock clock, long maxMessageSize) {
        this.db = db;
        this.clock = clock;
        this.maxMessageSize = maxMessageSize;
    }

    public Attachment add(Tenant tenant, User owner, MessageId messageId, JsonNode json) {
        AttachmentInput input = AttachmentInput.parse(json, Messages.names(tenant));
        return db.write(c -> {
            Message m = MessageTable.find(c, owner.id(), messageId).orElseThrow(GraphError::itemNotFound);
            Attachment a = insert(c, messageId.value(), input, clock.instant());
            checkSize(c, messageId.value(), maxMessageSize);
            touch(c, m);
            return a;
        });
    }

    /** Stores attachments given inline in a create or sendMail body; the caller's transaction owns them. */
    static void insertAll(Connection c, String ownerId, List<AttachmentInput> inputs, Instant now, long maxMessageSize) throws SQLException {
        for (AttachmentInput input : inputs) {
            insert(c, ownerId, input, now);
        }
        checkSize(c, ownerId, maxMessageSize);
    }

    private static Attachment insert(Connection c, String ownerId, AttachmentInput input, Instant now) throws SQLException {
        String blob = input.kind() == Attachment.Kind.FILE ? BlobTable.put(c, new ByteArrayInputStream(input.content()), now.toEpochMilli()) : null;
        Attachment a = new Attachment(AttachmentId.random(), ownerId, input.kind(), input.name(), input.contentType(), input.size(),
                input.isInline(), input.contentId(), now, blob, input.item());
        AttachmentTable.insert(c, a);
        return a;
    }

    private static void checkSize(Connection c, String ownerId, long maxMessageSize) throws SQLException {
        if (AttachmentTable.totalSize(c, ownerId) > maxMessageSize) {
            throw messageSizeExceeded();
        }
    }

    /** Exchange's answer when a message with its attachments would exceed the size limit. */
    static GraphError messageSizeExceeded() {
        return new GraphError(400, "ErrorMessageSizeExceeded",
                "The message exceeds the maximum supported size., Cannot save changes made to an item to store.");
    }

    /** hasAttachments and the change key follow every change of the attachments. */
    private void touch(Connection c, Message m) throws SQLException {
        Message.Builder b = m.toBuilder();
        b.hasAttachments = AttachmentTable.hasVisible(c, m.id().value());
        b.changeKey = Messages.changeKey();
        b.lastModifiedDateTime = clock.instant();
        MessageTable.update(c, b.build());
    }

    public List<Attachment> list(User owner, MessageId messageId) {
        return db.read(c -> {
            MessageTable.find(c, owner.id(), messageId).orElseThrow(GraphError::itemNotFound);
            return AttachmentTable.list(c, messageId.value());
        });
    }

    public Attachment get(User owner, MessageId messageId, AttachmentId id) {
        return db.read(c -> {
            MessageTable.find(c, owner.id(), messageId).orElseThrow(GraphError::itemNotFound);
            return AttachmentTable.find(c, messageId.value(), id).orElseThrow(GraphError::itemNotFound);
        });
    }

    /** An item attachment's message as MIME. */
    public graft.mime.MimeSource itemMime(Attachment a) {
        return StoredMime.item(db, a);
    }

    /** A file attachment's content, read chunk by chunk as the stream is consumed. */
    public InputStream content(Attachment a) {
        return new BlobInputStream(db, a.blobId(), a.size());
    }

    public void delete(User owner, MessageId messageId, AttachmentId id) {
        db.write(c -> {
            Message m = MessageTable.find(c, owner.id(), messageId).orElseThrow(GraphError::itemNotFound);
            AttachmentTable.delete(c, AttachmentTable.find(c, messageId.value(), id).orElseThrow(GraphError::itemNotFound));
            touch(c, m);
            return null;
        });
    }
}
