package graft.mime;

import java.util.Locale;
import java.util.Map;

/**
 * The plain-text alternative of an HTML body (RFC 2046 5.1.4): readable text, not a faithful rendering. In turn:
 * script, style, head and title elements and comments go; source line breaks become spaces; list items become
 * "- " lines and closing block tags line breaks; other tags go; character references are decoded; runs of
 * whitespace become one space, or at most one blank line. Each step is one pass over the text, found with
 * {@code indexOf}, as HTML bodies are rendered with every message that has one.
 */
final class HtmlText {
    private static final String[] INVISIBLE = {"script", "style", "head", "title"};
    private static final String[] BLOCK_END = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "blockquote", "pre"};
    private static final Map<String, String> NAMED = Map.of("nbsp", " ", "lt", "<", "gt", ">", "amp", "&", "quot", "\"",
            "apos", "'", "copy", "\u00a9", "reg", "\u00ae", "euro", "\u20ac", "hellip", "\u2026");

    private HtmlText() {
    }

    static String of(String html) {
        String s = withoutInvisible(html);
        s = withoutComments(s);
        s = sourceBreaksAsSpaces(s);
        s = tags(s, Step.LIST_ITEM);
        s = tags(s, Step.LINE_BREAK);
        s = tags(s, Step.ANY);
        s = decodeEntities(s);
        return collapseWhitespace(s).strip() + "\n";
    }

    /** {@code <script ...>...</script>} and the like, names in any case, the end tag allowing spaces before '>'. */
    private static String withoutInvisible(String s) {
        StringBuilder out = null;
        int copied = 0;
        int nextGt = -1;
        boolean[] unclosed = new boolean[INVISIBLE.length];
        for (int i = s.indexOf('<'); i >= 0; ) {
            int end = -1;
            for (int k = 0; k < INVISIBLE.length && end < 0; k++) {
                String name = INVISIBLE[k];
                int after = i + 1 + name.length();
                if (unclosed[k] || !startsWithIgnoreCase(s, i + 1, name) || !wordEnds(s, after)) {
                    continue;
                }
                if (nextGt < after) {
                    nextGt = s.indexOf('>', after);
                    if (nextGt < 0) {
                        return finish(out, s, copied); // no start tag can end from here on
                    }
                }
                end = endTag(s, nextGt + 1, name);
                // End tags are compared in any case, so one that is not there after this start tag is not there after a later one.
                unclosed[k] = end < 0;
            }
            if (end < 0) {
                i = s.indexOf('<', i + 1);
                continue;
            }
            out = append(out, s, copied, i);
            copied = end;
            i = s.indexOf('<', end);
        }
        return finish(out, s, copied);
    }

    /** The end of the first {@code </name >} from {@code from}, or -1. */
    private static int endTag(String s, int from, String name) {
        for (int close = s.indexOf("</", from); close >= 0; close = s.indexOf("</", close + 1)) {
            if (startsWithIgnoreCase(s, close + 2, name)) {
                int gt = skipSpace(s, close + 2 + name.length());
                if (gt < s.length() && s.charAt(gt) == '>') {
                    return gt + 1;
                }
            }
        }
        return -1;
    }

    private static String withoutComments(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = s.indexOf("<!--"); i >= 0; i = s.indexOf("<!--", copied)) {
            int end = s.indexOf("-->", i + 4);
            if (end < 0) {
                break;
            }
            out = append(out, s, copied, i);
            copied = end + 3;
        }
        return finish(out, s, copied);
    }

    /** A run of CR and LF in the source is one space: HTML breaks lines where its tags say. */
    private static String sourceBreaksAsSpaces(String s) {
        StringBuilder out = null;
        int copied = 0;
        int cr = s.indexOf('\r');
        int lf = s.indexOf('\n');
        while (cr >= 0 || lf >= 0) {
            int i = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
            int end = i + 1;
            while (end < s.length() && (s.charAt(end) == '\r' || s.charAt(end) == '\n')) {
                end++;
            }
            out = append(out, s, copied, i).append(' ');
            copied = end;
            cr = cr < 0 ? -1 : s.indexOf('\r', end);
            lf = lf < 0 ? -1 : s.indexOf('\n', end);
        }
        return finish(out, s, copied);
    }

    private enum Step { LIST_ITEM, LINE_BREAK, ANY }

    /** One kind of tag replaced: {@code <li ...>} by "\n- ", {@code <br>} and closing block tags by "\n", any other by nothing. */
    private static String tags(String s, Step step) {
        StringBuilder out = null;
        int copied = 0;
        // A '<' after the last '>' starts no tag: stopping there keeps a text full of '<' from being read over and over.
        int lastGt = s.lastIndexOf('>');
        for (int i = s.indexOf('<'); i >= 0 && i < lastGt; ) {
            int end = switch (step) {
                case LIST_ITEM -> startsWithIgnoreCase(s, i + 1, "li") && wordEnds(s, i + 3) ? s.indexOf('>', i + 3) + 1 : 0;
                case LINE_BREAK -> lineBreakEnd(s, i);
                case ANY -> s.indexOf('>', i + 1) + 1;
            };
            if (end <= 0) {
                i = s.indexOf('<', i + 1);
                continue;
            }
            out = append(out, s, copied, i).append(step == Step.LIST_ITEM ? "\n- " : step == Step.LINE_BREAK ? "\n" : "");
            copied = end;
            i = s.indexOf('<', end);
        }
        return finish(out, s, copied);
    }

    /** The end of {@code <br>}, {@code <br/>}, {@code </p>}, {@code </div >} ... at {@code i}, or 0. */
    private static int lineBreakEnd(String s, int i) {
        if (startsWithIgnoreCase(s, i + 1, "br")) {
            int j = skipSpace(s, i + 3);
            if (j < s.length() && s.charAt(j) == '/') {
                j++;
            }
            return j < s.length() && s.charAt(j) == '>' ? j + 1 : 0;
        }
        if (i + 1 < s.length() && s.charAt(i + 1) == '/') {
            for (String name : BLOCK_END) {
                if (startsWithIgnoreCase(s, i + 2, name)) {
                    int j = skipSpace(s, i + 2 + name.length());
                    if (j < s.length() && s.charAt(j) == '>') {
                        return j + 1;
                    }
                }
            }
        }
        return 0;
    }

    /** {@code &#65;}, {@code &#x41;} and the named references above; anything else stays as it is. */
    private static String decodeEntities(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
            int end;
            String replacement;
            if (i + 1 < s.length() && s.charAt(i + 1) == '#') {
                boolean hex = i + 2 < s.length() && (s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X');
                int from = hex ? i + 3 : i + 2;
                end = from;
                while (end < s.length() && end - from < (hex ? 6 : 7) && (hex ? isHexDigit(s.charAt(end)) : isDigit(s.charAt(end)))) {
                    end++;
                }
                if (end == from || end >= s.length() || s.charAt(end) != ';') {
                    continue;
                }
                int cp = Integer.parseInt(s, from, end, hex ? 16 : 10);
                replacement = Character.isValidCodePoint(cp) && cp != 0 ? Character.toString(cp) : "\ufffd";
            } else {
                end = i + 1;
                while (end < s.length() && end - i - 1 < 8 && isAsciiLetter(s.charAt(end))) {
                    end++;
                }
                if (end - i - 1 < 2 || end >= s.length() || s.charAt(end) != ';') {
                    continue;
                }
                replacement = NAMED.getOrDefault(s.substring(i + 1, end).toLowerCase(Locale.ROOT), s.substring(i, end + 1));
            }
            out = append(out, s, copied, i).append(replacement);
            copied = end + 1;
            i = end;
        }
        return finish(out, s, copied);
    }

    /**
     * A run of whitespace becomes one space; one that holds line breaks becomes those line breaks, at most two
     * (one blank line). A single space, the usual run, stays where it is.
     */
    private static String collapseWhitespace(String s) {
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (!isSpace(s.charAt(i))) {
                continue;
            }
            int end = i;
            int breaks = 0;
            for (; end < n && isSpace(s.charAt(end)); end++) {
                breaks += s.charAt(end) == '\n' ? 1 : 0;
            }
            if (end - i > 1 || s.charAt(i) != ' ') {
                out = append(out, s, copied, i).append(breaks == 0 ? " " : breaks == 1 ? "\n" : "\n\n");
                copied = end;
            }
            i = end - 1;
        }
        return finish(out, s, copied);
    }

    private static StringBuilder append(StringBuilder out, String s, int from, int to) {
        if (out == null) {
            out = new StringBuilder(s.length());
        }
        return out.append(s, from, to);
    }

    private static String finish(StringBuilder out, String s, int copied) {
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /** ASCII case-insensitive, as regular expressions compare without UNICODE_CASE. */
    private static boolean startsWithIgnoreCase(String s, int at, String prefix) {
        if (at + prefix.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            char a = s.charAt(at + k);
            char b = prefix.charAt(k);
            if (a != b && !(isAsciiLetter(a) && (a | 0x20) == (b | 0x20))) {
                return false;
            }
        }
        return true;
    }

    /** A word boundary after a tag name, as regular expressions' \b: what follows is not an ASCII letter, digit, '_' or a combining mark. */
    private static boolean wordEnds(String s, int at) {
        if (at >= s.length()) {
            return true;
        }
        char c = s.charAt(at);
        return !(c == '_' || isDigit(c) || isAsciiLetter(c) || Character.getType(s.codePointAt(at)) == Character.NON_SPACING_MARK);
    }

    private static int skipSpace(String s, int at) {
        while (at < s.length() && isSpace(s.charAt(at))) {
            at++;
        }
        return at;
    }

    /** Whitespace as regular expressions' \s means it: space, tab, LF, VT, FF, CR. */
    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
