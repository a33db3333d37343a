package graft.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Outbound delivery: the smarthost (absent = nothing can be relayed), the retry policy, the workers per node, how
 * long a worker's claim on outbox entries lasts (when its node dies, another node takes the entries over after
 * that), and how long the trace of a finished delivery is kept.
 */
public record DeliveryConfig(Optional<Relay> relay, Retry retry, int workers, Duration claimLease, Duration traceRetention) {
    /** Postfix's defaults: first retry after about 5 minutes, backoff capped at about an hour, give up after 5 days. */
    public static final Retry DEFAULT_RETRY = new Retry(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5));
    /** Well above what one SMTP transaction takes with a healthy relay; a dead node's mail waits at most this long. */
    public static final Duration DEFAULT_CLAIM_LEASE = Duration.ofMinutes(5);
    /** Long enough to answer "what happened to my mail last week"; the outbox must not grow for ever. */
    public static final Duration DEFAULT_TRACE_RETENTION = Duration.ofDays(30);
    public static final DeliveryConfig DEFAULT = new DeliveryConfig(Optional.empty(), DEFAULT_RETRY, 4, DEFAULT_CLAIM_LEASE,
            DEFAULT_TRACE_RETENTION);

    public enum Tls { NONE, STARTTLS, IMPLICIT }

    /**
     * The smarthost. {@code trust} says which TLS certificates it may present: the JDK's trusted roots with
     * host-name verification (default), one pinned certificate ({@code trustCertificate: file.pem}), or any
     * certificate at all ({@code trustAll: true}, for tests and development only).
     */
    public record Relay(String host, int port, Tls tls, Optional<String> username, Optional<String> password, Trust trust) {
        public Relay(String host, int port, Tls tls, Optional<String> username, Optional<String> password) {
            this(host, port, tls, username, password, Trust.SYSTEM);
        }

        @Override
        public String toString() {
            return "Relay[" + host + ":" + port + ", tls=" + tls + ", username=" + username.orElse("-") + "]"; // never the password
        }
    }

    public record Trust(boolean all, Optional<Path> certificate) {
        public static final Trust SYSTEM = new Trust(false, Optional.empty());
    }

    public record Retry(Duration initialDelay, Duration maxDelay, Duration lifetime) {
    }
}
