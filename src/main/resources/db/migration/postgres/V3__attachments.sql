-- The PostgreSQL twin of db/migration/sqlite/V3__attachments.sql (SQLite's BLOB is bytea; sizes are BIGINT).
-- Attachment content lives in chunks, so it can be written and read without holding a whole file in memory, and
-- is shared: the copies of one message in several mailboxes point to the same blob.
CREATE TABLE blobs (
    id         TEXT COLLATE "C" PRIMARY KEY,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE blob_chunks (
    blob_id TEXT COLLATE "C" NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BYTEA   NOT NULL,
    PRIMARY KEY (blob_id, seq)
);

-- owner_id is the message the attachment belongs to, or the submission whose outbound copy it is.
CREATE TABLE attachments (
    id           TEXT COLLATE "C" PRIMARY KEY,
    owner_id     TEXT COLLATE "C" NOT NULL,
    kind         TEXT    NOT NULL,
    name         TEXT,
    content_type TEXT,
    size         BIGINT  NOT NULL,
    is_inline    INTEGER NOT NULL,
    content_id   TEXT,
    modified_at  BIGINT  NOT NULL,
    blob_id      TEXT COLLATE "C" REFERENCES blobs (id),
    item         TEXT,
    position     INTEGER NOT NULL
);
CREATE INDEX attachments_by_owner ON attachments (owner_id, position);
CREATE INDEX attachments_by_blob ON attachments (blob_id);
