package graft.delivery;

import graft.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivered rate to a local SMTP sink: 2,000 sendMail calls of about 2 KB from 20 concurrent clients, timed from
 * the first request until the sink has every message. Not part of the suite (no *Test name); run it with
 * {@code -Dtest=DeliveryBenchmark}.
 */
class DeliveryBenchmark {
    static final int MESSAGES = Integer.getInteger("bench.messages", 2000);
    static final int CLIENTS = Integer.getInteger("bench.clients", 20);

    @Test
    void deliveredRateToALocalSink() throws Exception {
        try (FakeSmtpServer sink = new FakeSmtpServer(null).start();
             TestServer server = TestServer.start(DeliveryTests.relayYaml(sink.port(), "") + "  workers: "
                     + Integer.getInteger("bench.workers", 8) + "\n" + DeliveryTests.ADMIN_YAML, "    outbound: relay\n")) {
            String token = server.appToken();
            String body = "x".repeat(70).concat("\n").repeat(28); // ~2 KB
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
                List<Future<?>> clients = new java.util.ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(pool.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < MESSAGES) {
                            DeliveryTests.sendMail(server, token, TestServer.ALICE,
                                    DeliveryTests.message("Bench " + i, body, List.of("sink" + (i % 50) + "@example.org"), List.of(), List.of()));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : clients) {
                    f.get();
                }
            }
            long accepted = System.nanoTime();
            FakeSmtpServer.await("all delivered", Duration.ofMinutes(5), () -> sink.transactions.size() >= MESSAGES);
            long done = System.nanoTime();
            double acceptSeconds = (accepted - start) / 1e9;
            double seconds = (done - start) / 1e9;
            System.out.printf("BENCH accepted %d in %.2f s (%.0f/s); delivered %d in %.2f s = %.0f messages/s over %d connections%n",
                    MESSAGES, acceptSeconds, MESSAGES / acceptSeconds, sink.transactions.size(), seconds, MESSAGES / seconds, sink.connections.get());
            assertThat(sink.transactions).hasSize(MESSAGES);
        }
    }
}
