package graft.delivery;

import java.util.Map;

/** The Prometheus text exposition (format 0.0.4) of delivery: queue gauges from the store, counters of this node. */
final class Metrics {
    private Metrics() {
    }

    static String text(Delivery delivery, long now) {
        Trace.Gauges g = delivery.database().read(Trace::gauges);
        DeliveryMetrics m = delivery.metrics();
        StringBuilder b = new StringBuilder(2048);
        gauge(b, "graft_outbox_queue_length", "Outbox entries still to deliver (queued or deferred).", g.pending());
        gauge(b, "graft_outbox_oldest_age_seconds", "Age of the oldest entry still to deliver; 0 when the queue is empty.",
                g.oldestPendingCreatedAt() == null ? 0 : Math.max(0, now - g.oldestPendingCreatedAt()) / 1000.0);
        b.append("# HELP graft_outbox_entries Outbox entries by state.\n# TYPE graft_outbox_entries gauge\n");
        for (Map.Entry<String, Long> e : g.byState().entrySet()) {
            b.append("graft_outbox_entries{state=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
        }
        counter(b, "graft_delivery_delivered_total", "Recipients the relay accepted.", m.delivered.sum());
        counter(b, "graft_delivery_temporary_failures_total", "Attempts that failed temporarily (4xx, no connection, TLS).", m.temporaryFailures.sum());
        counter(b, "graft_delivery_permanent_failures_total", "Recipients the relay rejected permanently (5xx).", m.permanentFailures.sum());
        counter(b, "graft_delivery_bounced_total", "Recipients given up on (permanent failure or lifetime expired).", m.bounced.sum());
        counter(b, "graft_delivery_reports_total", "Non-delivery reports put into senders' Inboxes.", m.reports.sum());
        counter(b, "graft_delivery_captured_total", "Recipients captured by the outbound policy.", m.captured.sum());
        counter(b, "graft_delivery_held_total", "Times an entry was held because no relay is configured.", m.held.sum());
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(' ').append(format(value)).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
