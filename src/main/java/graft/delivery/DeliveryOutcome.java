package graft.delivery;

/**
 * What one delivery attempt for one recipient came to, with the reply that decided it (the remote server's,
 * or a description of the local failure in the same form, e.g. {@code 421 4.4.1 connection refused}).
 */
public sealed interface DeliveryOutcome {
    String reply();

    record Delivered(String reply) implements DeliveryOutcome {
    }

    /** 4xx, or no answer at all (refused, timed out, TLS failed): tried again later (RFC 5321 4.2.1, 4.5.4.1). */
    record TemporaryFailure(String reply) implements DeliveryOutcome {
    }

    /** 5xx: the same attempt would fail again, so the sender gets a non-delivery report. */
    record PermanentFailure(String reply) implements DeliveryOutcome {
    }

    /** The outcome an SMTP reply stands for; a 2xx or 3xx reply where a final one was expected counts as delivered. */
    static DeliveryOutcome of(SmtpReply reply) {
        if (reply.code() >= 500) {
            return new PermanentFailure(reply.text());
        }
        if (reply.code() >= 400) {
            return new TemporaryFailure(reply.text());
        }
        return new Delivered(reply.text());
    }
}
