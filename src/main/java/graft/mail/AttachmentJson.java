package graft.mail;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.Base64;

/** Graph's JSON form of fileAttachment and itemAttachment. */
final class AttachmentJson {
    private AttachmentJson() {
    }

    static void write(JsonGenerator g, Attachments.Loaded loaded) throws IOException {
        Attachment a = loaded.attachment();
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
            g.writeStringField("contentBytes", Base64.getEncoder().encodeToString(loaded.content()));
        }
    }
}
