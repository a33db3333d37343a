package graft.mail;

import graft.http.GraphError;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** An attachment id: opaque, URL-safe, case-sensitive. */
public record AttachmentId(String value) {
    private static final Pattern FORMAT = Pattern.compile("AAMf[A-Za-z0-9_-]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public static AttachmentId random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return new AttachmentId("AAMf" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static AttachmentId parse(String raw) {
        if (raw == null || !FORMAT.matcher(raw).matches()) {
            throw GraphError.idMalformed();
        }
        return new AttachmentId(raw);
    }
}
