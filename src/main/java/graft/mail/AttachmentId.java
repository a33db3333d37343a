package graft.mail;

import graft.http.GraphError;

import java.util.regex.Pattern;

/** An attachment id: opaque, URL-safe, case-sensitive. */
public record AttachmentId(String value) {
    private static final Pattern FORMAT = Pattern.compile("AAMf[A-Za-z0-9_-]{32}");

    public static AttachmentId random() {
        return new AttachmentId("AAMf" + RandomText.timeOrderedBase64Url(24));
    }

    public static AttachmentId parse(String raw) {
        if (raw == null || !FORMAT.matcher(raw).matches()) {
            throw GraphError.idMalformed();
        }
        return new AttachmentId(raw);
    }
}
