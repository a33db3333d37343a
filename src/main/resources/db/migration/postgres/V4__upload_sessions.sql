-- The PostgreSQL twin of db/migration/sqlite/V4__upload_sessions.sql (sizes and times are BIGINT).
-- An attachment being uploaded in chunks (3 MB to 150 MB). The chunks go straight into blob_chunks; the
-- attachment row appears only when the last byte has arrived. In the store, so any node can take the next chunk.
CREATE TABLE upload_sessions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    secret_hash  TEXT    NOT NULL,
    mailbox_id   TEXT COLLATE "C" NOT NULL,
    message_id   TEXT COLLATE "C" NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    is_inline    INTEGER NOT NULL,
    content_id   TEXT,
    blob_id      TEXT COLLATE "C" NOT NULL REFERENCES blobs (id),
    received     BIGINT  NOT NULL,
    next_seq     INTEGER NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX upload_sessions_by_expiry ON upload_sessions (expires_at);
