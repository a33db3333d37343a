package graft.mime;

import graft.mail.Attachment;
import graft.mail.Message;

import java.io.IOException;
import java.io.InputStream;

/** Where the renderer gets what attachments hold, at the moment it writes them. */
public interface AttachmentContent {
    /** The bytes of a file attachment, read while they are encoded (never the whole file at once). */
    InputStream open(Attachment file) throws IOException;

    /** The message an item attachment holds. */
    Message item(Attachment item);
}
