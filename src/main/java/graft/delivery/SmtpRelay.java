package graft.delivery;

import graft.config.DeliveryConfig;
import graft.mime.MimeSource;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The smarthost every relayed message goes to. Each worker holds one {@link Channel}: a connection kept open
 * between messages while there is work, and opened again when the server dropped it.
 */
public final class SmtpRelay {
    /** RFC 5321 4.5.3.1.8: a server must accept 100 recipients per transaction, and may refuse more (452). */
    static final int MAX_RECIPIENTS_PER_TRANSACTION = 100;

    /** Like Postfix's connection reuse limits: a connection carries at most this many transactions. */
    static final int MAX_TRANSACTIONS_PER_CONNECTION = 1000;
    static final long MAX_IDLE_NANOS = 30_000_000_000L;

    private final DeliveryConfig.Relay relay;
    private final RelayTls tls;
    private final String heloName;

    public SmtpRelay(DeliveryConfig.Relay relay) {
        this.relay = relay;
        this.tls = relay.tls() == DeliveryConfig.Tls.NONE && relay.trust().certificate().isEmpty() && !relay.trust().all()
                ? null : new RelayTls(relay.trust());
        this.heloName = heloName();
    }

    public String describe() {
        return relay.host() + ":" + relay.port();
    }

    public Channel channel() {
        return new Channel();
    }

    private static String heloName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** One worker's connection to the relay. Not thread-safe: a channel belongs to one worker. */
    public final class Channel implements AutoCloseable {
        private SmtpSession session;
        private int transactions;
        private long lastUsed;

        /**
         * Delivers one message to its recipients in one transaction.
         * @return one outcome per recipient, in order; failures to connect are temporary failures, never exceptions
         */
        public List<DeliveryOutcome> send(String mailFrom, List<String> recipients, byte[] message) {
            return send(mailFrom, recipients, MimeSource.of(message));
        }

        /**
         * As {@link #send(String, List, byte[])}, with the message streamed into DATA as it is rendered. More than
         * {@link #MAX_RECIPIENTS_PER_TRANSACTION} recipients go in several transactions.
         */
        public List<DeliveryOutcome> send(String mailFrom, List<String> recipients, MimeSource message) {
            if (recipients.size() <= MAX_RECIPIENTS_PER_TRANSACTION) {
                return sendOnce(mailFrom, recipients, message);
            }
            List<DeliveryOutcome> out = new ArrayList<>(recipients.size());
            for (int from = 0; from < recipients.size(); from += MAX_RECIPIENTS_PER_TRANSACTION) {
                out.addAll(sendOnce(mailFrom, recipients.subList(from,
                        Math.min(recipients.size(), from + MAX_RECIPIENTS_PER_TRANSACTION)), message));
            }
            return out;
        }

        private List<DeliveryOutcome> sendOnce(String mailFrom, List<String> recipients, MimeSource message) {
            if (session != null && (!session.usable() || transactions >= MAX_TRANSACTIONS_PER_CONNECTION
                    || System.nanoTime() - lastUsed > MAX_IDLE_NANOS)) {
                close();
            }
            boolean reused = session != null;
            try {
                return attempt(mailFrom, recipients, message);
            } catch (SmtpSession.MessageUnreadable e) {
                close();
                return all(recipients, "451 4.3.0 local error: " + e.getMessage());
            } catch (IOException e) {
                close();
                if (reused) {
                    // The server may have closed a connection we kept open: one try on a fresh one.
                    try {
                        return attempt(mailFrom, recipients, message);
                    } catch (IOException again) {
                        close();
                        return all(recipients, "421 4.4.2 connection to " + describe() + " lost: " + again.getMessage());
                    }
                }
                return all(recipients, "421 4.4.2 connection to " + describe() + " lost: " + e.getMessage());
            }
        }

        private List<DeliveryOutcome> attempt(String mailFrom, List<String> recipients, MimeSource message) throws IOException {
            if (session == null) {
                try {
                    session = SmtpSession.open(relay, tls, heloName);
                    transactions = 0;
                } catch (SmtpSession.SmtpException e) {
                    return all(recipients, e.getMessage());
                }
            }
            transactions++;
            lastUsed = System.nanoTime();
            return session.send(mailFrom, recipients, message);
        }

        private static List<DeliveryOutcome> all(List<String> recipients, String reply) {
            List<DeliveryOutcome> out = new ArrayList<>(recipients.size());
            for (int i = 0; i < recipients.size(); i++) {
                out.add(new DeliveryOutcome.TemporaryFailure(reply));
            }
            return out;
        }

        public boolean connected() {
            return session != null && session.usable();
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
                session = null;
            }
        }
    }
}
