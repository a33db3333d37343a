package graft.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An OData resource path split into segments. The raw path is split on '/' first and each segment decoded after,
 * so an encoded '/' (%2F) inside a key stays part of the key. A key may follow as its own segment or in
 * parentheses: {@code messages/{id}}, {@code messages('{id}')} and {@code messages({id})} are the same.
 */
public final class ODataPath {
    /** One segment: its name in lower case (names are case-insensitive), as written, and a key in parentheses. */
    public record Segment(String name, String written, String key) {
        public boolean is(String lowerCaseName) {
            return name.equals(lowerCaseName);
        }
    }

    private ODataPath() {
    }

    public static List<Segment> parse(String rawPath) {
        List<Segment> out = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String s = decode(raw);
            int open = s.indexOf('(');
            if (open > 0 && s.endsWith(")")) {
                String name = s.substring(0, open);
                String key = s.substring(open + 1, s.length() - 1);
                if (key.length() >= 2 && key.startsWith("'") && key.endsWith("'")) {
                    key = key.substring(1, key.length() - 1).replace("''", "'");
                }
                out.add(new Segment(name.toLowerCase(Locale.ROOT), name, key));
            } else {
                out.add(new Segment(s.toLowerCase(Locale.ROOT), s, null));
            }
        }
        return out;
    }

    private static String decode(String segment) {
        try {
            // '+' is a literal plus in a path, unlike in a query string
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GraphError.badRequest("The request URI is not correctly percent-encoded.");
        }
    }
}
