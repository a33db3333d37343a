package graft.store;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Database#read} and {@link Database#write} as every caller relies on them. */
interface TransactionsContract extends StoreUnderTest {

    @Test
    default void aRuntimeExceptionRollsBackOnlyTheWorkThatThrewIt() throws Exception {
        String mailbox = UUID.randomUUID().toString();
        Map<Integer, RuntimeException> thrown = new ConcurrentHashMap<>();
        Map<Integer, Throwable> caught = new ConcurrentHashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    try {
                        db().write(c -> {
                            insertFolder(c, mailbox, "f" + n);
                            if (n % 2 == 1) {
                                RuntimeException e = new IllegalStateException("refused " + n);
                                thrown.put(n, e);
                                throw e;
                            }
                            return null;
                        });
                    } catch (RuntimeException e) {
                        caught.put(n, e);
                    }
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        }
        assertThat(caught).hasSize(20);
        caught.forEach((n, e) -> assertThat(e).isSameAs(thrown.get(n)));
        assertThat(folderNames(mailbox)).hasSize(20).allSatisfy(name -> assertThat(Integer.parseInt(name.substring(1)) % 2).isZero());
    }

    @Test
    default void aFailedStatementIsAStoreFailureThatIsNotTransientAndTheStoreGoesOn() {
        String mailbox = UUID.randomUUID().toString();
        db().write(c -> insertFolder(c, mailbox, "taken"));

        assertThatThrownBy(() -> db().write(c -> {
            insertFolder(c, mailbox, "lost");
            return insertFolder(c, mailbox, "taken"); // same id: a primary key violation
        })).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isTransient()).isFalse());

        db().write(c -> insertFolder(c, mailbox, "after"));
        assertThat(folderNames(mailbox)).containsExactlyInAnyOrder("taken", "after");
    }

    @Test
    default void anErrorInsideAWriteRollsItBackAndLaterWritesStillCommit() {
        String mailbox = UUID.randomUUID().toString();

        assertThatThrownBy(() -> db().write(c -> {
            insertFolder(c, mailbox, "lost");
            throw new StackOverflowError("deep recursion in some work");
        })).hasMessageContaining("deep recursion");

        db().write(c -> insertFolder(c, mailbox, "after"));
        assertThat(folderNames(mailbox)).containsExactly("after");
    }

    @Test
    default void workInsideAWriteSeesItsOwnChangesAlsoThroughNestedCalls() {
        String mailbox = UUID.randomUUID().toString();
        List<String> seen = db().write(c -> {
            insertFolder(c, mailbox, "inner");
            db().write(nested -> insertFolder(nested, mailbox, "nested"));
            return db().read(nested -> names(nested, mailbox));
        });
        assertThat(seen).containsExactlyInAnyOrder("inner", "nested");
    }

    @Test
    default void aWriteIsVisibleToAnotherNodeOnceItReturns() {
        String mailbox = UUID.randomUUID().toString();
        try (Database other = openAnother()) {
            List<String> before = other.read(c -> names(c, mailbox));
            db().write(c -> insertFolder(c, mailbox, "shared"));
            List<String> after = other.read(c -> names(c, mailbox));
            assertThat(before).isEmpty();
            assertThat(after).containsExactly("shared");
        }
    }

    private List<String> folderNames(String mailbox) {
        return db().read(c -> names(c, mailbox));
    }

    private static int insertFolder(Connection c, String mailbox, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mail_folders (id, mailbox_id, display_name) VALUES (?, ?, ?)")) {
            ps.setString(1, mailbox + "/" + name);
            ps.setString(2, mailbox);
            ps.setString(3, name);
            return ps.executeUpdate();
        }
    }

    private static List<String> names(Connection c, String mailbox) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT display_name FROM mail_folders WHERE mailbox_id = ?")) {
            ps.setString(1, mailbox);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
