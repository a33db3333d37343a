package graft.delivery;

import graft.config.DeliveryConfig;

import java.time.Duration;
import java.time.Instant;

/**
 * When a temporarily failed delivery is tried again: after {@code initialDelay}, doubling with every attempt up
 * to {@code maxDelay}, until the entry has been queued for {@code lifetime} (Postfix: minimal_backoff_time,
 * maximal_backoff_time, maximal_queue_lifetime). The last try is made at the end of the lifetime, not skipped.
 */
record RetryPolicy(DeliveryConfig.Retry retry) {
    /** @param attempts attempts made so far, including the one that just failed (at least 1) */
    Duration backoff(int attempts) {
        Duration d = retry.initialDelay();
        for (int i = 1; i < attempts && d.compareTo(retry.maxDelay()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : d;
    }

    Instant expiresAt(Instant queuedAt) {
        return queuedAt.plus(retry.lifetime());
    }

    boolean expired(Instant queuedAt, Instant now) {
        return !now.isBefore(expiresAt(queuedAt));
    }

    /** The next attempt after a temporary failure: the backoff, but never later than the end of the lifetime. */
    Instant nextAttempt(int attempts, Instant queuedAt, Instant now) {
        Instant next = now.plus(backoff(attempts));
        Instant end = expiresAt(queuedAt);
        return next.isAfter(end) ? end : next;
    }

    Duration maxDelay() {
        return retry.maxDelay();
    }
}
