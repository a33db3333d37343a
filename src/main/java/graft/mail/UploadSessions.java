package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;
import graft.identity.User;
import graft.store.Database;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Large attachments (3 MB to 150 MB) uploaded in chunks to a pre-authenticated URL (contract §1.11). Chunks are
 * appended to the store as they come, so neither the upload nor a node restart needs the file in memory.
 */
public final class UploadSessions {
    static final long MIN_SIZE = 3L * 1024 * 1024;
    static final long MAX_SIZE = 150L * 1024 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    private final Database db;
    private final Clock clock;
    private final long maxMessageSize;
    /** Sessions live this long after their last chunk. */
    private final Duration lifetime;

    public UploadSessions(Database db, Clock clock, long maxMessageSize, Duration lifetime) {
        this.db = db;
        this.clock = clock;
        this.maxMessageSize = maxMessageSize;
        this.lifetime = lifetime;
    }

    public record Created(UploadSession session, String secret) {
    }

    /** What a chunk led to: more expected from {@code nextOffset}, or the finished attachment. */
    public sealed interface Progress {
        record More(long nextOffset, Instant expires) implements Progress {
        }

        record Done(UUID mailbox, MessageId message, AttachmentId attachment) implements Progress {
        }
    }

    public Created create(User owner, MessageId messageId, JsonNode body) {
        JsonNode item = param(body, "attachmentItem");
        if (item == null || !item.isObject()) {
            throw GraphError.badRequest("The parameter 'AttachmentItem' is required for the operation 'createUploadSession'.");
        }
        String type = text(param(item, "attachmentType"));
        if (type != null && !type.equalsIgnoreCase("file")) {
            throw new GraphError(400, "ErrorInvalidRequest", "Only attachmentType 'file' can be uploaded in a session by this server.");
        }
        JsonNode sizeNode = param(item, "size");
        if (sizeNode == null || !sizeNode.canConvertToLong()) {
            throw GraphError.badRequest("The property 'size' of the attachment item is required.");
        }
        long size = sizeNode.asLong();
        if (size < MIN_SIZE) {
            throw new GraphError(400, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
                    "Attachment size must be at least 3 MB to use an upload session; post smaller attachments directly.");
        }
        if (size > Math.min(MAX_SIZE, maxMessageSize)) {
            throw messageTooLarge();
        }
        String name = HeaderSafe.clean(text(param(item, "name")));
        if (name == null || name.isBlank()) {
            throw GraphError.badRequest("The property 'name' of the attachment item is required.");
        }
        String contentType = HeaderSafe.clean(text(param(item, "contentType")));
        JsonNode inline = param(item, "isInline");
        String secret = token();
        Instant now = clock.instant();
        sweepExpired();
        return db.write(c -> {
            MessageTable.find(c, owner.id(), messageId).orElseThrow(GraphError::itemNotFound);
            if (AttachmentTable.totalSize(c, messageId.value()) + size > maxMessageSize) {
                throw messageTooLarge();
            }
            String blob = BlobTable.put(c, new ByteArrayInputStream(new byte[0]), now.toEpochMilli());
            UploadSession s = new UploadSession(UUID.randomUUID().toString(), hash(secret), owner.id(), messageId, name,
                    contentType == null ? AttachmentInput.inferContentType(name) : contentType, size,
                    inline != null && inline.asBoolean(false), HeaderSafe.clean(text(param(item, "contentId"))), blob, 0, 0,
                    now.plus(lifetime));
            UploadSessionTable.insert(c, s);
            return new Created(s, secret);
        });
    }

    public Progress put(String sessionId, String secret, String contentRange, byte[] chunk) {
        return db.write(c -> {
            UploadSession s = authorized(c, sessionId, secret);
            Matcher m = contentRange == null ? null : RANGE.matcher(contentRange.trim());
            if (m == null || !m.matches()) {
                throw new GraphError(400, "ErrorInvalidRequest", "A Content-Range header of the form 'bytes {start}-{end}/{total}' is required.");
            }
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            long total = Long.parseLong(m.group(3));
            if (total != s.size() || start != s.received() || end < start || end - start + 1 != chunk.length || end >= total) {
                throw new GraphError(416, "ErrorInvalidRange", "The range " + contentRange.trim() + " is not the next expected range "
                        + s.received() + "-" + (s.size() - 1) + " of " + s.size() + " bytes, or the body does not match it.");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)")) {
                ps.setString(1, s.blobId());
                ps.setInt(2, s.nextSeq());
                ps.setBytes(3, chunk);
                ps.executeUpdate();
            }
            long received = end + 1;
            Instant now = clock.instant();
            if (received < s.size()) {
                Instant expires = now.plus(lifetime);
                UploadSessionTable.advance(c, s.id(), received, s.nextSeq() + 1, expires);
                return new Progress.More(received, expires);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE blobs SET size = ? WHERE id = ?")) {
                ps.setLong(1, received);
                ps.setString(2, s.blobId());
                ps.executeUpdate();
            }
            Message message = MessageTable.find(c, s.mailboxId(), s.messageId()).orElseThrow(GraphError::itemNotFound);
            // Other sessions or attachments may have grown the message since this session began.
            if (AttachmentTable.totalSize(c, message.id().value()) + s.size() > maxMessageSize) {
                throw messageTooLarge();
            }
            Attachment a = new Attachment(AttachmentId.random(), s.messageId().value(), Attachment.Kind.FILE, s.name(), s.contentType(),
                    s.size(), s.isInline(), s.contentId(), now, s.blobId(), null);
            AttachmentTable.insert(c, a);
            UploadSessionTable.delete(c, s.id());
            Message.Builder b = message.toBuilder();
            b.hasAttachments = AttachmentTable.hasVisible(c, message.id().value());
            b.changeKey = Messages.changeKey();
            b.lastModifiedDateTime = now;
            MessageTable.update(c, b.build());
            return new Progress.Done(s.mailboxId(), s.messageId(), a.id());
        });
    }

    public void cancel(String sessionId, String secret) {
        db.write(c -> {
            UploadSession s = authorized(c, sessionId, secret);
            UploadSessionTable.delete(c, s.id());
            BlobTable.deleteUnreferenced(c, s.blobId());
            return null;
        });
    }

    /** Drops sessions nobody finished; their chunks go with them. */
    public int sweepExpired() {
        return db.write(c -> {
            int n = 0;
            for (UploadSession s : UploadSessionTable.expired(c, clock.instant())) {
                UploadSessionTable.delete(c, s.id());
                BlobTable.deleteUnreferenced(c, s.blobId());
                n++;
            }
            return n;
        });
    }

    private UploadSession authorized(java.sql.Connection c, String sessionId, String secret) throws java.sql.SQLException {
        UploadSession s = UploadSessionTable.find(c, sessionId).orElseThrow(GraphError::itemNotFound);
        if (secret == null || !MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII), s.secretHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new GraphError(401, "InvalidAuthenticationToken", "The upload URL's token is not valid.");
        }
        if (s.expiresAt().isBefore(clock.instant())) {
            throw GraphError.itemNotFound();
        }
        return s;
    }

    private static GraphError messageTooLarge() {
        return Attachments.messageSizeExceeded();
    }

    private static JsonNode param(JsonNode body, String lowerCaseName) {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().toLowerCase(Locale.ROOT).equals(lowerCaseName.toLowerCase(Locale.ROOT))) {
                return f.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String token() {
        return RandomText.base64Url(32);
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
