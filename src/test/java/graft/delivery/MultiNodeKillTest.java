package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import graft.store.PgTestDatabase;
import graft.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Graft processes on one PostgreSQL database, relaying to GreenMail, under sendMail load spread over all of
 * them; one is killed with SIGKILL mid-load. Every send that was answered 202 is in Sent Items and in the local
 * recipient's Inbox exactly once and reached the SMTP server at least once. A request that got no answer may or may
 * not have been committed: it may be missing, but never doubled in a mailbox. Duplicates at the SMTP server (the
 * killed node's claims, delivered again after their lease) are counted and reported.
 */
class MultiNodeKillTest {
    private static final int NODES = 3;
    private static final int SENDS = 360;
    private static final int CLIENTS = 8;
    private static final String EXTERNAL = "far@example.org";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private final int[] ports = new int[NODES];
    private final boolean[] dead = new boolean[NODES];
    private PgTestDatabase database;
    private GreenMail smtp;
    private Path dir;

    @BeforeEach
    void start() throws Exception {
        PgTestDatabase.assumeReachable();
        database = PgTestDatabase.create();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        dir = Files.createTempDirectory("graft-multinode");
        String store = database.config(8).url().orElseThrow();
        for (int i = 0; i < NODES; i++) {
            ports[i] = CrashRecoveryTest.freePort();
            Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
            String yaml = TestServer.config("    outbound: relay\n").replace("port: 0, httpsPort: 0", "port: " + ports[i])
                    + "store: { url: \"%s\", user: graft, password: graft, poolSize: 8 }\n".formatted(store)
                    + DeliveryTests.relayYaml(smtp.getSmtp().getPort(), "").replace("lifetime: PT6S", "lifetime: PT10M")
                    + "  claimLease: PT3S\n" + DeliveryTests.ADMIN_YAML;
            Files.writeString(nodeDir.resolve("graft.yaml"), yaml);
            String java = ProcessHandle.current().info().command().orElse("java");
            // All three start at once: they create and migrate the database together, as nodes of a cluster would.
            processes.add(new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    "graft.Main", "serve", "--config", nodeDir.resolve("graft.yaml").toString())
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("graft.log").toFile()).start());
        }
        for (int i = 0; i < NODES; i++) {
            int n = i;
            FakeSmtpServer.await("node " + n + " serving (log: " + dir.resolve("node" + n) + ")", Duration.ofSeconds(40), () -> {
                assertThat(processes.get(n).isAlive()).as("node %d is running; see %s", n, dir.resolve("node" + n + "/graft.log")).isTrue();
                try {
                    return call(n, "GET", "/admin/queue", DeliveryTests.ADMIN_TOKEN, null).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @AfterEach
    void stop() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            p.waitFor();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aNodeKilledMidLoadLosesNothingAcceptedAndLocalMailboxesGetEachMessageOnce() throws Exception {
        String token = token();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        int victim = NODES - 1;
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < CLIENTS; k++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < SENDS; i = next.getAndIncrement()) {
                        String subject = "load " + i;
                        int node = i % NODES;
                        for (int tries = 0; ; tries++) {
                            while (dead[node]) {
                                node = (node + 1) % NODES;
                            }
                            try {
                                HttpResponse<String> r = call(node, "POST", "/v1.0/users/" + TestServer.ALICE + "/sendMail", token, body(subject));
                                if (r.statusCode() == 202) {
                                    accepted.add(subject);
                                    break;
                                }
                                if (r.statusCode() == 503 && tries < 20) { // not applied: the same request may be made again
                                    unavailable.incrementAndGet();
                                    node = (node + 1) % NODES;
                                    continue;
                                }
                                failures.add(subject + ": " + r.statusCode() + " " + r.body());
                                break;
                            } catch (ConnectException e) {
                                dead[node] = true; // nothing reached the node: safe to send elsewhere
                            } catch (IOException e) {
                                unknown.add(subject); // sent, never answered: perhaps committed
                                break;
                            }
                        }
                        if (answered.incrementAndGet() == SENDS / 3) {
                            dead[victim] = true;
                            processes.get(victim).destroyForcibly();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(failures).as("answers other than 202 and 503").isEmpty();
        assertThat(processes.get(victim).isAlive()).isFalse();

        FakeSmtpServer.await("the outbox drained by the surviving nodes", Duration.ofSeconds(40), () -> pendingEntries() == 0);

        Map<String, Long> sent = counts(subjects(TestServer.ALICE, "sentitems"));
        Map<String, Long> inbox = counts(subjects(TestServer.BOB, "inbox"));
        Map<String, Long> relayed = counts(java.util.Arrays.stream(smtp.getReceivedMessages()).map(MultiNodeKillTest::subject).toList());
        Map<String, Long> duplicates = new TreeMap<>(relayed.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        System.out.printf("multi-node kill test: %d sends in %.1f s, %d accepted, %d unanswered (node killed), %d answered 503;"
                        + " SMTP server got %d messages, %d of them more than once: %s%n", SENDS, loadSeconds, accepted.size(),
                unknown.size(), unavailable.get(), smtp.getReceivedMessages().length, duplicates.size(), duplicates);

        for (String s : accepted) {
            assertThat(sent.get(s)).as("Sent Items holds %s", s).isEqualTo(1L);
            assertThat(inbox.get(s)).as("Bob's Inbox holds %s", s).isEqualTo(1L);
            assertThat(relayed.getOrDefault(s, 0L)).as("the SMTP server got %s", s).isPositive();
        }
        for (Map<String, Long> mailbox : List.of(sent, inbox)) {
            assertThat(mailbox.keySet()).allMatch(s -> accepted.contains(s) || unknown.contains(s));
            assertThat(mailbox.values()).as("no message twice in a mailbox").allMatch(n -> n == 1L);
        }
        assertThat(relayed.keySet()).allMatch(s -> accepted.contains(s) || unknown.contains(s));
        assertThat(accepted.size() + unknown.size()).isEqualTo(SENDS);
    }

    private String body(String subject) {
        return """
                {"message": {"subject": "%s", "body": {"contentType": "text", "content": "%s"},
                 "toRecipients": [{"emailAddress": {"address": "%s"}}, {"emailAddress": {"address": "%s"}}]},
                 "saveToSentItems": true}""".formatted(subject, "x".repeat(200), TestServer.BOB, EXTERNAL);
    }

    private String token() throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/" + TestServer.TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + TestServer.APP + "&client_secret="
                        + TestServer.SECRET + "&scope=" + TestServer.enc("https://graph.microsoft.com/.default"))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return DeliveryTests.json(r.body()).path("access_token").asText();
    }

    private HttpResponse<String> call(int node, String method, String path, String token, String json) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[node] + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Subjects of a folder, read through a surviving node. */
    private List<String> subjects(String user, String folder) throws IOException {
        HttpResponse<String> r = call(0, "GET", "/v1.0/users/" + user + "/mailFolders/" + folder + "/messages?$top=1000&$select=subject",
                token(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode page = DeliveryTests.json(r.body());
        assertThat(page.has("@odata.nextLink")).as("one page holds them all").isFalse();
        List<String> out = new ArrayList<>();
        page.path("value").forEach(m -> out.add(m.path("subject").asText()));
        return out;
    }

    private long pendingEntries() {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'deferred')")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static Map<String, Long> counts(List<String> subjects) {
        return subjects.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
