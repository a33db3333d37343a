package graft.mail;

import graft.delivery.DeliveryReports;
import graft.mime.AttachmentContent;
import graft.mime.MimeRenderer;
import graft.mime.MimeSource;
import graft.store.Database;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The MIME form of stored mail, with attachment content streamed from the store as it is written. */
public final class StoredMime implements AttachmentContent {
    private final Database db;

    private StoredMime(Database db) {
        this.db = db;
    }

    /** A message in a mailbox: a non-delivery report as RFC 3464 multipart/report, anything else as rendered. */
    public static MimeSource message(Database db, Message m) {
        return db.read(c -> {
            Optional<DeliveryReports.Report> report = DeliveryReports.find(c, m);
            if (report.isPresent()) {
                return MimeSource.of(MimeRenderer.renderReport(m, report.get().deliveryStatus(), report.get().originalHeaders()));
            }
            return MimeRenderer.prepare(m, AttachmentTable.list(c, m.id().value()), new StoredMime(db));
        });
    }

    /** A message as submitted for delivery: its attachments, if it has any, are the submission's copies. */
    public static MimeSource submission(Database db, Message m, String submissionId, boolean hasAttachments) {
        List<Attachment> attachments = hasAttachments ? db.read(c -> AttachmentTable.list(c, submissionId)) : List.of();
        return MimeRenderer.prepare(m, attachments, new StoredMime(db));
    }

    /** An item attachment as the message it holds (contract §1.11: $value of an attachment is its raw form). */
    public static MimeSource item(Database db, Attachment item) {
        StoredMime content = new StoredMime(db);
        return MimeRenderer.prepare(content.item(item), List.of(), content);
    }

    @Override
    public InputStream open(Attachment file) {
        return file.blobId() == null ? InputStream.nullInputStream() : new BlobInputStream(db, file.blobId(), file.size());
    }

    @Override
    public Message item(Attachment item) {
        try {
            UUID none = new UUID(0, 0);
            return MessageJson.readStored(item.item(), MessageId.random(), none, FolderId.of(none, WellKnownFolder.DRAFTS));
        } catch (IOException e) {
            throw new IllegalStateException("attachment " + item.id().value() + " holds no valid message", e);
        }
    }
}
