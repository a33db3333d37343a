package graft.odata;

import graft.odata.Filter.And;
import graft.odata.Filter.Comparison;
import graft.odata.Filter.Function;
import graft.odata.Filter.Not;
import graft.odata.Filter.Op;
import graft.odata.Filter.Or;
import graft.odata.Literal.BoolLit;
import graft.odata.Literal.DateTimeLit;
import graft.odata.Literal.NullLit;
import graft.odata.Literal.StringLit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a {@link Filter} into a SQL condition that runs unchanged on SQLite and PostgreSQL.
 * Comparisons follow OData null semantics: {@code ne} matches nulls and {@code not} treats an unknown result as false.
 */
public final class SqlFilter {
    public static final String MESSAGE_TYPE = "microsoft.graph.message";

    private final Map<String, Column> columns;
    private final String typeName;
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private SqlFilter(Map<String, Column> columns, String typeName) {
        this.columns = columns;
        this.typeName = typeName;
    }

    public static SqlFragment translate(Filter filter, Map<String, Column> columns) {
        return translate(filter, columns, MESSAGE_TYPE);
    }

    public static SqlFragment translate(Filter filter, Map<String, Column> columns, String typeName) {
        SqlFilter translator = new SqlFilter(columns, typeName);
        translator.append(filter);
        return new SqlFragment(translator.sql.toString(), translator.params);
    }

    public static String orderBy(List<OrderBy> orderBy, Map<String, Column> columns) {
        return orderBy(orderBy, columns, MESSAGE_TYPE);
    }

    /** An ORDER BY list without the keyword, for example {@code received_at DESC, lower(subject) ASC}. */
    public static String orderBy(List<OrderBy> orderBy, Map<String, Column> columns, String typeName) {
        List<String> parts = new ArrayList<>();
        for (OrderBy item : orderBy) {
            Column column = lookup(columns, item.property(), typeName);
            String expr = column.type() == Column.Type.CASE_INSENSITIVE_STRING
                    ? "lower(" + column.sqlExpression() + ")"
                    : column.sqlExpression();
            parts.add(expr + (item.descending() ? " DESC" : " ASC"));
        }
        return String.join(", ", parts);
    }

    private void append(Filter filter) {
        switch (filter) {
            case And a -> binary(a.left(), " AND ", a.right());
            case Or o -> binary(o.left(), " OR ", o.right());
            case Not n -> {
                sql.append("(NOT COALESCE(");
                append(n.inner());
                sql.append(", FALSE))");
            }
            case Comparison c -> comparison(c);
            case Function f -> function(f);
        }
    }

    private void binary(Filter left, String operator, Filter right) {
        sql.append('(');
        append(left);
        sql.append(operator);
        append(right);
        sql.append(')');
    }

    private void comparison(Comparison c) {
        Column column = lookup(columns, c.property(), typeName);
        String expr = column.sqlExpression();
        Literal value = c.value();
        if (value instanceof NullLit) {
            switch (c.op()) {
                case EQ -> sql.append(expr).append(" IS NULL");
                case NE -> sql.append(expr).append(" IS NOT NULL");
                default -> sql.append("1 = 0");
            }
            return;
        }
        Object param = bindValue(column, c.op(), value);
        String left = expr;
        String placeholder = "?";
        if (column.type() == Column.Type.CASE_INSENSITIVE_STRING) {
            left = "lower(" + expr + ")";
            placeholder = "lower(?)";
        }
        if (c.op() == Op.NE) {
            sql.append('(').append(left).append(" <> ").append(placeholder)
                    .append(" OR ").append(expr).append(" IS NULL)");
        } else {
            sql.append(left).append(' ').append(c.op().sql()).append(' ').append(placeholder);
        }
        params.add(param);
    }

    private static Object bindValue(Column column, Op op, Literal value) {
        switch (column.type()) {
            case BOOLEAN -> {
                if (value instanceof BoolLit(boolean b)) {
                    return b ? 1 : 0;
                }
            }
            case DATETIME -> {
                Optional<Instant> instant = switch (value) {
                    case DateTimeLit(Instant i) -> Optional.of(i);
                    case StringLit(String s) -> DateTimeText.parse(s.trim());
                    default -> Optional.empty();
                };
                if (instant.isPresent()) {
                    return instant.get().toEpochMilli();
                }
            }
            case STRING, CASE_INSENSITIVE_STRING -> {
                if (value instanceof StringLit(String s)) {
                    return s;
                }
            }
            case ENUM_LOWERCASE -> {
                if (value instanceof StringLit(String s)) {
                    return s.toLowerCase(Locale.ROOT);
                }
            }
        }
        throw ODataQueryException.invalidFilter("A binary operator with incompatible types was detected. Found operand types '"
                + column.type().edmType() + "' and '" + value.edmType() + "' for operator kind '" + op.kind() + "'.");
    }

    private void function(Function f) {
        Column column = lookup(columns, f.property(), typeName);
        if (!column.type().isText() || !(f.argument() instanceof StringLit(String argument))) {
            throw ODataQueryException.invalidFilter("No function signature for the function with name '"
                    + f.name() + "' matches the specified arguments.");
        }
        String escaped = escapeLike(argument);
        String pattern = switch (f.name()) {
            case "startswith" -> escaped + "%";
            case "endswith" -> "%" + escaped;
            case "contains" -> "%" + escaped + "%";
            default -> throw ODataQueryException.invalidFilter("Unknown function '" + f.name() + "'.");
        };
        sql.append("lower(").append(column.sqlExpression()).append(") LIKE lower(?) ESCAPE '\\'");
        params.add(pattern);
    }

    static String escapeLike(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static Column lookup(Map<String, Column> columns, String property, String typeName) {
        Column exact = columns.get(property);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Column> e : columns.entrySet()) {
            if (e.getKey().equalsIgnoreCase(property)) {
                return e.getValue();
            }
        }
        throw new ODataQueryException("ErrorInvalidProperty",
                "Could not find a property named '" + property + "' on type '" + typeName + "'.");
    }
}
