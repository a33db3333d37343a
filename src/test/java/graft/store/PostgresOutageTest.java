package graft.store;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.Json;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Graft node on PostgreSQL whose database goes away and comes back: requests in between are told 503 with
 * Retry-After in Graph's envelope, nothing is half-applied, and the node serves again by itself afterwards.
 * The outage is a cut proxy between node and database, or, when {@code GRAFT_TEST_PG_CONTROL} names a command
 * such as {@code "pg_ctlcluster 15 main"}, a real stop and start of the server with it.
 */
class PostgresOutageTest {
    private static final String ALICE = "/v1.0/users/" + TestServer.ALICE;
    private static PgTestDatabase database;
    private static TcpProxy proxy;
    private static TestServer node;

    @BeforeAll
    static void start() throws IOException {
        if (!PgTestDatabase.reachable()) {
            return; // every test is skipped, with the reason, by requirePostgres
        }
        database = PgTestDatabase.create();
        proxy = TcpProxy.to(PgTestDatabase.serverHostPort());
        var store = database.configVia(proxy.hostPort(), 8);
        node = TestServer.start("store: { url: \"%s\", user: \"%s\", password: \"%s\", poolSize: 8 }\n"
                .formatted(store.url().orElseThrow(), store.user(), store.password()));
    }

