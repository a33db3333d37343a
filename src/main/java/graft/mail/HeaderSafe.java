package graft.mail;

import graft.http.GraphError;

/**
 * Values that end up in MIME headers or SMTP commands (subject, names, addresses, custom headers) never keep a
 * CR, LF or NUL: each becomes a space, so no value can start a header or a command of its own.
 */
final class HeaderSafe {
    private HeaderSafe() {
    }

    static String clean(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                if (out == null) {
                    out = new StringBuilder(value);
                }
                out.setCharAt(i, ' ');
            }
        }
        return out == null ? value : out.toString();
    }

    static void checkHeaderName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                throw new GraphError(400, "InvalidInternetMessageHeader", "The internet message header name '" + name + "' is not valid.");
            }
        }
    }
}
