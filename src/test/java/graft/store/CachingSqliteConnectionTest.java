package graft.store;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachingSqliteConnectionTest {
    @Test
    void reusesStatementsAndCopesWithNestingAndFailures() throws SQLException {
        try (Connection c = new CachingSqliteConnection("jdbc:sqlite::memory:", new Properties())) {
            c.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            String insert = "INSERT INTO t (id, v) VALUES (?, ?)";
            for (int i = 1; i <= 3; i++) {
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            // A failed execution leaves the cached statement usable, and its parameters do not leak to the next use.
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setInt(1, 1);
                ps.setString(2, "duplicate");
                assertThrows(SQLException.class, ps::executeUpdate);
            }
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setInt(1, 4);
                assertThrows(SQLException.class, ps::executeUpdate); // v unbound: NULL, not "duplicate"
            }
            String select = "SELECT v FROM t WHERE id >= ? ORDER BY id";
            try (PreparedStatement outer = c.prepareStatement(select)) {
                outer.setInt(1, 1);
                try (ResultSet rs = outer.executeQuery()) {
                    assertTrue(rs.next());
                    // The same SQL while the first is open gets a statement of its own.
                    try (PreparedStatement inner = c.prepareStatement(select)) {
                        inner.setInt(1, 3);
                        try (ResultSet r2 = inner.executeQuery()) {
                            assertTrue(r2.next());
                            assertEquals("v3", r2.getString(1));
                        }
                    }
                    assertEquals("v1", rs.getString(1));
                    assertSame(c, outer.getConnection());
                }
            }
            PreparedStatement closed = c.prepareStatement(select);
            closed.close();
            assertTrue(closed.isClosed());
            assertThrows(SQLException.class, closed::executeQuery);
        }
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondItsCapacityEvenWhileOneIsOpen() throws SQLException {
        try (Connection c = new CachingSqliteConnection("jdbc:sqlite::memory:", new Properties())) {
            PreparedStatement first = c.prepareStatement("SELECT 0");
            try (ResultSet rs = first.executeQuery()) {
                assertTrue(rs.next());
                for (int i = 1; i <= 200; i++) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + i);
                         ResultSet r = ps.executeQuery()) {
                        assertTrue(r.next());
                        assertEquals(i, r.getInt(1));
                    }
                }
                assertEquals(0, rs.getInt(1), "evicted while open: still usable until closed");
            }
            first.close();
            assertTrue(first.isClosed());
            try (PreparedStatement again = c.prepareStatement("SELECT 0"); ResultSet rs = again.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1));
            }
        }
    }
}
