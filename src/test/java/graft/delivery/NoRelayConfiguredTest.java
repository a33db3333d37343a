package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant that may relay on a node without a relay: its mail is held (deferred), with a reply that says why. */
class NoRelayConfiguredTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(DeliveryTests.ADMIN_YAML, "    outbound: relay\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void relayPolicyWithoutRelayKeepsTheMessageQueued() {
        DeliveryTests.sendMail(server, server.appToken(), "Held back", "held@example.org");

        JsonNode entry = DeliveryTests.awaitState(server, "held@example.org", "deferred");
        assertThat(entry.path("attempts").asInt()).isZero();
        assertThat(entry.path("lastReply").asText()).contains("no relay is configured").contains("delivery.relay");
        assertThat(entry.path("nextAttemptDateTime").isNull()).isFalse();
    }
}
