package graft.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import graft.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simple load driver, not a test: N Graft processes (SQLite, or PostgreSQL when a store URL is given) relaying to
 * GreenMail in this JVM; C clients send M sendMail requests of about 2 KB, round-robin over the nodes, each to one
 * local and one external recipient. Prints accepted sends per second and the time until every message reached SMTP.
 * <pre>java -cp &lt;test classpath&gt; graft.delivery.ThroughputBench NODES MESSAGES CLIENTS [jdbc:postgresql://…/db]</pre>
 */
public final class ThroughputBench {
    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int messages = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        String store = args.length > 3 ? args[3] : null;
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        Path dir = Files.createTempDirectory("graft-throughput");
        List<Process> processes = new ArrayList<>();
        int[] ports = new int[nodes];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            for (int i = 0; i < nodes; i++) {
                ports[i] = CrashRecoveryTest.freePort();
                Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
                String yaml = TestServer.config("    outbound: relay\n").replace("port: 0, httpsPort: 0", "port: " + ports[i])
                        + (store == null ? "" : "store: { url: \"%s\", user: graft, password: graft, poolSize: 16 }\n".formatted(store))
                        + "delivery:\n  relay: { host: 127.0.0.1, port: %d }\n".formatted(smtp.getSmtp().getPort());
                Files.writeString(nodeDir.resolve("graft.yaml"), yaml);
                String java = ProcessHandle.current().info().command().orElse("java");
                processes.add(new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "graft.Main", "serve",
                        "--config", nodeDir.resolve("graft.yaml").toString())
                        .redirectErrorStream(true).redirectOutput(nodeDir.resolve("graft.log").toFile()).start());
            }
            for (int port : ports) {
                FakeSmtpServer.await("node on " + port, Duration.ofSeconds(60), () -> {
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + TestServer.TENANT
                                + "/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            HttpResponse<String> t = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/" + TestServer.TENANT
                    + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + TestServer.APP
                            + "&client_secret=" + TestServer.SECRET + "&scope=" + TestServer.enc("https://graph.microsoft.com/.default")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String token = DeliveryTests.json(t.body()).path("access_token").asText();
            String content = "y".repeat(2048);
            // Warm-up, so that the figures are not those of a cold JIT.
            run(http, ports, token, content, Math.min(200, messages / 10), clients, "warm-up ");
            smtp.waitForIncomingEmail(60_000, Math.min(200, messages / 10));
            int before = smtp.getReceivedMessages().length;
            long start = System.nanoTime();
            int accepted = run(http, ports, token, content, messages, clients, "bench ");
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            smtp.waitForIncomingEmail(300_000, before + accepted);
            double deliveredSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("nodes=%d store=%s messages=%d clients=%d accepted=%d: %.0f sendMail/s accepted, all relayed after %.1f s (%.0f msg/s)%n",
                    nodes, store == null ? "sqlite" : "postgresql", messages, clients, accepted, accepted / sendSeconds,
                    deliveredSeconds, accepted / deliveredSeconds);
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor();
            }
            smtp.stop();
        }
    }

    private static int run(HttpClient http, int[] ports, String token, String content, int messages, int clients, String prefix)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                        String body = """
                                {"message": {"subject": "%s%d", "body": {"contentType": "text", "content": "%s"},
                                 "toRecipients": [{"emailAddress": {"address": "%s"}}, {"emailAddress": {"address": "far@example.org"}}]}}"""
                                .formatted(prefix, i, content, TestServer.BOB);
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i % ports.length]
                                        + "/v1.0/users/" + TestServer.ALICE + "/sendMail")).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            System.err.println(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return accepted.get();
    }
}
