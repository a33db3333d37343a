package graft;

import com.fasterxml.jackson.databind.JsonNode;
import graft.config.DemoConfig;
import graft.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft trace} and {@code graft queue}: the delivery admin API of a running node, as a table. */
final class AdminCommands {
    private AdminCommands() {
    }

    static class Connection {
        @Option(names = "--url", description = "base URL of the running node (default: ${DEFAULT-VALUE})", defaultValue = "http://localhost:8080")
        String url;

        @Option(names = "--token", description = "admin token (admin.token in the configuration; default: the demo token)",
                defaultValue = DemoConfig.ADMIN_TOKEN)
        String token;

        JsonNode call(String method, String path) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " from " + path + ": " + r.body());
            }
            return Json.MAPPER.readTree(r.body());
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true, description = "Show the message trace: one line per external recipient.")
    static final class Trace extends Connection implements Callable<Integer> {
        @Option(names = "--recipient", description = "only this recipient address")
        String recipient;

        @Option(names = "--state", description = "only entries in this state: queued, deferred, delivered, bounced, captured")
        String state;

        @Option(names = "--message-id", description = "only this Graph message id")
        String messageId;

        @Option(names = "--top", description = "at most this many entries, newest first (default: ${DEFAULT-VALUE})", defaultValue = "100")
        int top;

        @Override
        public Integer call() throws Exception {
            List<String> q = new ArrayList<>();
            q.add("top=" + top);
            add(q, "recipient", recipient);
            add(q, "state", state);
            add(q, "messageId", messageId);
            print(call("GET", "/admin/trace?" + String.join("&", q)));
            return 0;
        }
    }

    @Command(name = "queue", mixinStandardHelpOptions = true, description = "Show entries still to deliver (queued or deferred).",
            subcommands = Retry.class)
    static final class Queue extends Connection implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            print(call("GET", "/admin/queue"));
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Make a queued or deferred entry due now.")
    static final class Retry extends Connection implements Callable<Integer> {
        @Parameters(index = "0", description = "the entry id (first column of graft queue)")
        long id;

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("POST", "/admin/queue/" + id + "/retry");
            System.out.println("entry " + r.path("id").asLong() + " is " + r.path("state").asText() + " and due now");
            return 0;
        }
    }

    private static void add(List<String> q, String name, String value) {
        if (value != null) {
            q.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static void print(JsonNode list) {
        String format = "%-6s %-32s %-9s %3s  %-20s %-20s %s%n";
        System.out.printf(format, "ID", "RECIPIENT", "STATE", "TRY", "QUEUED", "NEXT/DONE", "LAST REPLY / SUBJECT");
        for (JsonNode e : list.path("value")) {
            String when = e.path(e.path("completedDateTime").isNull() ? "nextAttemptDateTime" : "completedDateTime").asText("");
            System.out.printf(format, e.path("id").asText(), e.path("recipient").asText(), e.path("state").asText(),
                    e.path("attempts").asText(), e.path("queuedDateTime").asText(), when,
                    e.path("lastReply").asText("") + "  [" + e.path("subject").asText("") + "]");
        }
    }
}
