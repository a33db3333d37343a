package graft.delivery;

import graft.config.DeliveryConfig;
import graft.mime.MimeSource;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

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

        /** As {@link #send(String, List, byte[])}, with the message streamed into DATA as it is rendered. */
        public List<DeliveryOutcome> send(String mailFrom, List<String> recipients, MimeSource message) {
            return send(List.of(new SmtpSession.Mail(mailFrom, recipients, () -> message)), () -> true).getFirst();
        }

        /**
         * Delivers messages in order, pipelined on one connection where the relay allows. More than
         * {@link #MAX_RECIPIENTS_PER_TRANSACTION} recipients of a message go in several transactions.
         * @param keepGoing asked before each transaction is started
         * @return per message one outcome per recipient, in order; null for a message not attempted because
         * {@code keepGoing} said stop or the relay failed twice in a row. Failures to connect are temporary failures,
         * never exceptions.
         */
        public List<List<DeliveryOutcome>> send(List<SmtpSession.Mail> mails, BooleanSupplier keepGoing) {
            List<SmtpSession.Mail> transactions = new ArrayList<>();
            for (SmtpSession.Mail m : mails) {
                List<String> r = m.recipients();
                for (int from = 0; from < Math.max(1, r.size()); from += MAX_RECIPIENTS_PER_TRANSACTION) {
                    transactions.add(new SmtpSession.Mail(m.from(), r.subList(from, Math.min(r.size(), from + MAX_RECIPIENTS_PER_TRANSACTION)),
                            m.message()));
                }
            }
            List<List<DeliveryOutcome>> outcomes = new ArrayList<>(Collections.nCopies(transactions.size(), null));
            makeTransactions(transactions, outcomes, keepGoing);
            // Back to one list per message; a message stopped between its transactions has the rest deferred.
            List<List<DeliveryOutcome>> perMessage = new ArrayList<>(mails.size());
            int t = 0;
            for (SmtpSession.Mail m : mails) {
                List<DeliveryOutcome> all = new ArrayList<>(m.recipients().size());
                boolean attempted = false;
                for (int from = 0; from < Math.max(1, m.recipients().size()); from += MAX_RECIPIENTS_PER_TRANSACTION, t++) {
                    List<DeliveryOutcome> part = outcomes.get(t);
                    attempted |= part != null;
                    all.addAll(part != null ? part : all(transactions.get(t).recipients(), "451 4.3.0 delivery stopped before this transaction"));
                }
                perMessage.add(attempted ? all : null);
            }
            return perMessage;
        }

        /**
         * Makes the transactions, on the kept connection or a new one. When a connection fails, the transaction in
         * flight is tried once more on a new connection (the server may have closed a kept one while it was idle);
         * if that fails too it gets a temporary failure (it may have been delivered: at-least-once) and the rest go
         * on. Two failures in a row without progress stop the run: the rest stay untried (null) and are released.
         * A message that cannot be read to its end fails alone. Outcomes already known are never overwritten.
         */
        private void makeTransactions(List<SmtpSession.Mail> transactions, List<List<DeliveryOutcome>> outcomes, BooleanSupplier keepGoing) {
            int first = 0;
            int failuresInARow = 0;
            int retried = -1;
            while (first < transactions.size() && keepGoing.getAsBoolean()) {
                if (session != null && (!session.usable() || this.transactions >= MAX_TRANSACTIONS_PER_CONNECTION
                        || System.nanoTime() - lastUsed > MAX_IDLE_NANOS)) {
                    close();
                }
                if (session == null) {
                    try {
                        session = SmtpSession.open(relay, tls, heloName);
                        this.transactions = 0;
                    } catch (SmtpSession.SmtpException e) {
                        fill(outcomes, first, transactions, e.getMessage()); // the relay cannot be reached: all wait
                        return;
                    }
                }
                List<List<DeliveryOutcome>> done = outcomes.subList(first, transactions.size());
                try {
                    session.send(transactions.subList(first, transactions.size()), done, keepGoing);
                    return;
                } catch (SmtpSession.MessageUnreadable e) {
                    int failed = first + made(done);
                    outcomes.set(failed, all(transactions.get(failed).recipients(), "451 4.3.0 local error: " + e.getMessage()));
                    close();
                    first = failed + 1;
                    failuresInARow = 0;
                } catch (IOException e) {
                    int made = made(done);
                    close();
                    int inFlight = first + made;
                    failuresInARow = made > 0 ? 1 : failuresInARow + 1;
                    if (inFlight != retried && failuresInARow < 2) {
                        retried = inFlight; // once more, on a new connection
                        first = inFlight;
                    } else {
                        outcomes.set(inFlight, all(transactions.get(inFlight).recipients(),
                                "421 4.4.2 connection to " + describe() + " lost: " + e.getMessage()));
                        first = inFlight + 1;
                        if (failuresInARow >= 2) {
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    // Not the relay's doing: what is known stays, what is not waits for a later attempt.
                    int made = made(done);
                    close();
                    fill(outcomes, first + made, transactions, "451 4.3.0 local error: " + e.getClass().getSimpleName());
                    return;
                } finally {
                    this.transactions += made(done);
                    lastUsed = System.nanoTime();
                }
            }
        }

        /** How many transactions of {@code outcomes} have theirs: they are made in order. */
        private static int made(List<List<DeliveryOutcome>> outcomes) {
            int n = 0;
            while (n < outcomes.size() && outcomes.get(n) != null) {
                n++;
            }
            return n;
        }

        /** Sets the outcomes not known yet, from {@code from} on. */
        private static void fill(List<List<DeliveryOutcome>> outcomes, int from, List<SmtpSession.Mail> transactions, String reply) {
            for (int i = from; i < outcomes.size(); i++) {
                if (outcomes.get(i) == null) {
                    outcomes.set(i, all(transactions.get(i).recipients(), reply));
                }
            }
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
