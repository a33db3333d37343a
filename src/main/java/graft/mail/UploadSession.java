package graft.mail;

import java.time.Instant;
import java.util.UUID;

/** An attachment upload in progress (contract §1.11: createUploadSession, then PUT chunks to the upload URL). */
record UploadSession(String id, String secretHash, UUID mailboxId, MessageId messageId, String name, String contentType,
                     long size, boolean isInline, String contentId, String blobId, long received, int nextSeq,
                     Instant expiresAt) {
}
