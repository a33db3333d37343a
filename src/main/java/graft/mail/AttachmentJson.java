package graft.mail;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.InputStream;

/** Graph's JSON form of fileAttachment and itemAttachment. */
final class AttachmentJson {
    private AttachmentJson() {
    }

    /** File content is streamed into {@code contentBytes} as base64, a chunk at a time. */
    static void write(JsonGenerator g, Attachment a, Attachments attachments) throws IOException {
        g.writeStringField("@odata.type", a.odataType());
        if (a.kind() == Attachment.Kind.FILE) {
            g.writeStringField("@odata.mediaContentType", a.contentType());
        }
        g.writeStringField("id", a.id().value());
        g.writeStringField("lastModifiedDateTime", MessageJson.dateTime(a.lastModifiedDateTime()));
        g.writeStringField("name", a.name());
        g.writeStringField("contentType", a.contentType());
        g.writeNumberField("size", a.size());
        g.writeBooleanField("isInline", a.isInline());
        if (a.kind() == Attachment.Kind.FILE) {
            g.writeStringField("contentId", a.contentId());
            g.writeNullField("contentLocation");
            g.writeFieldName("contentBytes");
            try (InputStream in = attachments.content(a)) {
                g.writeBinary(in, (int) a.size());
            }
        }
    }
}
