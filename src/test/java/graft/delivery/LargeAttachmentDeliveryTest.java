package graft.delivery;

import graft.testing.TestServer;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100 MB attachment goes through an upload session and out over SMTP from a Graft process whose heap is capped
 * at 256 MB: nothing on the way holds the file (or its base64) whole. The SMTP sink writes what arrives to disk.
 */
class LargeAttachmentDeliveryTest {
    static final int MB = 1024 * 1024;
    static final int SIZE = 100 * MB;
    static final int CHUNK = 4 * MB;
    static final String HEAP = "256m";
    final HttpClient http = HttpClient.newHttpClient();
    Process process;
    FileSmtpSink sink;

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
        if (sink != null) {
            sink.close();
        }
    }

    /** The bytes of chunk {@code i}: generated, so the test never holds the whole file either. */
    static byte[] chunk(int i) {
        byte[] b = new byte[Math.min(CHUNK, SIZE - i * CHUNK)];
        new Random(i).nextBytes(b);
        return b;
    }

    Process startGraft(Path dir, int httpPort, int relayPort) throws Exception {
        String yaml = TestServer.config("    outbound: relay\n").replace("port: 0, httpsPort: 0", "port: " + httpPort)
                + DeliveryTests.relayYaml(relayPort, "") + DeliveryTests.ADMIN_YAML + "mail: { maxMessageSizeMB: 150 }\n";
        Path config = dir.resolve("graft.yaml");
        Files.writeString(config, yaml);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + dir.resolve("gc.log"),
                "-cp", System.getProperty("java.class.path"), "graft.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("graft.log").toFile()).start();
        FakeSmtpServer.await("Graft listening on " + httpPort, Duration.ofSeconds(30), () -> {
            assertThat(p.isAlive()).as("Graft process is running").isTrue();
            try {
                return send("GET", httpPort, "/admin/queue", DeliveryTests.ADMIN_TOKEN, null, null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return p;
    }

    HttpResponse<String> send(String method, int port, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The largest heap occupancy the collector saw, in MB, from lines such as "Pause Young (Normal) 120M->30M(256M)". */
    static int peakHeapMb(Path gcLog) throws Exception {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M").matcher(Files.readString(gcLog));
        int peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Math.max(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        return peak;
    }

    @Test
    void hundredMegabyteUploadArrivesIntactFromAProcessWithA256MegabyteHeap() throws Exception {
        Path dir = Files.createTempDirectory("graft-large");
        sink = new FileSmtpSink(dir);
        int port = CrashRecoveryTest.freePort();
        process = startGraft(dir, port, sink.port());

        String token = DeliveryTests.json(send("POST", port, "/" + TestServer.TENANT + "/oauth2/v2.0/token", null,
                "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=" + TestServer.APP + "&client_secret="
                        + TestServer.SECRET + "&scope=" + TestServer.enc("https://graph.microsoft.com/.default")).body()).path("access_token").asText();
        String users = "/v1.0/users/" + TestServer.ALICE;
        HttpResponse<String> draft = send("POST", port, users + "/messages", token, "application/json",
                "{\"subject\":\"Hundred megabytes\",\"body\":{\"contentType\":\"text\",\"content\":\"The file.\"},"
                        + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"big@example.org\"}}]}");
        assertThat(draft.statusCode()).as(draft.body()).isEqualTo(201);
        String id = DeliveryTests.json(draft.body()).path("id").asText();
        HttpResponse<String> session = send("POST", port, users + "/messages/" + id + "/attachments/createUploadSession", token,
                "application/json", "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"big.bin\",\"size\":" + SIZE + "}}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        URI uploadUrl = URI.create(DeliveryTests.json(session.body()).path("uploadUrl").asText());

        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        String attachmentId = null;
        for (int i = 0, from = 0; from < SIZE; i++) {
            byte[] c = chunk(i);
            sent.update(c);
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(uploadUrl).header("Content-Type", "application/octet-stream")
                    .header("Content-Range", "bytes " + from + "-" + (from + c.length - 1) + "/" + SIZE)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(c)).build(), HttpResponse.BodyHandlers.ofString());
            from += c.length;
            assertThat(put.statusCode()).as(put.body()).isEqualTo(from == SIZE ? 201 : 200);
            if (from == SIZE) {
                attachmentId = put.headers().firstValue("Location").orElseThrow().replaceAll(".*Attachments\\('([^']+)'\\)$", "$1");
            }
        }
        String expected = HexFormat.of().formatHex(((MessageDigest) sent.clone()).digest());
        // Reading it back through Graph streams it too: the capped process must survive a 100 MB $value.
        HttpResponse<InputStream> value = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + users
                        + "/messages/" + id + "/attachments/" + attachmentId + "/$value")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(value.statusCode()).isEqualTo(200);
        MessageDigest readBack = MessageDigest.getInstance("SHA-256");
        try (InputStream in = value.body()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                readBack.update(buf, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(readBack.digest())).isEqualTo(expected);
        HttpResponse<String> sendDraft = send("POST", port, users + "/messages/" + id + "/send", token, null, "");
        assertThat(sendDraft.statusCode()).as(sendDraft.body()).isEqualTo(202);

        FakeSmtpServer.await("the message at the sink", Duration.ofSeconds(60), () -> {
            assertThat(process.isAlive()).as("Graft (-Xmx" + HEAP + ") is still running").isTrue();
            return !sink.received.isEmpty();
        });
        FileSmtpSink.Received got = sink.received.getFirst();
        assertThat(got.mailFrom()).contains("SIZE=");
        long declared = Long.parseLong(got.mailFrom().replaceAll(".*SIZE=(\\d+).*", "$1"));
        assertThat(declared).as("RFC 1870 SIZE close to what was sent").isBetween(Files.size(got.data()) - 4096, Files.size(got.data()) + 4096);

        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new SharedFileInputStream(got.data().toFile()));
        assertThat(mime.getSubject()).isEqualTo("Hundred megabytes");
        Part file = ((Multipart) mime.getContent()).getBodyPart(1);
        assertThat(file.getFileName()).isEqualTo("big.bin");
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (InputStream in = file.getInputStream()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                received.update(buf, 0, n);
                size += n;
            }
        }
        assertThat(size).isEqualTo(SIZE);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        int peak = peakHeapMb(dir.resolve("gc.log"));
        System.out.println("peak heap of the Graft process: " + peak + " MB of " + HEAP);
        assertThat(peak).isLessThan(256);
    }
}
