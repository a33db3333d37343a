package graft.odata;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits a {@code $filter} text into tokens; positions are 0-based character offsets. */
final class FilterLexer {

    enum Kind { IDENT, STRING, NUMBER, DATETIME, LPAREN, RPAREN, COMMA, SLASH, COLON, END }

    /** {@code value} is the unescaped string, a BigDecimal or an Instant for literal tokens. */
    record Token(Kind kind, String text, int position, Object value) {
        String describe() {
            return kind == Kind.END ? "the end of the expression" : "'" + text + "'";
        }
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

    private final String text;
    private int pos;

    private FilterLexer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String text) {
        return new FilterLexer(text).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (pos >= text.length()) {
                tokens.add(new Token(Kind.END, "", pos, null));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = text.charAt(pos);
        switch (c) {
            case '(' -> {
                return single(Kind.LPAREN);
            }
            case ')' -> {
                return single(Kind.RPAREN);
            }
            case ',' -> {
                return single(Kind.COMMA);
            }
            case '/' -> {
                return single(Kind.SLASH);
            }
            case ':' -> {
                return single(Kind.COLON);
            }
            case '\'' -> {
                return string();
            }
            default -> {
            }
        }
        if (isIdentStart(c)) {
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.IDENT, text.substring(start, pos), start, null);
        }
        if (Character.isDigit(c) || (c == '-' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
            return numberOrDateTime();
        }
        throw ODataQueryException.invalidFilter(
                "Unexpected character '" + new String(Character.toChars(text.codePointAt(pos))) + "' at position " + start + ".");
    }

    private Token single(Kind kind) {
        pos++;
        return new Token(kind, text.substring(pos - 1, pos), pos - 1, null);
    }

    private Token string() {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c != '\'') {
                value.append(c);
            } else if (pos < text.length() && text.charAt(pos) == '\'') {
                value.append('\'');
                pos++;
            } else {
                return new Token(Kind.STRING, text.substring(start, pos), start, value.toString());
            }
        }
        throw ODataQueryException.invalidFilter("Unterminated string literal starting at position " + start + ".");
    }

    private Token numberOrDateTime() {
        int start = pos;
        Matcher date = DateTimeText.SHAPE.matcher(text).region(pos, text.length());
        if (date.lookingAt()) {
            String raw = date.group();
            pos = date.end();
            requireBoundary(start);
            Instant instant = DateTimeText.parse(raw).orElseThrow(() -> ODataQueryException.invalidFilter(
                    "'" + raw + "' at position " + start + " is not a valid date or date-time."));
            return new Token(Kind.DATETIME, raw, start, instant);
        }
        Matcher number = NUMBER.matcher(text).region(pos, text.length());
        if (!number.lookingAt()) {
            throw ODataQueryException.invalidFilter("Malformed number at position " + start + ".");
        }
        pos = number.end();
        requireBoundary(start);
        String raw = number.group();
        try {
            return new Token(Kind.NUMBER, raw, start, new BigDecimal(raw));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ODataQueryException.invalidFilter("Number '" + raw + "' at position " + start + " is out of range.");
        }
    }

    /** Rejects literals glued to a name or another number, such as {@code 12abc} or {@code 1.2.3}. */
    private void requireBoundary(int start) {
        if (pos < text.length() && (isIdentPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
            int end = pos;
            while (end < text.length() && (isIdentPart(text.charAt(end)) || text.charAt(end) == '.')) {
                end++;
            }
            throw ODataQueryException.invalidFilter(
                    "Malformed literal '" + text.substring(start, end) + "' at position " + start + ".");
        }
    }

    private static boolean isIdentStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isIdentPart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
