-- Delivery workers claim outbox entries with a lease: an entry whose claim expired (its worker died) is due again,
-- which makes delivery at-least-once across crashes. On PostgreSQL the claim's sub-select adds FOR UPDATE SKIP LOCKED.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN last_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN done_at INTEGER;
CREATE INDEX outbox_claim ON outbox (claimed_by);
CREATE INDEX outbox_by_created ON outbox (created_at);

-- What a non-delivery report needs beyond its Graph message to be rendered as RFC 3464 multipart/report:
-- the message/delivery-status fields and the headers of the message that could not be delivered.
CREATE TABLE delivery_reports (
    message_id       TEXT PRIMARY KEY,
    mailbox_id       TEXT    NOT NULL,
    delivery_status  TEXT    NOT NULL,
    original_headers TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
