-- A message that is saved to Sent Items is no longer stored a second time with its submission: the submission's
-- content is NULL and the workers read the Sent Items message (same id) instead. Before that message changes or
-- is deleted, a trigger keeps its content as sent in the submission, so what is relayed is always what was sent.
CREATE TABLE submissions_v6 (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT    NOT NULL,
    mailbox_id TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    content    TEXT,
    created_at INTEGER NOT NULL
);
INSERT INTO submissions_v6 (id, tenant_id, mailbox_id, message_id, content, created_at)
    SELECT id, tenant_id, mailbox_id, message_id, content, created_at FROM submissions;
DROP TABLE submissions;
ALTER TABLE submissions_v6 RENAME TO submissions;

-- Only the submissions that still read their message: the triggers look them up by message.
CREATE INDEX submissions_reading_message ON submissions (message_id) WHERE content IS NULL;

CREATE TRIGGER messages_keep_submitted_content_on_update BEFORE UPDATE OF content ON messages
BEGIN
    UPDATE submissions SET content = OLD.content WHERE message_id = OLD.id AND content IS NULL;
END;

CREATE TRIGGER messages_keep_submitted_content_on_delete BEFORE DELETE ON messages
BEGIN
    UPDATE submissions SET content = OLD.content WHERE message_id = OLD.id AND content IS NULL;
END;

-- Entries are looked up by claim only while claimed: index only those, instead of every entry ever queued.
DROP INDEX outbox_claim;
CREATE INDEX outbox_claim ON outbox (claimed_by) WHERE claimed_by IS NOT NULL;

-- Every send adds an outbox entry: keep its index work to what queries use. Pruning looks only at finished
-- entries; nothing looks entries up by creation time.
DROP INDEX outbox_by_done;
CREATE INDEX outbox_by_done ON outbox (done_at) WHERE done_at IS NOT NULL;
DROP INDEX outbox_by_created;
