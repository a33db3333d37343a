package graft.odata;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class FilterRobustnessTest {

    private static final String[] PIECES = {
        "subject", "isRead", "receivedDateTime", "from/emailAddress/address", "eq", "ne", "lt", "ge", "and", "or",
        "not", "(", ")", ",", "'", "''", "'x'", "true", "null", "2017-04-01", "2017-04-01T10:00:00+02:00", "12",
        "-3.5", "1e99999999999", "startswith(", "contains", "/", ":", " ", "  ", "any(", "\u00e9", "\uD83D\uDE00",
        "$", "%", "\\", "9999-99-99", "_", "EQ", "-", ".", "\u0000", "\n",
    };

    private static final Map<String, Column> COLUMNS = Map.of(
            "subject", new Column("subject", Column.Type.CASE_INSENSITIVE_STRING),
            "isRead", new Column("is_read", Column.Type.BOOLEAN),
            "receivedDateTime", new Column("received_at", Column.Type.DATETIME),
            "from/emailAddress/address", new Column("from_address", Column.Type.STRING));

    @Test
    void garbageFilterOnlyRaisesODataQueryException() {
        Random random = new Random(20170401L);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = i % 2 == 0 ? tokenSoup(random) : charSoup(random);
            try {
                Filter filter = FilterParser.parse(text);
                parsed++;
                SqlFilter.translate(filter, COLUMNS);
                filter.properties();
            } catch (ODataQueryException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | StackOverflowError unexpected) {
                fail("Input <" + text + "> raised " + unexpected, unexpected);
            }
        }
        assertThat(parsed).as("some random inputs should be valid filters").isPositive();
    }

    private static String tokenSoup(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
        }
        return sb.toString();
    }

    private static String charSoup(Random random) {
        String alphabet = "ab eqnotr()',/:-.0123456789TZ+\u00e9\t";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void deepParenthesesAreRejectedWithoutStackOverflow() {
        String deep = "(".repeat(100_000) + "isRead eq true" + ")".repeat(100_000);
        assertThatThrownBy(() -> FilterParser.parse(deep))
                .isInstanceOf(ODataQueryException.class).hasMessageContaining("nested");
    }

    @Test
    void longNotChainIsRejectedWithoutStackOverflow() {
        assertThatThrownBy(() -> FilterParser.parse("not ".repeat(100_000) + "isRead"))
                .isInstanceOf(ODataQueryException.class).hasMessageContaining("nested");
    }

    @Test
    void hugeAndChainIsRejectedWithoutStackOverflow() {
        String chain = String.join(" and ", java.util.Collections.nCopies(100_000, "isRead eq true"));
        assertThatThrownBy(() -> FilterParser.parse(chain))
                .isInstanceOf(ODataQueryException.class).hasMessageContaining("terms");
    }

    @Test
    void nestingJustWithinTheLimitIsAccepted() {
        String nested = "(".repeat(FilterParser.MAX_DEPTH) + "isRead eq true" + ")".repeat(FilterParser.MAX_DEPTH);
        assertThat(SqlFilter.translate(FilterParser.parse(nested), COLUMNS).sql()).isEqualTo("is_read = ?");
    }

    @Test
    void hugeExponentIsRejected() {
        assertThatThrownBy(() -> FilterParser.parse("size gt 1e99999999999"))
                .isInstanceOf(ODataQueryException.class).hasMessageContaining("out of range");
    }
}
