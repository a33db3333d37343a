package graft.delivery;

import graft.config.DeliveryConfig;
import graft.http.TlsMaterial;
import graft.mime.MimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP client against a scripted server: commands on the wire, per-recipient replies, TLS, AUTH, reuse. */
class SmtpRelayTest {
    static FakeSmtpServer server;
    static TlsMaterial tls;
    static final byte[] MESSAGE = "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("graft-smtp-test");
        tls = TlsMaterial.loadOrCreate(dir, Optional.empty(), Optional.empty());
        server = new FakeSmtpServer(FakeSmtpServer.serverTls(tls.keyStore(), tls.keyStorePassword())).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.rcptReply = r -> null;
        server.dataReply = r -> null;
        server.pipelining = true;
        server.authUser = null;
        server.dropAtTransaction = 0;
        server.notePipelinedData = false;
    }

    static SmtpRelay relay(DeliveryConfig.Tls tlsMode, Optional<String> user, Optional<String> password, DeliveryConfig.Trust trust) {
        return new SmtpRelay(new DeliveryConfig.Relay("127.0.0.1", server.port(), tlsMode, user, password, trust));
    }

    static SmtpRelay plain() {
        return relay(DeliveryConfig.Tls.NONE, Optional.empty(), Optional.empty(), DeliveryConfig.Trust.SYSTEM);
    }

    @Test
    void recipientAddressCannotInjectSmtpCommand() {
        int before = server.commands.size();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<DeliveryOutcome> out = ch.send("alice@contoso.test",
                    List.of("victim@example.org>\r\nRCPT TO:<evil@attacker.test", "ok@example.org"), MESSAGE);

            assertThat(out.get(0)).isInstanceOf(DeliveryOutcome.PermanentFailure.class);
            assertThat(out.get(0).reply()).startsWith("553 5.1.3");
            assertThat(out.get(1)).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        assertThat(server.commands.subList(before, server.commands.size()))
                .noneMatch(c -> c.contains("attacker.test")).noneMatch(c -> c.contains("victim"));
    }

    @Test
    void moreThanAHundredRecipientsGoInSeveralTransactions() {
        int before = server.transactions.size();
        List<String> recipients = java.util.stream.IntStream.range(0, 150).mapToObj(i -> "r" + i + "@example.org").toList();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<DeliveryOutcome> out = ch.send("alice@contoso.test", recipients, MESSAGE);
            assertThat(out).hasSize(150).allMatch(o -> o instanceof DeliveryOutcome.Delivered);
        }
        assertThat(server.transactions.size() - before).isEqualTo(2);
    }

    @Test
    void senderAddressCannotInjectSmtpCommand() {
        int before = server.commands.size();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<DeliveryOutcome> out = ch.send("alice@contoso.test>\r\nRCPT TO:<evil@attacker.test", List.of("ok@example.org"), MESSAGE);
            assertThat(out.getFirst()).isInstanceOf(DeliveryOutcome.PermanentFailure.class);
        }
        assertThat(server.commands.subList(before, server.commands.size())).noneMatch(c -> c.contains("attacker.test"));
    }

    @Test
    void bodyLineWithLoneDotCannotEndDataAndStartACommand() {
        byte[] evil = "Subject: x\r\n\r\nline\r\n.\r\nMAIL FROM:<evil@attacker.test>\r\n.hidden\nbare-lf\r\n".getBytes(StandardCharsets.US_ASCII);
        int before = server.transactions.size();
        try (SmtpRelay.Channel ch = plain().channel()) {
            assertThat(ch.send("alice@contoso.test", List.of("bob@example.org"), evil).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        assertThat(server.transactions).hasSize(before + 1);
        String data = server.transactions.getLast().data();
        assertThat(data).contains("line\r\n.\r\nMAIL FROM:<evil@attacker.test>\r\n.hidden\r\nbare-lf\r\n");
        assertThat(server.commands).noneMatch(c -> c.startsWith("MAIL FROM:<evil"));
    }

    @Test
    void pipelinedTransactionRecordsTheReplyOfEachRecipient() {
        server.rcptReply = r -> r.startsWith("nobody") ? "550 5.1.1 <" + r + ">: user unknown" : r.startsWith("busy") ? "452 4.2.2 mailbox full" : null;
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<DeliveryOutcome> out = ch.send("alice@contoso.test", List.of("a@example.org", "nobody@example.org", "busy@example.org"), MESSAGE);

            assertThat(out.get(0)).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(out.get(0).reply()).startsWith("250 2.0.0 Ok: queued");
            assertThat(out.get(1)).isEqualTo(new DeliveryOutcome.PermanentFailure("550 5.1.1 <nobody@example.org>: user unknown"));
            assertThat(out.get(2)).isEqualTo(new DeliveryOutcome.TemporaryFailure("452 4.2.2 mailbox full"));
        }
        assertThat(server.transactions.getLast().recipients()).containsExactly("a@example.org");
    }

    @Test
    void withoutPipeliningCommandsGoOneByOne() {
        server.pipelining = false;
        server.rcptReply = r -> "550 5.1.1 no";
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<DeliveryOutcome> out = ch.send("alice@contoso.test", List.of("x@example.org"), MESSAGE);
            assertThat(out.getFirst()).isInstanceOf(DeliveryOutcome.PermanentFailure.class);
            // no DATA when no recipient was accepted; the transaction is reset
            assertThat(ch.send("alice@contoso.test", List.of("y@example.org"), MESSAGE).getFirst()).isInstanceOf(DeliveryOutcome.PermanentFailure.class);
        }
        assertThat(server.commands).contains("RSET");
    }

    @Test
    void connectionIsReusedForTheNextMessage() {
        int before = server.connections.get();
        try (SmtpRelay.Channel ch = plain().channel()) {
            for (int i = 0; i < 5; i++) {
                assertThat(ch.send("alice@contoso.test", List.of("r" + i + "@example.org"), MESSAGE).getFirst())
                        .isInstanceOf(DeliveryOutcome.Delivered.class);
            }
        }
        assertThat(server.connections.get() - before).isEqualTo(1);
    }

    @Test
    void starttlsWithPinnedCertificateAndAuthPlain() {
        server.authUser = "relay-user";
        server.authPassword = "relay-pw";
        SmtpRelay relay = relay(DeliveryConfig.Tls.STARTTLS, Optional.of("relay-user"), Optional.of("relay-pw"),
                new DeliveryConfig.Trust(false, Optional.of(tls.certificatePath())));
        try (SmtpRelay.Channel ch = relay.channel()) {
            assertThat(ch.send("alice@contoso.test", List.of("tls@example.org"), MESSAGE).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        assertThat(server.commands).contains("STARTTLS");
        assertThat(server.transactions.getLast().recipients()).containsExactly("tls@example.org");
    }

    @Test
    void wrongPasswordIsATemporaryFailureNotABounce() {
        server.authUser = "relay-user";
        server.authPassword = "relay-pw";
        SmtpRelay relay = relay(DeliveryConfig.Tls.STARTTLS, Optional.of("relay-user"), Optional.of("wrong"),
                new DeliveryConfig.Trust(true, Optional.empty()));
        try (SmtpRelay.Channel ch = relay.channel()) {
            DeliveryOutcome o = ch.send("alice@contoso.test", List.of("x@example.org"), MESSAGE).getFirst();
            assertThat(o).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
            assertThat(o.reply()).contains("authentication failed").contains("535");
        }
    }

    @Test
    void untrustedCertificateIsATemporaryTlsFailure() {
        SmtpRelay relay = relay(DeliveryConfig.Tls.STARTTLS, Optional.empty(), Optional.empty(), DeliveryConfig.Trust.SYSTEM);
        try (SmtpRelay.Channel ch = relay.channel()) {
            DeliveryOutcome o = ch.send("alice@contoso.test", List.of("x@example.org"), MESSAGE).getFirst();
            assertThat(o).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
            assertThat(o.reply()).startsWith("421 4.7.0 TLS failure");
        }
    }

    @Test
    void starttlsRequiredButNotOfferedNeverFallsBackToClearText() throws Exception {
        try (FakeSmtpServer noTls = new FakeSmtpServer(null).start(); SmtpRelay.Channel ch = new SmtpRelay(new DeliveryConfig.Relay("127.0.0.1",
                noTls.port(), DeliveryConfig.Tls.STARTTLS, Optional.empty(), Optional.empty())).channel()) {
            DeliveryOutcome o = ch.send("alice@contoso.test", List.of("x@example.org"), MESSAGE).getFirst();
            assertThat(o).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
            assertThat(noTls.commands).noneMatch(c -> c.startsWith("MAIL"));
        }
    }

    @Test
    void connectionRefusedIsATemporaryFailure() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (SmtpRelay.Channel ch = new SmtpRelay(new DeliveryConfig.Relay("127.0.0.1", dead, DeliveryConfig.Tls.NONE,
                Optional.empty(), Optional.empty())).channel()) {
            DeliveryOutcome o = ch.send("alice@contoso.test", List.of("x@example.org"), MESSAGE).getFirst();
            assertThat(o).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
            assertThat(o.reply()).startsWith("421 4.4.1 cannot reach relay");
        }
    }

    static SmtpSession.Mail mail(String to, String subject) {
        MimeSource message = MimeSource.of(("Subject: " + subject + "\r\n\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII));
        return new SmtpSession.Mail("alice@contoso.test", List.of(to), () -> message);
    }

    static List<String> subjects(List<FakeSmtpServer.Transaction> transactions) {
        return transactions.stream().map(t -> t.data().lines().findFirst().orElse("")).toList();
    }

    @Test
    void messagesOfABatchArePipelinedOneRoundTripEach() {
        server.notePipelinedData = true;
        int before = server.transactions.size();
        int connections = server.connections.get();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("b@example.org", "two"),
                    mail("c@example.org", "three")), () -> true);

            assertThat(out).hasSize(3).allMatch(o -> o.size() == 1 && o.getFirst() instanceof DeliveryOutcome.Delivered);
        }
        assertThat(subjects(server.transactions.subList(before, server.transactions.size())))
                .containsExactly("Subject: one", "Subject: two", "Subject: three");
        assertThat(server.connections.get() - connections).isEqualTo(1);
        // The envelope of the next message travelled with the end of the data of the one before; after the last, nothing.
        assertThat(server.nextCommandBeforeDataReply).containsExactly(true, true, false);
    }

    @Test
    void aRefusedRecipientInABatchFailsAloneAndTheNextMessageStillGoes() {
        server.rcptReply = r -> r.startsWith("nobody@") ? "550 5.1.1 no such user" : null;
        int before = server.transactions.size();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("nobody@example.org", "two"),
                    mail("c@example.org", "three")), () -> true);

            assertThat(out.get(0).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(out.get(1).getFirst()).isInstanceOf(DeliveryOutcome.PermanentFailure.class);
            assertThat(out.get(1).getFirst().reply()).startsWith("550 5.1.1");
            assertThat(out.get(2).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        assertThat(subjects(server.transactions.subList(before, server.transactions.size())))
                .containsExactly("Subject: one", "Subject: three");
    }

    @Test
    void aKeptConnectionLostInABatchIsRetriedOnAFreshOneForWhatWasNotDone() {
        int before = server.transactions.size();
        int connections = server.connections.get();
        try (SmtpRelay.Channel ch = plain().channel()) {
            assertThat(ch.send("alice@contoso.test", List.of("first@example.org"), MESSAGE).getFirst())
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            server.dropAtTransaction = 3; // the kept connection dies at the second message of the batch

            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("b@example.org", "two"),
                    mail("c@example.org", "three")), () -> true);

            assertThat(out).allMatch(o -> o.getFirst() instanceof DeliveryOutcome.Delivered);
        }
        assertThat(subjects(server.transactions.subList(before, server.transactions.size())))
                .containsExactly("Subject: hi", "Subject: one", "Subject: two", "Subject: three");
        assertThat(server.connections.get() - connections).isEqualTo(2);
    }

    @Test
    void aMessageInFlightWhenItsConnectionIsLostIsTriedOnceMoreOnANewOne() {
        server.dropAtTransaction = 2; // every connection dies at its second message
        int before = server.transactions.size();
        int connections = server.connections.get();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("b@example.org", "two"),
                    mail("c@example.org", "three")), () -> true);

            assertThat(out).allMatch(o -> o.getFirst() instanceof DeliveryOutcome.Delivered);
        }
        assertThat(subjects(server.transactions.subList(before, server.transactions.size())))
                .containsExactly("Subject: one", "Subject: two", "Subject: three");
        assertThat(server.connections.get() - connections).isEqualTo(3);
    }

    @Test
    void aRelayThatFailsTwiceInARowStopsTheRunAndLeavesTheRestUntried() {
        server.dropAtTransaction = 1;
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("b@example.org", "two"),
                    mail("c@example.org", "three")), () -> true);

            assertThat(out.get(0).getFirst()).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
            assertThat(out.get(0).getFirst().reply()).startsWith("421 4.4.2");
            assertThat(out.get(1)).isNull();
            assertThat(out.get(2)).isNull();
        }
    }

    @Test
    void aMalformedReplyEndsTheConnectionWithoutMixingUpTheMessagesAfterIt() {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        server.dataReply = r -> r.contains("c@example.org") && once.compareAndSet(false, true) ? "2.0.0 Ok: queued" : null;
        int before = server.transactions.size();
        int connections = server.connections.get();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("b@example.org", "two"),
                    mail("c@example.org", "three"), mail("d@example.org", "four")), () -> true);

            assertThat(out).allMatch(o -> o.getFirst() instanceof DeliveryOutcome.Delivered);

            List<List<DeliveryOutcome>> later = ch.send(List.of(mail("e@example.org", "five")), () -> true);
            assertThat(later.getFirst().getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        List<FakeSmtpServer.Transaction> made = server.transactions.subList(before, server.transactions.size());
        assertThat(subjects(made)).containsExactly("Subject: one", "Subject: two", "Subject: three", "Subject: four", "Subject: five");
        assertThat(made).allSatisfy(t -> assertThat(t.data()).doesNotContain("MAIL FROM").doesNotContain("RCPT TO"));
        assertThat(made.getLast().recipients()).containsExactly("e@example.org");
        assertThat(server.connections.get() - connections).isEqualTo(2);
    }

    @Test
    void aMessageThatCannotBeRenderedFailsAloneOnTheSameConnection() {
        int before = server.transactions.size();
        int connections = server.connections.get();
        SmtpSession.Mail broken = new SmtpSession.Mail("alice@contoso.test", List.of("b@example.org"), () -> {
            throw new IllegalStateException("attachment content is gone");
        });
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), broken, mail("c@example.org", "three")),
                    () -> true);

            assertThat(out.get(0).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(out.get(1).getFirst()).isInstanceOf(DeliveryOutcome.TemporaryFailure.class);
            assertThat(out.get(1).getFirst().reply()).startsWith("451 4.3.0").contains("attachment content is gone");
            assertThat(out.get(2).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        assertThat(subjects(server.transactions.subList(before, server.transactions.size())))
                .containsExactly("Subject: one", "Subject: three");
        assertThat(server.connections.get() - connections).isEqualTo(1);
    }

    @Test
    void aBatchStopsWhenToldAndLeavesTheRestUnattempted() {
        int before = server.transactions.size();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        try (SmtpRelay.Channel ch = plain().channel()) {
            List<List<DeliveryOutcome>> out = ch.send(List.of(mail("a@example.org", "one"), mail("b@example.org", "two"),
                    mail("c@example.org", "three")), () -> asked.incrementAndGet() <= 2);

            assertThat(out.get(0).getFirst()).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(out.get(1)).isNull();
            assertThat(out.get(2)).isNull();
        }
        assertThat(server.transactions.size() - before).isEqualTo(1);
    }
}