    @BeforeEach
    void requirePostgres() {
        PgTestDatabase.assumeReachable();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void duringADatabaseOutageRequestsGet503WithRetryAfterAndAfterwardsSendsSucceedWithNothingHalfApplied() throws Exception {
        String token = node.appToken();
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        send(token, "before", accepted, refused);
        assertThat(accepted).containsExactly("before");

        outage(true);
        try {
            assertUnavailable(send(token, "during", accepted, refused));
            assertUnavailable(node.call("GET", ALICE + "/messages", token, null));
        } finally {
            outage(false);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int n = 0;
        while (!accepted.contains("after " + (n - 1)) && System.nanoTime() < deadline) {
            HttpResponse<String> r = send(token, "after " + n++, accepted, refused);
            if (r.statusCode() != 202) {
                assertUnavailable(r); // the database is still coming back: the same answer, never anything else
                Thread.sleep(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) * 100L);
            }
        }
        assertThat(accepted).as("a send succeeds once the database is back").hasSizeGreaterThan(1);

        assertThat(subjects(token, "sentitems")).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(subjects(node.appToken(), "/v1.0/users/" + TestServer.BOB, "inbox")).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(outboxEntries("ext-%")).isEqualTo(accepted.size());
        assertThat(refused).isNotEmpty().doesNotContainAnyElementsOf(accepted);
    }

    @Test
    void aDatabaseOutageUnderConcurrentLoadGives503sThenSuccessAndLosesOrDoublesNothing() throws Exception {
        String token = node.appToken();
        int clients = 8;
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger acceptedAfterOutage = new AtomicInteger();
        AtomicBoolean outageOver = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                int client = k;
                done.add(threads.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String subject = "load " + client + "-" + i;
                        // A 503 promises that nothing was applied: the client sends the very same message again.
                        for (int tries = 0; tries < 200; tries++) {
                            HttpResponse<String> r = loadSend(token, subject);
                            if (r.statusCode() == 202) {
                                accepted.add(subject);
                                if (outageOver.get()) {
                                    acceptedAfterOutage.incrementAndGet();
                                }
                                break;
                            }
                            if (r.statusCode() != 503) {
                                // Only a commit whose answer was lost with the database may end like this.
                                unknown.add(subject);
                                unexpected.add(subject + ": " + r.statusCode() + " " + r.body());
                                break;
                            }
                            assertUnavailable(r);
                            unavailable.incrementAndGet();
                            Thread.sleep(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) * 100L);
                        }
                    }
                    return null;
                }));
            }
            try {
                awaitCount("sends accepted before the outage", accepted::size, 40, done);
                outage(true);
                try {
                    awaitCount("503 answers during the outage", unavailable::get, clients, done);
                    Thread.sleep(1_000); // an outage of some length: clients keep retrying meanwhile
                } finally {
                    outage(false);
                    outageOver.set(true);
                }
                awaitCount("sends accepted after the outage", acceptedAfterOutage::get, 40, done);
            } finally {
                stop.set(true);
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(unexpected).as("answers other than 202 and 503 (lost commit answers)").hasSizeLessThanOrEqualTo(clients);

        Map<String, Long> sent = counts(subjects(token, "/v1.0/users/" + TestServer.CAROL, "sentitems"));
        Map<String, Long> inbox = counts(subjects(token, "/v1.0/users/" + TestServer.CAROL, "inbox"));
        for (String s : accepted) {
            assertThat(sent.get(s)).as("Sent Items holds %s once", s).isEqualTo(1L);
            assertThat(inbox.get(s)).as("the Inbox holds %s once", s).isEqualTo(1L);
        }
        for (Map<String, Long> folder : List.of(sent, inbox)) {
            assertThat(folder.keySet()).allMatch(s -> accepted.contains(s) || unknown.contains(s));
            assertThat(folder.values()).as("nothing twice").allMatch(n -> n == 1L);
        }
        assertThat(outboxEntries("load-%")).isEqualTo(sent.size());
        System.out.printf("database outage under load: %d sends accepted, %d answered 503 (then retried), %d unknown%n",
                accepted.size(), unavailable.get(), unknown.size());
    }

    /** Carol to herself and to one external address, so this test's mail stays apart from the other tests'. */
    private static HttpResponse<String> loadSend(String token, String subject) {
        String body = """
                {"message": {"subject": "%s", "body": {"contentType": "text", "content": "x"},
                 "toRecipients": [{"emailAddress": {"address": "%s"}}, {"emailAddress": {"address": "load-%s@example.net"}}]},
                 "saveToSentItems": true}""".formatted(subject, TestServer.CAROL, subject.replace(' ', '-'));
        return node.call("POST", "/v1.0/users/" + TestServer.CAROL + "/sendMail", token, body);
    }

    private static Map<String, Long> counts(List<String> subjects) {
        return subjects.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Waits, bounded, for a count to reach a value; a client that failed ends the wait with its failure. */
    private static void awaitCount(String what, IntSupplier count, int atLeast, List<Future<?>> clients) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count.getAsInt() < atLeast) {
            for (Future<?> c : clients) {
                if (c.isDone()) {
                    c.get();
                }
            }
            assertThat(System.nanoTime() - deadline).as("timed out waiting for %s (%d of %d)", what, count.getAsInt(), atLeast).isNegative();
            Thread.sleep(20);
        }
    }

    @Test
    void connectionsKilledByTheServerAreReplacedWithoutTheClientNoticing() throws Exception {
        String token = node.appToken();
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        send(token, "warm-up", accepted, refused);

        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'graft' AND pid <> pg_backend_pid()");
        }
        HttpResponse<String> r = send(token, "after the kill", accepted, refused);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(subjects(token, "sentitems")).contains("warm-up", "after the kill");
    }

    private static HttpResponse<String> send(String token, String subject, List<String> accepted, List<String> refused) {
        String unique = subject;
        String body = """
                {"message": {"subject": "%s", "body": {"contentType": "text", "content": "x"},
                 "toRecipients": [{"emailAddress": {"address": "%s"}}, {"emailAddress": {"address": "ext-%s@example.net"}}]},
                 "saveToSentItems": true}""".formatted(unique, TestServer.BOB, UUID.randomUUID());
        HttpResponse<String> r = node.call("POST", ALICE + "/sendMail", token, body);
        (r.statusCode() == 202 ? accepted : refused).add(unique);
        return r;
    }

    private static void assertUnavailable(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(error.path("innerError").path("request-id").asText()).isNotEmpty();
    }

    private static List<String> subjects(String token, String folder) throws IOException {
        return subjects(token, ALICE, folder);
    }

    private static List<String> subjects(String token, String user, String folder) throws IOException {
        HttpResponse<String> r = node.call("GET", user + "/mailFolders/" + folder + "/messages?$top=1000&$select=subject", token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        Json.MAPPER.readTree(r.body()).path("value").forEach(m -> out.add(m.path("subject").asText()));
        return out;
    }

    private static long outboxEntries(String recipientLike) throws Exception {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE recipient LIKE ?")) {
            ps.setString(1, recipientLike);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Cuts the proxy, or stops the real server when a control command is given; {@code false} ends the outage. */
    private static void outage(boolean begin) throws Exception {
        String control = System.getenv("GRAFT_TEST_PG_CONTROL");
        if (control == null || control.isBlank()) {
            if (begin) {
                proxy.cut();
            } else {
                proxy.restore();
            }
            return;
        }
        List<String> command = new ArrayList<>(List.of(control.trim().split("\\s+")));
        command.add(begin ? "stop" : "start");
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }
}
