package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import graft.Main;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static graft.delivery.DeliveryTests.ADMIN_TOKEN;
import static graft.delivery.DeliveryTests.awaitState;
import static graft.delivery.DeliveryTests.sendMail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery through a scripted SMTP server: one transaction per message, retries after 4xx and outages,
 * bounces after 5xx or expiry, and the admin API, metrics and CLI that show it. Retry clocks are shortened.
 */
class RetryAndBounceTest {
    static FakeSmtpServer smtp;
    static TestServer server;
    static String token;
    static final AtomicInteger greylisted = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        smtp = new FakeSmtpServer(null).start();
        smtp.rcptReply = r -> {
            if (r.startsWith("unknown")) {
                return "550 5.1.1 <" + r + ">: Recipient address rejected: User unknown";
            }
            if (r.startsWith("always-busy")) {
                return "451 4.3.0 try again later";
            }
            if (r.startsWith("greylist") && greylisted.getAndIncrement() == 0) {
                return "451 4.7.1 Greylisted, please try again";
            }
            return null;
        };
        server = TestServer.start(DeliveryTests.relayYaml(smtp.port(), "") + DeliveryTests.ADMIN_YAML, "    outbound: relay\n");
        token = server.appToken();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        smtp.close();
    }

    static List<FakeSmtpServer.Transaction> transactionsWith(String subject) {
        return smtp.transactions.stream().filter(t -> t.data().contains("Subject: " + subject + "\r\n")).toList();
    }

    @Test
    void severalRecipientsOfOneMessageShareOneSmtpTransaction() {
        var m = DeliveryTests.message("Team update", "hi all", List.of("a@example.org", "b@example.org"), List.of("c@example.net"),
                List.of("d@example.com", TestServer.BOB));
        sendMail(server, token, TestServer.ALICE, m);

        FakeSmtpServer.await("the transaction", Duration.ofSeconds(10), () -> !transactionsWith("Team update").isEmpty());
        awaitState(server, "d@example.com", "delivered");
        List<FakeSmtpServer.Transaction> t = transactionsWith("Team update");
        assertThat(t).hasSize(1);
        assertThat(t.getFirst().mailFrom()).startsWith("<" + TestServer.ALICE + ">");
        assertThat(t.getFirst().recipients()).containsExactlyInAnyOrder("a@example.org", "b@example.org", "c@example.net", "d@example.com");
        assertThat(t.getFirst().data()).doesNotContainIgnoringCase("bcc:");
    }

    @Test
    void greylisted451IsDeliveredOnRetry() {
        sendMail(server, token, "Greylisted", "greylist@example.org");

        JsonNode entry = awaitState(server, "greylist@example.org", "delivered");
        assertThat(entry.path("attempts").asInt()).isEqualTo(2);
        assertThat(transactionsWith("Greylisted")).hasSize(1);
    }

    @Test
    void rejected550BouncesToTheSendersInboxWithoutRetry() throws Exception {
        String bobToken = server.userToken(TestServer.BOB, "Mail.Send Mail.ReadWrite");
        sendMail(server, bobToken, TestServer.BOB, DeliveryTests.message("Budget 2025", "numbers", List.of("unknown@example.org", "known@example.org"),
                List.of(), List.of()));

        JsonNode entry = awaitState(server, "unknown@example.org", "bounced");
        assertThat(entry.path("attempts").asInt()).isEqualTo(1);
        assertThat(entry.path("lastReply").asText()).startsWith("550 5.1.1");
        awaitState(server, "known@example.org", "delivered");

        JsonNode ndr = awaitInbox(bobToken, "Undeliverable: Budget 2025");
        assertThat(ndr.path("from").path("emailAddress").path("address").asText()).isEqualTo("postmaster@contoso.test");
        String body = ndr.path("body").path("content").asText();
        assertThat(body).contains("unknown@example.org").contains("550 5.1.1").contains("Budget 2025").doesNotContain("to known@example.org");
        assertThat(ndr.path("isRead").asBoolean()).isFalse();

        // the report's RFC 3464 part is stored with it, so its MIME form is a multipart/report
        String ndrId = ndr.path("id").asText();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("graft.db"));
             var ps = c.prepareStatement("SELECT delivery_status, original_headers FROM delivery_reports WHERE message_id = ?")) {
            ps.setString(1, ndrId);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("Final-Recipient: rfc822; unknown@example.org").contains("Action: failed")
                        .contains("Status: 5.1.1").contains("Diagnostic-Code: smtp; 550 5.1.1");
                assertThat(rs.getString(2)).contains("Subject: Budget 2025");
            }
        }
        Thread.sleep(600); // longer than the retry backoff: a retry would have happened by now
        assertThat(DeliveryTests.trace(server, "unknown@example.org").getFirst().path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void serverDownForAWhileIsDeliveredOnceItIsBack() throws Exception {
        try (FakeSmtpServer other = new FakeSmtpServer(null)) {
            smtp.stop();
            try {
                sendMail(server, token, "During outage", "outage@example.org");
                FakeSmtpServer.await("two failed attempts", Duration.ofSeconds(10),
                        () -> DeliveryTests.trace(server, "outage@example.org").getFirst().path("attempts").asInt() >= 2);
                JsonNode deferred = DeliveryTests.trace(server, "outage@example.org").getFirst();
                assertThat(deferred.path("state").asText()).isEqualTo("deferred");
                assertThat(deferred.path("lastReply").asText()).startsWith("421 4.4.1 cannot reach relay");
            } finally {
                smtp.startOn(smtp.port());
            }
        }
        awaitState(server, "outage@example.org", "delivered");
        assertThat(transactionsWith("During outage")).hasSize(1);
    }

    @Test
    void temporaryFailuresUntilTheLifetimeEndsBounce() {
        sendMail(server, token, "Never accepted", "always-busy@example.org");

        JsonNode entry = awaitState(server, "always-busy@example.org", "bounced");
        assertThat(entry.path("attempts").asInt()).isGreaterThan(2);
        assertThat(entry.path("lastReply").asText()).startsWith("451");
        awaitInbox(token == null ? null : server.userToken(TestServer.ALICE, "Mail.ReadWrite"), "Undeliverable: Never accepted");
    }

    @Test
    void adminApiNeedsTheAdminToken() {
        assertThat(server.call("GET", "/admin/trace", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = server.call("GET", "/admin/queue", "not-the-token", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(DeliveryTests.json(wrong.body()).path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(server.call("GET", "/metrics", token, null).statusCode()).as("a Graph token is no admin token").isEqualTo(401);
        assertThat(server.call("POST", "/admin/queue/1/retry", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void deferredEntryCanBeRetriedByHandAndShowsInQueueAndCli() throws Exception {
        sendMail(server, token, "Stuck", "always-busy-2@example.org");
        FakeSmtpServer.await("a failed attempt", Duration.ofSeconds(10),
                () -> DeliveryTests.trace(server, "always-busy-2@example.org").getFirst().path("attempts").asInt() >= 1);
        long id = DeliveryTests.trace(server, "always-busy-2@example.org").getFirst().path("id").asLong();

        JsonNode queue = DeliveryTests.json(server.call("GET", "/admin/queue", ADMIN_TOKEN, null).body());
        assertThat(queue.path("value").valueStream().map(e -> e.path("id").asLong())).contains(id);

        int before = DeliveryTests.trace(server, "always-busy-2@example.org").getFirst().path("attempts").asInt();
        HttpResponse<String> retry = server.call("POST", "/admin/queue/" + id + "/retry", ADMIN_TOKEN, null);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        FakeSmtpServer.await("another attempt", Duration.ofSeconds(10),
                () -> DeliveryTests.trace(server, "always-busy-2@example.org").getFirst().path("attempts").asInt() > before);

        String out = cli("queue", "--url", server.base(), "--token", ADMIN_TOKEN);
        assertThat(out).contains("RECIPIENT").contains("always-busy-2@example.org");
        String retried = cli("queue", "retry", String.valueOf(id), "--url", server.base(), "--token", ADMIN_TOKEN);
        assertThat(retried).contains("entry " + id);
        assertThat(cli("trace", "--url", server.base(), "--token", ADMIN_TOKEN, "--recipient", "always-busy-2@example.org"))
                .contains("always-busy-2@example.org").contains("451");

        awaitState(server, "always-busy-2@example.org", "bounced");
        assertThat(server.call("POST", "/admin/queue/" + id + "/retry", ADMIN_TOKEN, null).statusCode())
                .as("a bounced entry is not requeued").isEqualTo(404);
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        sendMail(server, token, "Counted", "counted@example.org");
        awaitState(server, "counted@example.org", "delivered");

        HttpResponse<String> r = server.call("GET", "/metrics", ADMIN_TOKEN, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(r.body()).contains("# TYPE graft_outbox_queue_length gauge").contains("graft_outbox_oldest_age_seconds ")
                .contains("graft_outbox_entries{state=\"delivered\"} ").containsPattern("(?m)^graft_delivery_delivered_total [1-9]")
                .contains("graft_delivery_temporary_failures_total").contains("graft_delivery_permanent_failures_total")
                .contains("graft_delivery_bounced_total").contains("graft_delivery_captured_total");
    }

    static JsonNode awaitInbox(String userToken, String subject) {
        JsonNode[] found = new JsonNode[1];
        FakeSmtpServer.await("'" + subject + "' in the Inbox", Duration.ofSeconds(20), () -> {
            HttpResponse<String> r = server.call("GET", "/v1.0/me/mailFolders/inbox/messages?$top=50", userToken, null);
            for (JsonNode m : DeliveryTests.json(r.body()).path("value")) {
                if (m.path("subject").asText().equals(subject)) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static String cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).isZero();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
