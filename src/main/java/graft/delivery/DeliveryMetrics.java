package graft.delivery;

import java.util.concurrent.atomic.LongAdder;

/** Counters of this node since it started; the queue gauges come from the store when scraped. */
public final class DeliveryMetrics {
    final LongAdder delivered = new LongAdder();
    final LongAdder temporaryFailures = new LongAdder();
    final LongAdder permanentFailures = new LongAdder();
    final LongAdder bounced = new LongAdder();
    final LongAdder reports = new LongAdder();
    final LongAdder captured = new LongAdder();
    final LongAdder held = new LongAdder();

    public long delivered() {
        return delivered.sum();
    }

    void count(Outbox.Result r) {
        switch (r.state()) {
            case Outbox.DELIVERED -> delivered.increment();
            case Outbox.CAPTURED -> captured.increment();
            case Outbox.BOUNCED -> {
                bounced.increment();
                if (r.attempted() && r.reply() != null && r.reply().startsWith("5")) {
                    permanentFailures.increment();
                } else {
                    temporaryFailures.increment();
                }
            }
            case Outbox.DEFERRED -> {
                if (r.attempted()) {
                    temporaryFailures.increment();
                } else {
                    held.increment();
                }
            }
            default -> { }
        }
    }
}
