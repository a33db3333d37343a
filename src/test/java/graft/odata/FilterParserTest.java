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
import graft.odata.Literal.NumberLit;
import graft.odata.Literal.StringLit;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterParserTest {

    private static Comparison cmp(String property, Op op, Literal value) {
        return new Comparison(property, op, value);
    }

    @Test
    void propertyPathEqualsString() {
        assertThat(FilterParser.parse("from/emailAddress/address eq 'someuser@example.com'"))
                .isEqualTo(cmp("from/emailAddress/address", Op.EQ, new StringLit("someuser@example.com")));
    }

    @Test
    void dateRangeKeepsPropertyNamesAsWritten() {
        Filter f = FilterParser.parse("ReceivedDateTime ge 2017-04-01 and receivedDateTime lt 2017-05-01");
        assertThat(f).isEqualTo(new And(
                cmp("ReceivedDateTime", Op.GE, new DateTimeLit(Instant.parse("2017-04-01T00:00:00Z"))),
                cmp("receivedDateTime", Op.LT, new DateTimeLit(Instant.parse("2017-05-01T00:00:00Z")))));
    }

    @Test
    void booleanLiterals() {
        assertThat(FilterParser.parse("isRead eq false")).isEqualTo(cmp("isRead", Op.EQ, new BoolLit(false)));
        assertThat(FilterParser.parse("hasAttachments eq true")).isEqualTo(cmp("hasAttachments", Op.EQ, new BoolLit(true)));
    }

    @Test
    void doubledQuoteInStringLiteralIsOneQuote() {
        assertThat(FilterParser.parse("subject eq 'let''s meet for lunch?'"))
                .isEqualTo(cmp("subject", Op.EQ, new StringLit("let's meet for lunch?")));
        assertThat(FilterParser.parse("subject eq ''''")).isEqualTo(cmp("subject", Op.EQ, new StringLit("'")));
        assertThat(FilterParser.parse("subject eq ''")).isEqualTo(cmp("subject", Op.EQ, new StringLit("")));
    }

    @Test
    void subjectAndImportance() {
        assertThat(FilterParser.parse("Subject eq 'welcome' and importance eq 'normal'")).isEqualTo(new And(
                cmp("Subject", Op.EQ, new StringLit("welcome")), cmp("importance", Op.EQ, new StringLit("normal"))));
    }

    @Test
    void angleBracketsInsideStringAreLiteralText() {
        assertThat(FilterParser.parse("internetMessageId eq '<abc@x.com>'"))
                .isEqualTo(cmp("internetMessageId", Op.EQ, new StringLit("<abc@x.com>")));
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(FilterParser.parse("isRead EQ TRUE And hasAttachments Ne False OR NOT isRead eq Null"))
                .isEqualTo(new Or(
                        new And(cmp("isRead", Op.EQ, new BoolLit(true)), cmp("hasAttachments", Op.NE, new BoolLit(false))),
                        new Not(cmp("isRead", Op.EQ, new NullLit()))));
    }

    @Test
    void andBindsTighterThanOr() {
        Filter a = cmp("a", Op.EQ, new NumberLit(BigDecimal.ONE));
        Filter b = cmp("b", Op.EQ, new NumberLit(BigDecimal.valueOf(2)));
        Filter c = cmp("c", Op.EQ, new NumberLit(BigDecimal.valueOf(3)));
        assertThat(FilterParser.parse("a eq 1 or b eq 2 and c eq 3")).isEqualTo(new Or(a, new And(b, c)));
        assertThat(FilterParser.parse("a eq 1 and b eq 2 or c eq 3")).isEqualTo(new Or(new And(a, b), c));
    }

    @Test
    void parenthesesOverridePrecedence() {
        Filter a = cmp("a", Op.EQ, new StringLit("x"));
        Filter b = cmp("b", Op.EQ, new StringLit("y"));
        Filter c = cmp("c", Op.EQ, new StringLit("z"));
        assertThat(FilterParser.parse("(a eq 'x' or b eq 'y') and c eq 'z'")).isEqualTo(new And(new Or(a, b), c));
    }

    @Test
    void notBindsTighterThanAnd() {
        Filter a = cmp("a", Op.EQ, new BoolLit(true));
        Filter b = cmp("b", Op.EQ, new BoolLit(true));
        assertThat(FilterParser.parse("not a eq true and b eq true")).isEqualTo(new And(new Not(a), b));
        assertThat(FilterParser.parse("not (a eq true and b eq true)")).isEqualTo(new Not(new And(a, b)));
    }

    @Test
    void reversedComparisonIsNormalisedAndMirrored() {
        assertThat(FilterParser.parse("'x' eq subject")).isEqualTo(cmp("subject", Op.EQ, new StringLit("x")));
        assertThat(FilterParser.parse("2017-04-01 lt receivedDateTime"))
                .isEqualTo(cmp("receivedDateTime", Op.GT, new DateTimeLit(Instant.parse("2017-04-01T00:00:00Z"))));
        assertThat(FilterParser.parse("5 ge size")).isEqualTo(cmp("size", Op.LE, new NumberLit(BigDecimal.valueOf(5))));
    }

    @Test
    void dateTimeForms() {
        assertThat(value("d eq 2017-04-01T10:00:00Z")).isEqualTo(Instant.parse("2017-04-01T10:00:00Z"));
        assertThat(value("d eq 2017-04-01T10:00:00.1234567Z")).isEqualTo(Instant.parse("2017-04-01T10:00:00.1234567Z"));
        assertThat(value("d eq 2017-04-01T10:00:00+02:00")).isEqualTo(Instant.parse("2017-04-01T08:00:00Z"));
        assertThat(value("d eq 2017-04-01T10:00:00-05:30")).isEqualTo(Instant.parse("2017-04-01T15:30:00Z"));
        assertThat(value("d eq 2017-04-01T10:00Z")).isEqualTo(Instant.parse("2017-04-01T10:00:00Z"));
        assertThat(value("d eq 2017-04-01T10:00:00")).isEqualTo(Instant.parse("2017-04-01T10:00:00Z"));
    }

    private static Instant value(String filter) {
        return ((DateTimeLit) ((Comparison) FilterParser.parse(filter)).value()).value();
    }

    @Test
    void invalidCalendarDateIsRejected() {
        assertThatThrownBy(() -> FilterParser.parse("d eq 2017-13-01"))
                .isInstanceOf(ODataQueryException.class).hasMessageContaining("2017-13-01");
    }

    @Test
    void numbersParseAsDecimals() {
        assertThat(FilterParser.parse("size gt -1.5e3")).isEqualTo(cmp("size", Op.GT, new NumberLit(new BigDecimal("-1.5e3"))));
    }

    @Test
    void stringFunctionsAreLowerCasedAndKeepTheirArgument() {
        assertThat(FilterParser.parse("StartsWith(subject,'Re: ')"))
                .isEqualTo(new Function("startswith", "subject", new StringLit("Re: ")));
        assertThat(FilterParser.parse("contains( from/emailAddress/name , 'bob' )"))
                .isEqualTo(new Function("contains", "from/emailAddress/name", new StringLit("bob")));
        assertThat(FilterParser.parse("endswith(subject,'x') eq false"))
                .isEqualTo(new Not(new Function("endswith", "subject", new StringLit("x"))));
        assertThat(FilterParser.parse("startswith(subject,'x') eq true"))
                .isEqualTo(new Function("startswith", "subject", new StringLit("x")));
    }

    @Test
    void bareBooleanPropertyMeansEqualsTrue() {
        assertThat(FilterParser.parse("not isRead")).isEqualTo(new Not(cmp("isRead", Op.EQ, new BoolLit(true))));
    }

    @Test
    void whitespaceIsTolerated() {
        assertThat(FilterParser.parse("  \t(isRead   eq\nfalse)  ")).isEqualTo(cmp("isRead", Op.EQ, new BoolLit(false)));
    }

    @Test
    void propertiesAreListedInFirstAppearanceOrder() {
        Filter f = FilterParser.parse("'x' eq subject and (receivedDateTime ge 2017-01-01 or not contains(Subject,'a'))"
                + " and subject ne 'y' and startswith(from/emailAddress/address,'a')");
        assertThat(f.properties()).containsExactly("subject", "receivedDateTime", "Subject", "from/emailAddress/address");
    }

    @Test
    void syntaxErrorsNamePositionAndExpectation() {
        assertThatThrownBy(() -> FilterParser.parse("subject eq"))
                .isInstanceOfSatisfying(ODataQueryException.class, e -> assertThat(e.code()).isEqualTo("BadRequest"))
                .hasMessage("Invalid filter clause: Syntax error at position 10: expected a property, a literal,"
                        + " a function call or '(' but found the end of the expression.");
        assertThatThrownBy(() -> FilterParser.parse("subject eq 'a' foo"))
                .hasMessage("Invalid filter clause: Syntax error at position 15: expected 'and', 'or' or the end"
                        + " of the expression but found 'foo'.");
        assertThatThrownBy(() -> FilterParser.parse("(isRead eq true"))
                .hasMessageContaining("expected ')'");
    }

    @Test
    void unterminatedStringIsRejected() {
        assertThatThrownBy(() -> FilterParser.parse("subject eq 'abc"))
                .isInstanceOf(ODataQueryException.class)
                .hasMessage("Invalid filter clause: Unterminated string literal starting at position 11.");
    }

    @Test
    void unsupportedConstructsAreRejectedClearly() {
        assertThatThrownBy(() -> FilterParser.parse("tolower(subject) eq 'a'")).hasMessageContaining("Unknown function 'tolower'");
        assertThatThrownBy(() -> FilterParser.parse("categories/any(c:c eq 'Red')")).hasMessageContaining("lambda operator 'any'");
        assertThatThrownBy(() -> FilterParser.parse("subject eq body")).hasMessageContaining("two properties");
        assertThatThrownBy(() -> FilterParser.parse("1 eq 1")).hasMessageContaining("two constants");
        assertThatThrownBy(() -> FilterParser.parse("'abc'")).hasMessageContaining("comparison operator");
        assertThatThrownBy(() -> FilterParser.parse("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> FilterParser.parse("size eq 12abc")).hasMessageContaining("Malformed literal '12abc'");
    }
}
