package graft.store;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals reach the listeners of every node on the store, the raising one included, promptly. */
interface SignalsContract extends StoreUnderTest {

    @Test
    default void aSignalRaisedOnOneNodeReachesListenersOnAnotherPromptly() throws Exception {
        try (Database other = openAnother()) {
            CountDownLatch heard = new CountDownLatch(1);
            try (Signals.Subscription s = other.signals().listen("graft_contract_a", heard::countDown)) {
                long start = System.nanoTime();
                db().signals().raise("graft_contract_a");
                assertThat(heard.await(3, TimeUnit.SECONDS)).as("the other node heard the signal").isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
            }
        }
    }

    @Test
    default void theRaisingNodeHearsItsOwnSignalAtOnceAndOtherChannelsStayQuiet() {
        AtomicInteger mine = new AtomicInteger();
        AtomicInteger unrelated = new AtomicInteger();
        try (Signals.Subscription a = db().signals().listen("graft_contract_b", mine::incrementAndGet);
             Signals.Subscription b = db().signals().listen("graft_contract_c", unrelated::incrementAndGet)) {
            db().signals().raise("graft_contract_b");
            assertThat(mine.get()).as("called before raise returns").isPositive();
        }
        db().signals().raise("graft_contract_b");
        assertThat(unrelated.get()).isZero();
        assertThat(mine.get()).as("no calls after the subscription closed").isEqualTo(1);
    }
}
