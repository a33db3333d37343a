-- An attachment being uploaded in chunks (3 MB to 150 MB). The chunks go straight into blob_chunks; the
-- attachment row appears only when the last byte has arrived. In the store, so any node can take the next chunk.
CREATE TABLE upload_sessions (
    id           TEXT PRIMARY KEY,
    secret_hash  TEXT    NOT NULL,
    mailbox_id   TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    is_inline    INTEGER NOT NULL,
    content_id   TEXT,
    blob_id      TEXT    NOT NULL REFERENCES blobs (id),
    received     INTEGER NOT NULL,
    next_seq     INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX upload_sessions_by_expiry ON upload_sessions (expires_at);
