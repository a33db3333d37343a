package graft.odata;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the OData system query options out of already percent-decoded query parameters. */
public final class QueryOptionsParser {
    static final int MAX_TOP = 1000;

    private static final Set<String> OPTIONS = Set.of(
            "$filter", "$orderby", "$top", "$skip", "$count", "$select", "$search", "$expand", "$format", "$skiptoken");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private QueryOptionsParser() {
    }

    public static QueryOptions parse(List<Map.Entry<String, String>> params) {
        Map<String, String> options = new HashMap<>();
        for (Map.Entry<String, String> param : params) {
            String name = canonicalName(param.getKey());
            if (name == null) {
                continue;
            }
            String value = param.getValue() == null ? "" : param.getValue();
            if (options.putIfAbsent(name, value) != null) {
                throw ODataQueryException.badRequest("Query option '" + name + "' was specified more than once");
            }
        }
        String format = options.get("$format");
        if (format != null && !isJson(format)) {
            throw ODataQueryException.badRequest("The $format query option is not supported with value '" + format + "'.");
        }
        String filter = options.get("$filter");
        String orderBy = options.get("$orderby");
        return new QueryOptions(
                filter == null || filter.isBlank() ? Optional.empty() : Optional.of(FilterParser.parse(filter)),
                orderBy == null ? List.of() : parseOrderBy(orderBy),
                parseTop(options.get("$top")),
                parseSkip(options.get("$skip")),
                parseCount(options.get("$count")),
                Optional.ofNullable(options.get("$select")).flatMap(QueryOptionsParser::parseSelect),
                Optional.ofNullable(options.get("$search")),
                Optional.ofNullable(options.get("$expand")));
    }

    /** The {@code $name} of a recognised option, or null for parameters that are not OData options. */
    private static String canonicalName(String key) {
        if (key == null) {
            return null;
        }
        String lower = key.trim().toLowerCase(Locale.ROOT);
        String name = lower.startsWith("$") ? lower : "$" + lower;
        return OPTIONS.contains(name) ? name : null;
    }

    private static boolean isJson(String format) {
        String f = format.trim().toLowerCase(Locale.ROOT);
        return f.equals("json") || f.equals("application/json") || f.startsWith("application/json;");
    }

    private static OptionalInt parseTop(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        BigInteger n = integer(value);
        if (n == null || n.signum() < 0) {
            throw ODataQueryException.badRequest("Invalid value '" + value
                    + "' for $top query option found. The $top query option requires a non-negative integer value.");
        }
        if (n.signum() == 0 || n.compareTo(BigInteger.valueOf(MAX_TOP)) > 0) {
            throw new ODataQueryException("ErrorInvalidUrlQuery", "The value of the $top parameter must be between 1 and 1000.");
        }
        return OptionalInt.of(n.intValue());
    }

    private static int parseSkip(String value) {
        if (value == null) {
            return 0;
        }
        BigInteger n = integer(value);
        if (n == null || n.signum() < 0) {
            throw ODataQueryException.badRequest("Invalid value '" + value
                    + "' for $skip query option found. The $skip query option requires a non-negative integer value.");
        }
        // Skipping past every row has the same result however far past it is.
        return n.min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    private static BigInteger integer(String value) {
        String trimmed = value.trim();
        return INTEGER.matcher(trimmed).matches() ? new BigInteger(trimmed) : null;
    }

    private static boolean parseCount(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ODataQueryException.badRequest("Invalid value for $count query option: '" + value + "'");
        };
    }

    private static Optional<List<String>> parseSelect(String value) {
        List<String> names = new ArrayList<>();
        for (String item : value.split(",")) {
            String name = item.trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(names));
    }

    /** Positions in errors point just past the offending text, as OData's own lexer reports them. */
    static List<OrderBy> parseOrderBy(String text) {
        List<OrderBy> items = new ArrayList<>();
        if (text.isBlank()) {
            return items;
        }
        int i = 0;
        int n = text.length();
        while (true) {
            i = skipSpace(text, i);
            int start = i;
            i = identifier(text, i);
            if (i == start) {
                throw orderBySyntax(Math.min(i + 1, n), text);
            }
            while (i < n && text.charAt(i) == '/') {
                int segment = i + 1;
                i = identifier(text, segment);
                if (i == segment) {
                    throw orderBySyntax(Math.min(i + 1, n), text);
                }
            }
            String path = text.substring(start, i);
            i = skipSpace(text, i);
            boolean descending = false;
            int wordStart = i;
            i = identifier(text, i);
            if (i > wordStart) {
                String direction = text.substring(wordStart, i).toLowerCase(Locale.ROOT);
                if (!direction.equals("asc") && !direction.equals("desc")) {
                    throw orderBySyntax(i, text);
                }
                descending = direction.equals("desc");
                i = skipSpace(text, i);
            }
            items.add(new OrderBy(path, descending));
            if (i >= n) {
                return items;
            }
            if (text.charAt(i) != ',') {
                int end = identifier(text, i);
                throw orderBySyntax(end > i ? end : i + 1, text);
            }
            i++;
        }
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int identifier(String text, int i) {
        if (i < text.length() && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                i++;
            }
        }
        return i;
    }

    private static ODataQueryException orderBySyntax(int position, String text) {
        return ODataQueryException.badRequest("Syntax error at position " + position + " in '" + text + "'.");
    }
}
