package graft.odata;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs translated filters against SQLite so the SQL is checked for meaning, not only for shape. */
class SqlFilterSqliteTest {
    private Connection db;

    @BeforeEach
    void createMessages() throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE m (id INTEGER, subject TEXT, internet_message_id TEXT, from_address TEXT,"
                    + " is_read INTEGER, has_attachments INTEGER, received_at INTEGER, importance TEXT)");
            s.execute("INSERT INTO m VALUES"
                    + " (1, 'Welcome', '<abc@x.com>', 'SomeUser@Example.com', 0, 1, 1491100000000, 'normal'),"
                    + " (2, 'let''s meet for lunch?', '<def@x.com>', 'other@example.com', 1, 0, 1493000000000, 'high'),"
                    + " (3, NULL, NULL, NULL, 1, 0, 1496000000000, 'low'),"
                    + " (4, '100% off_now', '<g@x.com>', 'a@b.c', 0, 0, 1489000000000, 'normal')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private List<Integer> ids(String filter) throws SQLException {
        SqlFragment f = SqlFilter.translate(FilterParser.parse(filter), SqlFilterTest.COLUMNS);
        try (PreparedStatement ps = db.prepareStatement("SELECT id FROM m WHERE " + f.sql() + " ORDER BY id")) {
            for (int i = 0; i < f.params().size(); i++) {
                ps.setObject(i + 1, f.params().get(i));
            }
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            return ids;
        }
    }

    @Test
    void graphDocumentationExamplesSelectTheExpectedRows() throws SQLException {
        assertThat(ids("from/emailAddress/address eq 'someuser@example.com'")).containsExactly(1);
        assertThat(ids("ReceivedDateTime ge 2017-04-01 and receivedDateTime lt 2017-05-01")).containsExactly(1, 2);
        assertThat(ids("isRead eq false")).containsExactly(1, 4);
        assertThat(ids("subject eq 'let''s meet for lunch?'")).containsExactly(2);
        assertThat(ids("Subject eq 'welcome' and importance eq 'normal'")).containsExactly(1);
        assertThat(ids("internetMessageId eq '<abc@x.com>'")).containsExactly(1);
        assertThat(ids("hasAttachments eq true")).containsExactly(1);
    }

    @Test
    void nullRowsFollowODataSemanticsUnderNotAndNe() throws SQLException {
        assertThat(ids("subject ne 'welcome'")).containsExactly(2, 3, 4);
        assertThat(ids("not (subject eq 'welcome')")).containsExactly(2, 3, 4);
        assertThat(ids("not startswith(subject,'w')")).containsExactly(2, 3, 4);
        assertThat(ids("subject eq null")).containsExactly(3);
    }

    @Test
    void likeWildcardsInArgumentsMatchLiterally() throws SQLException {
        assertThat(ids("contains(subject,'% off_')")).containsExactly(4);
        assertThat(ids("contains(subject,'_')")).containsExactly(4);
        assertThat(ids("startswith(subject,'LET')")).containsExactly(2);
        assertThat(ids("endswith(subject,'?')")).containsExactly(2);
    }
}
