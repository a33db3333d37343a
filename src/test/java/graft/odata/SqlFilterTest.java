package graft.odata;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlFilterTest {

    static final Map<String, Column> COLUMNS = Map.of(
            "subject", new Column("subject", Column.Type.CASE_INSENSITIVE_STRING),
            "internetMessageId", new Column("internet_message_id", Column.Type.STRING),
            "from/emailAddress/address", new Column("from_address", Column.Type.CASE_INSENSITIVE_STRING),
            "isRead", new Column("is_read", Column.Type.BOOLEAN),
            "hasAttachments", new Column("has_attachments", Column.Type.BOOLEAN),
            "receivedDateTime", new Column("received_at", Column.Type.DATETIME),
            "importance", new Column("importance", Column.Type.ENUM_LOWERCASE));

    private static SqlFragment sql(String filter) {
        return SqlFilter.translate(FilterParser.parse(filter), COLUMNS, "microsoft.graph.message");
    }

    @Test
    void booleanComparesAsInteger() {
        assertThat(sql("isRead eq false")).isEqualTo(new SqlFragment("is_read = ?", List.of(0)));
        assertThat(sql("hasAttachments eq true")).isEqualTo(new SqlFragment("has_attachments = ?", List.of(1)));
    }

    @Test
    void propertyLookupIgnoresCase() {
        SqlFragment f = sql("ReceivedDateTime ge 2017-04-01 and receivedDateTime lt 2017-05-01");
        assertThat(f.sql()).isEqualTo("(received_at >= ? AND received_at < ?)");
        assertThat(f.params()).containsExactly(
                Instant.parse("2017-04-01T00:00:00Z").toEpochMilli(), Instant.parse("2017-05-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void dateTimeInQuotesIsAccepted() {
        assertThat(sql("receivedDateTime gt '2017-04-01T10:00:00+02:00'").params())
                .containsExactly(Instant.parse("2017-04-01T08:00:00Z").toEpochMilli());
    }

    @Test
    void caseInsensitiveStringUsesLowerOnBothSides() {
        assertThat(sql("from/emailAddress/address eq 'someuser@example.com'"))
                .isEqualTo(new SqlFragment("lower(from_address) = lower(?)", List.of("someuser@example.com")));
        assertThat(sql("subject eq 'let''s meet for lunch?'").params()).containsExactly("let's meet for lunch?");
    }

    @Test
    void exactStringComparesAsIs() {
        assertThat(sql("internetMessageId eq '<abc@x.com>'"))
                .isEqualTo(new SqlFragment("internet_message_id = ?", List.of("<abc@x.com>")));
    }

    @Test
    void enumValueIsLowerCased() {
        assertThat(sql("Subject eq 'welcome' and importance eq 'Normal'"))
                .isEqualTo(new SqlFragment("(lower(subject) = lower(?) AND importance = ?)", List.of("welcome", "normal")));
    }

    @Test
    void notEqualAlsoMatchesNull() {
        assertThat(sql("internetMessageId ne 'a'"))
                .isEqualTo(new SqlFragment("(internet_message_id <> ? OR internet_message_id IS NULL)", List.of("a")));
    }

    @Test
    void nullComparisonsUseIsNull() {
        assertThat(sql("subject eq null")).isEqualTo(new SqlFragment("subject IS NULL", List.of()));
        assertThat(sql("null ne subject")).isEqualTo(new SqlFragment("subject IS NOT NULL", List.of()));
    }

    @Test
    void notAndOrAreParenthesised() {
        assertThat(sql("not (isRead eq true or hasAttachments eq true)").sql())
                .isEqualTo("(NOT COALESCE((is_read = ? OR has_attachments = ?), FALSE))");
    }

    @Test
    void stringFunctionsBecomeEscapedLike() {
        assertThat(sql("startswith(subject,'50%_off\\')"))
                .isEqualTo(new SqlFragment("lower(subject) LIKE lower(?) ESCAPE '\\'", List.of("50\\%\\_off\\\\%")));
        assertThat(sql("contains(subject,'a')").params()).containsExactly("%a%");
        assertThat(sql("endswith(subject,'a')").params()).containsExactly("%a");
    }

    @Test
    void functionOnNonStringPropertyIsRejected() {
        assertThatThrownBy(() -> sql("contains(isRead,'a')"))
                .hasMessage("Invalid filter clause: No function signature for the function with name 'contains'"
                        + " matches the specified arguments.");
    }

    @Test
    void incompatibleLiteralIsRejectedWithEdmTypes() {
        assertThatThrownBy(() -> sql("isRead eq 'yes'"))
                .isInstanceOfSatisfying(ODataQueryException.class, e -> assertThat(e.code()).isEqualTo("BadRequest"))
                .hasMessage("Invalid filter clause: A binary operator with incompatible types was detected."
                        + " Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.");
        assertThatThrownBy(() -> sql("receivedDateTime le 'soon'")).hasMessageContaining(
                "'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'LessThanOrEqual'");
        assertThatThrownBy(() -> sql("subject ne 5")).hasMessageContaining(
                "'Edm.String' and 'Edm.Int32' for operator kind 'NotEqual'");
    }

    @Test
    void unknownPropertyNamesTheType() {
        assertThatThrownBy(() -> SqlFilter.translate(FilterParser.parse("bogus eq 1"), COLUMNS, "microsoft.graph.event"))
                .isInstanceOfSatisfying(ODataQueryException.class, e -> assertThat(e.code()).isEqualTo("ErrorInvalidProperty"))
                .hasMessage("Could not find a property named 'bogus' on type 'microsoft.graph.event'.");
    }

    @Test
    void orderByBuildsSqlAndLowersCaseInsensitiveColumns() {
        assertThat(SqlFilter.orderBy(List.of(new OrderBy("ReceivedDateTime", true), new OrderBy("subject", false)),
                COLUMNS, "microsoft.graph.message")).isEqualTo("received_at DESC, lower(subject) ASC");
        assertThat(SqlFilter.orderBy(List.of(), COLUMNS)).isEmpty();
        assertThatThrownBy(() -> SqlFilter.orderBy(List.of(new OrderBy("nope", false)), COLUMNS))
                .hasMessage("Could not find a property named 'nope' on type 'microsoft.graph.message'.");
    }
}
