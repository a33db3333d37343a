package graft.odata;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A constant operand in a {@code $filter} expression. */
public sealed interface Literal {

    /** The EDM type name used in Graph's type-mismatch messages. */
    String edmType();

    record StringLit(String value) implements Literal {
        public StringLit {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String edmType() {
            return "Edm.String";
        }
    }

    record BoolLit(boolean value) implements Literal {
        @Override
        public String edmType() {
            return "Edm.Boolean";
        }
    }

    record NullLit() implements Literal {
        @Override
        public String edmType() {
            return "null";
        }
    }

    record NumberLit(BigDecimal value) implements Literal {
        public NumberLit {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String edmType() {
            if (value.scale() <= 0) {
                try {
                    long v = value.longValueExact();
                    return v == (int) v ? "Edm.Int32" : "Edm.Int64";
                } catch (ArithmeticException tooLarge) {
                    return "Edm.Decimal";
                }
            }
            return "Edm.Decimal";
        }
    }

    record DateTimeLit(Instant value) implements Literal {
        public DateTimeLit {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String edmType() {
            return "Edm.DateTimeOffset";
        }
    }
}
