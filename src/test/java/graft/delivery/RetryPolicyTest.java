package graft.delivery;

import graft.config.DeliveryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(DeliveryConfig.DEFAULT_RETRY);
    final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void backoffDoublesFromInitialDelayUpToMaxDelay() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofMinutes(40));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.backoff(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void lastAttemptIsMadeAtTheEndOfTheLifetimeThenItExpires() {
        Instant late = t0.plus(Duration.ofDays(5)).minusSeconds(60);
        assertThat(policy.nextAttempt(40, t0, late)).isEqualTo(t0.plus(Duration.ofDays(5)));
        assertThat(policy.expired(t0, late)).isFalse();
        assertThat(policy.expired(t0, t0.plus(Duration.ofDays(5)))).isTrue();
    }
}
