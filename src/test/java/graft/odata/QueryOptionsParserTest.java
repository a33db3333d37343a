package graft.odata;

import graft.odata.Filter.Comparison;
import graft.odata.Filter.Op;
import graft.odata.Literal.BoolLit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryOptionsParserTest {

    private static QueryOptions parse(String... pairs) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.add(Map.entry(pairs[i], pairs[i + 1]));
        }
        return QueryOptionsParser.parse(params);
    }

    private static void assertRejected(String code, String message, String... pairs) {
        assertThatThrownBy(() -> parse(pairs))
                .isInstanceOfSatisfying(ODataQueryException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessage(message);
    }

    @Test
    void noParametersMeansDefaults() {
        assertThat(parse()).isEqualTo(QueryOptions.none());
        assertThat(parse().skip()).isZero();
        assertThat(parse().top()).isEmpty();
    }

    @Test
    void allOptionsAreRead() {
        QueryOptions q = parse("$filter", "isRead eq false", "$orderby", "receivedDateTime desc", "$top", "5",
                "$skip", "10", "$count", "TRUE", "$select", " subject , ,from ", "$search", "\"pizza\"",
                "$expand", "attachments", "$format", "json", "$skiptoken", "abc");
        assertThat(q.filter()).contains(new Comparison("isRead", Op.EQ, new BoolLit(false)));
        assertThat(q.orderBy()).containsExactly(new OrderBy("receivedDateTime", true));
        assertThat(q.top()).hasValue(5);
        assertThat(q.skip()).isEqualTo(10);
        assertThat(q.count()).isTrue();
        assertThat(q.select()).contains(List.of("subject", "from"));
        assertThat(q.search()).contains("\"pizza\"");
        assertThat(q.expand()).contains("attachments");
    }

    @Test
    void namesMatchCaseInsensitivelyAndWithoutDollar() {
        QueryOptions q = parse("TOP", "7", "$SELECT", "*", "Skip", "3");
        assertThat(q.top()).hasValue(7);
        assertThat(q.select()).contains(List.of("*"));
        assertThat(q.skip()).isEqualTo(3);
    }

    @Test
    void unrelatedParametersAreIgnored() {
        assertThat(parse("foo", "bar", "$unknown", "1", "api-version", "2")).isEqualTo(QueryOptions.none());
    }

    @Test
    void repeatedOptionIsRejectedUnderItsCanonicalName() {
        assertRejected("BadRequest", "Query option '$top' was specified more than once", "$top", "1", "top", "2");
        assertRejected("BadRequest", "Query option '$filter' was specified more than once",
                "$Filter", "isRead eq true", "$filter", "isRead eq true");
    }

    @Test
    void topAbove1000IsRejected() {
        assertRejected("ErrorInvalidUrlQuery", "The value of the $top parameter must be between 1 and 1000.", "$top", "1001");
        assertRejected("ErrorInvalidUrlQuery", "The value of the $top parameter must be between 1 and 1000.",
                "$top", "99999999999999999999");
        assertThat(parse("$top", "1000").top()).hasValue(1000);
    }

    @Test
    void topZeroIsRejected() {
        assertRejected("ErrorInvalidUrlQuery", "The value of the $top parameter must be between 1 and 1000.", "$top", "0");
    }

    @Test
    void negativeOrNonIntegerTopIsBadRequest() {
        for (String v : List.of("-1", "abc", "1.5", "")) {
            assertRejected("BadRequest", "Invalid value '" + v + "' for $top query option found."
                    + " The $top query option requires a non-negative integer value.", "$top", v);
        }
    }

    @Test
    void skipMustBeANonNegativeInteger() {
        assertRejected("BadRequest", "Invalid value '-2' for $skip query option found."
                + " The $skip query option requires a non-negative integer value.", "$skip", "-2");
        assertRejected("BadRequest", "Invalid value 'x' for $skip query option found."
                + " The $skip query option requires a non-negative integer value.", "$skip", "x");
        assertThat(parse("$skip", "0").skip()).isZero();
        assertThat(parse("$skip", "99999999999").skip()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void countAcceptsOnlyTrueOrFalse() {
        assertThat(parse("$count", "False").count()).isFalse();
        assertRejected("BadRequest", "Invalid value for $count query option: 'yes'", "$count", "yes");
    }

    @Test
    void emptySelectMeansNoSelection() {
        assertThat(parse("$select", " , ").select()).isEmpty();
    }

    @Test
    void orderByAcceptsPathsDirectionsAndWhitespace() {
        assertThat(parse("$orderby", "  from/emailAddress/address ASC ,receivedDateTime   desc,subject").orderBy())
                .containsExactly(new OrderBy("from/emailAddress/address", false),
                        new OrderBy("receivedDateTime", true), new OrderBy("subject", false));
    }

    @Test
    void orderByWithBadDirectionReportsPosition() {
        assertRejected("BadRequest", "Syntax error at position 22 in 'receivedDateTime descc'.",
                "$orderby", "receivedDateTime descc");
        assertRejected("BadRequest", "Syntax error at position 18 in 'subject desc extra'.",
                "$orderby", "subject desc extra");
        assertRejected("BadRequest", "Syntax error at position 9 in 'subject,,'.", "$orderby", "subject,,");
    }

    @Test
    void formatOtherThanJsonIsRejected() {
        assertThat(parse("$format", "application/json").top()).isEmpty();
        assertRejected("BadRequest", "The $format query option is not supported with value 'xml'.", "$format", "xml");
    }

    @Test
    void filterErrorsPropagate() {
        assertThatThrownBy(() -> parse("$filter", "isRead eq"))
                .isInstanceOf(ODataQueryException.class).hasMessageStartingWith("Invalid filter clause: ");
    }

    @Test
    void nullValueIsTreatedAsEmpty() {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(new java.util.AbstractMap.SimpleEntry<>("$count", null));
        assertThatThrownBy(() -> QueryOptionsParser.parse(params)).hasMessage("Invalid value for $count query option: ''");
    }
}
