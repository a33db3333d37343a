package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once across a crash: Graft runs as its own process with the relay pointing at a dead port, accepts a
 * send (202), is killed without any shutdown, and delivers the message after a restart pointed at GreenMail.
 */
class CrashRecoveryTest {
    final HttpClient http = HttpClient.newHttpClient();
    Process process;
    GreenMail greenMail;

    @AfterEach
    void cleanUp() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process startGraft(Path dir, int httpPort, int relayPort) throws Exception {
        String yaml = TestServer.config("    outbound: relay\n").replace("port: 0, httpsPort: 0", "port: " + httpPort)
                + DeliveryTests.relayYaml(relayPort, "").replace("lifetime: PT6S", "lifetime: PT10M") + DeliveryTests.ADMIN_YAML;
        Path config = dir.resolve("graft.yaml");
        Files.writeString(config, yaml);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "graft.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("graft-" + System.nanoTime() + ".log").toFile()).start();
        FakeSmtpServer.await("Graft listening on " + httpPort, Duration.ofSeconds(30), () -> {
            assertThat(p.isAlive()).as("Graft process is running").isTrue();
            try {
                return get(httpPort, "/admin/queue").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return p;
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + DeliveryTests.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int port, String path, String contentType, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode traceOf(int port, String recipient) throws Exception {
        JsonNode list = DeliveryTests.json(get(port, "/admin/trace?recipient=" + recipient).body()).path("value");
        return list.isEmpty() ? null : list.get(0);
    }

    @Test
    void messageAcceptedBeforeAKillIsDeliveredAfterRestart() throws Exception {
        Path dir = Files.createTempDirectory("graft-crash");
        int httpPort = freePort();
        int deadPort = freePort();
        process = startGraft(dir, httpPort, deadPort);

        HttpResponse<String> t = post(httpPort, "/" + TestServer.TENANT + "/oauth2/v2.0/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + TestServer.APP + "&client_secret=" + TestServer.SECRET
                        + "&scope=" + TestServer.enc("https://graph.microsoft.com/.default"), null);
        String token = DeliveryTests.json(t.body()).path("access_token").asText();
        var message = DeliveryTests.message("Survives a crash", "still here", List.of("crash@example.org"), List.of(), List.of());
        HttpResponse<String> sent = post(httpPort, "/v1.0/users/" + TestServer.ALICE + "/sendMail", "application/json",
                "{\"message\":" + message + "}", token);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        FakeSmtpServer.await("a failed attempt", Duration.ofSeconds(10), () -> {
            try {
                JsonNode e = traceOf(httpPort, "crash@example.org");
                return e != null && e.path("attempts").asInt() >= 1;
            } catch (Exception e) {
                return false;
            }
        });

        process.destroyForcibly().waitFor();

        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        process = startGraft(dir, httpPort, greenMail.getSmtp().getPort());
        assertThat(greenMail.waitForIncomingEmail(20_000, 1)).isTrue();
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("Survives a crash");
        FakeSmtpServer.await("trace says delivered", Duration.ofSeconds(10), () -> {
            try {
                return "delivered".equals(traceOf(httpPort, "crash@example.org").path("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(new File(dir.toFile(), "data").isDirectory()).isTrue();
    }
}
