package graft.mime;

/**
 * Values on their way into a header line. Whatever the mail model already did, nothing that reaches a header
 * keeps a CR, LF or other control character (RFC 5322 2.2: a header field is one logical line); how text that is
 * not ASCII is written is {@link HeaderWriter}'s part. Values that are already clean are returned as they are.
 */
final class HeaderText {
    private HeaderText() {
    }

    /** Any control character (CR and LF above all) becomes a space. */
    static String oneLine(String value) {
        if (value == null) {
            return "";
        }
        int i = 0;
        while (i < value.length() && !isControl(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length()).append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(isControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    /**
     * What an addr-spec may hold here: no space, no controls, none of the characters that end or split an address
     * ({@code <>,;:"()[]\}); anything else is dropped.
     */
    static String address(String address) {
        if (address == null) {
            return "";
        }
        int i = 0;
        while (i < address.length() && !unsafeInAddress(address.charAt(i))) {
            i++;
        }
        if (i == address.length()) {
            return address;
        }
        StringBuilder out = new StringBuilder(address.length()).append(address, 0, i);
        for (; i < address.length(); i++) {
            char c = address.charAt(i);
            if (!unsafeInAddress(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** RFC 5322 3.6.8: a field name is printable US-ASCII except colon. */
    static boolean isFieldName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ':') {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    private static boolean unsafeInAddress(char c) {
        return c <= 0x20 || c == 0x7f || "<>,;:\"()[]\\".indexOf(c) >= 0;
    }
}
