package graft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static graft.delivery.DeliveryTests.awaitState;
import static graft.delivery.DeliveryTests.sendMail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-tenant outbound policy: contoso.test relays only to example.org (allow-list), fabrikam.test keeps the
 * default, capture. Captured mail never reaches the SMTP server and is traced as captured.
 */
class OutboundPolicyTest {
    static FakeSmtpServer smtp;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        smtp = new FakeSmtpServer(null).start();
        server = TestServer.start(DeliveryTests.relayYaml(smtp.port(), "") + DeliveryTests.ADMIN_YAML,
                "    outbound: relay\n    relayDomains: [example.org]\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        smtp.close();
    }

    static boolean arrived(String recipient) {
        return smtp.transactions.stream().anyMatch(t -> t.recipients().contains(recipient));
    }

    @Test
    void capturePolicyDeliversNothingAndTracesCaptured() {
        String daveToken = server.appToken(TestServer.OTHER_TENANT, TestServer.OTHER_APP);
        sendMail(server, daveToken, TestServer.DAVE, DeliveryTests.message("From fabrikam", "hi",
                java.util.List.of("someone@example.org"), java.util.List.of(), java.util.List.of()));

        JsonNode entry = awaitState(server, "someone@example.org", "captured");
        assertThat(entry.path("attempts").asInt()).isZero();
        assertThat(entry.path("lastReply").asText()).contains("capture");
        assertThat(smtp.transactions).noneMatch(t -> t.data().contains("From fabrikam"));
    }

    @Test
    void allowListRelaysOnlyListedDomainsAndCapturesTheRest() {
        String token = server.appToken();
        sendMail(server, token, "Mixed destinations", "listed@example.org", "sub@mail.example.org", "other@example.net");

        awaitState(server, "listed@example.org", "delivered");
        awaitState(server, "sub@mail.example.org", "delivered");
        JsonNode other = awaitState(server, "other@example.net", "captured");
        assertThat(other.path("lastReply").asText()).contains("relayDomains");
        FakeSmtpServer.await("delivery", Duration.ofSeconds(5), () -> arrived("listed@example.org"));
        assertThat(arrived("other@example.net")).isFalse();
        assertThat(smtp.transactions.stream().filter(t -> t.data().contains("Subject: Mixed destinations"))).hasSize(1);
    }
}
