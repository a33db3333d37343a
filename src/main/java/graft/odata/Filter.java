package graft.odata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** A parsed {@code $filter} expression; comparisons are normalised to {@code property op literal}. */
public sealed interface Filter {

    enum Op {
        EQ("=", "Equal"),
        NE("<>", "NotEqual"),
        LT("<", "LessThan"),
        LE("<=", "LessThanOrEqual"),
        GT(">", "GreaterThan"),
        GE(">=", "GreaterThanOrEqual");

        private final String sql;
        private final String kind;

        Op(String sql, String kind) {
            this.sql = sql;
            this.kind = kind;
        }

        /** The SQL comparison operator. */
        public String sql() {
            return sql;
        }

        /** The operator kind name OData uses in error messages. */
        public String kind() {
            return kind;
        }

        /** The operator that keeps the meaning when both operands swap sides. */
        public Op mirror() {
            return switch (this) {
                case EQ, NE -> this;
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
            };
        }

        public static Op fromKeyword(String keyword) {
            try {
                return Op.valueOf(keyword.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    record Comparison(String property, Op op, Literal value) implements Filter {
        public Comparison {
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }
    }

    record And(Filter left, Filter right) implements Filter {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Or(Filter left, Filter right) implements Filter {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Not(Filter inner) implements Filter {
        public Not {
            Objects.requireNonNull(inner, "inner");
        }
    }

    /** A string function call such as {@code startswith(subject,'x')}; {@code name} is lower case. */
    record Function(String name, String property, Literal argument) implements Filter {
        public Function {
            name = name.toLowerCase(Locale.ROOT);
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(argument, "argument");
        }
    }

    /** Property paths in the order they first appear, left to right, without repeats. */
    default List<String> properties() {
        Set<String> seen = new LinkedHashSet<>();
        Deque<Filter> pending = new ArrayDeque<>();
        pending.push(this);
        while (!pending.isEmpty()) {
            switch (pending.pop()) {
                case Comparison c -> seen.add(c.property());
                case Function f -> seen.add(f.property());
                case Not n -> pending.push(n.inner());
                case And a -> {
                    pending.push(a.right());
                    pending.push(a.left());
                }
                case Or o -> {
                    pending.push(o.right());
                    pending.push(o.left());
                }
            }
        }
        return List.copyOf(seen);
    }
}
