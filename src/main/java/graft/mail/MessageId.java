package graft.mail;

import graft.http.GraphError;

import java.util.regex.Pattern;

/**
 * A message id: opaque, URL-safe and case-sensitive, like Graph's. Graft ids never change, so every id is an
 * immutable id: a draft keeps its id when it is sent and moves to Sent Items.
 */
public record MessageId(String value) {
    private static final String PREFIX = "AAMk";
    private static final Pattern FORMAT = Pattern.compile("AAMk[A-Za-z0-9_-]{32}");

    public static MessageId random() {
        return new MessageId(PREFIX + RandomText.timeOrderedBase64Url(24));
    }

    /** Parses a client-supplied id: 400 ErrorInvalidIdMalformed unless it has the shape of our ids. */
    public static MessageId parse(String raw) {
        if (raw == null || !FORMAT.matcher(raw).matches()) {
            throw GraphError.idMalformed();
        }
        return new MessageId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
