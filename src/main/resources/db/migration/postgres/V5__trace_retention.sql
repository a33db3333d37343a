-- Finished deliveries are pruned by age (delivery.traceRetention).
CREATE INDEX outbox_by_done ON outbox (done_at);
