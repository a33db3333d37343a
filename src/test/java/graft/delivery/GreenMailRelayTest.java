package graft.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import graft.config.DeliveryConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay client against GreenMail's SMTP and SMTPS (implicit TLS) servers, logging in with AUTH. */
class GreenMailRelayTest {
    static GreenMail greenMail;
    static final byte[] MESSAGE = "Subject: relay test\r\nFrom: alice@contoso.test\r\n\r\nHi\r\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void start() {
        greenMail = new GreenMail(new com.icegreen.greenmail.util.ServerSetup[]{ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()});
        greenMail.setUser("relay-user", "relay-pw");
        greenMail.start();
    }

    @AfterAll
    static void stop() {
        greenMail.stop();
    }

    static DeliveryOutcome send(int port, DeliveryConfig.Tls tls, String password, String to) {
        var relay = new SmtpRelay(new DeliveryConfig.Relay("127.0.0.1", port, tls, Optional.of("relay-user"), Optional.of(password),
                new DeliveryConfig.Trust(true, Optional.empty())));
        try (var ch = relay.channel()) {
            return ch.send("alice@contoso.test", List.of(to), MESSAGE).getFirst();
        }
    }

    @Test
    void implicitTlsAndAuthDeliver() {
        assertThat(send(greenMail.getSmtps().getPort(), DeliveryConfig.Tls.IMPLICIT, "relay-pw", "smtps@example.org"))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(GreenMailDeliveryTest.inboxSize(greenMail, "smtps@example.org")).isEqualTo(1);
    }

    @Test
    void authWithTheRightPasswordDelivers() {
        assertThat(send(greenMail.getSmtp().getPort(), DeliveryConfig.Tls.NONE, "relay-pw", "auth@example.net"))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
    }

    @Test
    void authWithAWrongPasswordIsDeferredNotBounced() {
        DeliveryOutcome o = send(greenMail.getSmtp().getPort(), DeliveryConfig.Tls.NONE, "wrong", "auth@example.com");
        assertThat(o).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
        assertThat(o.reply()).contains("authentication failed");
    }
}
