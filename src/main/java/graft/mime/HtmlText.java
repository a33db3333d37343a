package graft.mime;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plain-text alternative of an HTML body (RFC 2046 5.1.4): readable text, not a faithful rendering. */
final class HtmlText {
    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head|title)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern LINE_BREAK = Pattern.compile("(?i)<br\\s*/?>|</(p|div|h[1-6]|li|tr|table|blockquote|pre)\\s*>");
    private static final Pattern LIST_ITEM = Pattern.compile("(?i)<li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n\\s*\\n+");
    private static final Map<String, String> NAMED = Map.of("nbsp", " ", "lt", "<", "gt", ">", "amp", "&", "quot", "\"",
            "apos", "'", "copy", "\u00a9", "reg", "\u00ae", "euro", "\u20ac", "hellip", "\u2026");

    private HtmlText() {
    }

    static String of(String html) {
        String s = INVISIBLE.matcher(html).replaceAll("");
        s = COMMENT.matcher(s).replaceAll("");
        s = s.replaceAll("[\\r\\n]+", " ");
        s = LIST_ITEM.matcher(s).replaceAll("\n- ");
        s = LINE_BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = decodeEntities(s);
        s = SPACES.matcher(s).replaceAll(" ");
        s = s.replaceAll(" *\\n *", "\n");
        s = BLANK_LINES.matcher(s).replaceAll("\n\n");
        return s.strip() + "\n";
    }

    private static String decodeEntities(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String replacement;
            if (e.startsWith("#")) {
                int cp = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X')
                        ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                replacement = Character.isValidCodePoint(cp) && cp != 0 ? Character.toString(cp) : "\ufffd";
            } else {
                replacement = NAMED.getOrDefault(e.toLowerCase(java.util.Locale.ROOT), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
