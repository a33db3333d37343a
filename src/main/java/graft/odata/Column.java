package graft.odata;

import java.util.Objects;

/** How a filterable property is stored: the SQL expression to compare and the kind of value it holds. */
public record Column(String sqlExpression, Type type) {

    public enum Type {
        /** Text compared exactly. */
        STRING,
        /** Text compared ignoring case, as Graph does for most string properties. */
        CASE_INSENSITIVE_STRING,
        /** Stored as integer 1 or 0. */
        BOOLEAN,
        /** Stored as epoch milliseconds. */
        DATETIME,
        /** An enum member stored as its lower-case name, for example {@code high}. */
        ENUM_LOWERCASE;

        String edmType() {
            return switch (this) {
                case STRING, CASE_INSENSITIVE_STRING, ENUM_LOWERCASE -> "Edm.String";
                case BOOLEAN -> "Edm.Boolean";
                case DATETIME -> "Edm.DateTimeOffset";
            };
        }

        boolean isText() {
            return this == STRING || this == CASE_INSENSITIVE_STRING || this == ENUM_LOWERCASE;
        }
    }

    public Column {
        Objects.requireNonNull(sqlExpression, "sqlExpression");
        Objects.requireNonNull(type, "type");
    }
}
