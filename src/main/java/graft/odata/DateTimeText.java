package graft.odata;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses the date and date-time forms Graph accepts in filters; a value without an offset is taken as UTC. */
final class DateTimeText {
    static final Pattern SHAPE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(?:[Tt]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:[Zz]|[+-]\\d{2}:\\d{2})?)?");

    private DateTimeText() {
    }

    static Optional<Instant> parse(String text) {
        if (!SHAPE.matcher(text).matches()) {
            return Optional.empty();
        }
        String upper = text.toUpperCase(Locale.ROOT);
        try {
            if (upper.length() == 10) {
                return Optional.of(LocalDate.parse(upper).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            char last = upper.charAt(upper.length() - 1);
            boolean hasOffset = last == 'Z' || upper.lastIndexOf('+') > 10 || upper.lastIndexOf('-') > 10;
            if (hasOffset) {
                return Optional.of(OffsetDateTime.parse(upper).toInstant());
            }
            return Optional.of(LocalDateTime.parse(upper).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
