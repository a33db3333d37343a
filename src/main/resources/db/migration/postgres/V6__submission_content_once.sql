-- A message that is saved to Sent Items is no longer stored a second time with its submission: the submission's
-- content is NULL and the workers read the Sent Items message (same id) instead. Before that message changes or
-- is deleted, a trigger keeps its content as sent in the submission, so what is relayed is always what was sent.
ALTER TABLE submissions ALTER COLUMN content DROP NOT NULL;

-- Only the submissions that still read their message: the trigger looks them up by message.
CREATE INDEX submissions_reading_message ON submissions (message_id) WHERE content IS NULL;

CREATE FUNCTION keep_submitted_content() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE submissions SET content = OLD.content WHERE message_id = OLD.id AND content IS NULL;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER messages_keep_submitted_content BEFORE DELETE OR UPDATE OF content ON messages
    FOR EACH ROW EXECUTE FUNCTION keep_submitted_content();

-- Entries are looked up by claim only while claimed: index only those, instead of every entry ever queued.
DROP INDEX outbox_claim;
CREATE INDEX outbox_claim ON outbox (claimed_by) WHERE claimed_by IS NOT NULL;

-- Every send adds an outbox entry: keep its index work to what queries use. Pruning looks only at finished
-- entries; nothing looks entries up by creation time.
DROP INDEX outbox_by_done;
CREATE INDEX outbox_by_done ON outbox (done_at) WHERE done_at IS NOT NULL;
DROP INDEX outbox_by_created;
