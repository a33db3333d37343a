-- Signing keys are shared by every node on this store, so tokens verify anywhere.
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    jwk        TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE mail_folders (
    id           TEXT PRIMARY KEY,
    mailbox_id   TEXT    NOT NULL,
    parent_id    TEXT,
    well_known   TEXT,
    display_name TEXT    NOT NULL,
    is_hidden    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (mailbox_id, well_known)
);

-- Columns are what $filter and $orderby reach; content holds the whole message as Graph JSON.
CREATE TABLE messages (
    id                  TEXT PRIMARY KEY,
    mailbox_id          TEXT    NOT NULL,
    folder_id           TEXT    NOT NULL REFERENCES mail_folders (id),
    change_key          TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    modified_at         INTEGER NOT NULL,
    received_at         INTEGER NOT NULL,
    sent_at             INTEGER,
    is_draft            INTEGER NOT NULL,
    is_read             INTEGER NOT NULL,
    has_attachments     INTEGER NOT NULL,
    importance          TEXT    NOT NULL,
    subject             TEXT    NOT NULL,
    from_address        TEXT,
    from_name           TEXT,
    internet_message_id TEXT    NOT NULL,
    conversation_id     TEXT    NOT NULL,
    content             TEXT    NOT NULL
);
CREATE INDEX messages_by_folder ON messages (folder_id, received_at);
CREATE INDEX messages_by_mailbox ON messages (mailbox_id, received_at);

-- One row per accepted send that has recipients outside the tenant: the message as it was sent.
CREATE TABLE submissions (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT    NOT NULL,
    mailbox_id TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

-- One row per external recipient of a submission; the delivery workers own it from here.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id   TEXT    NOT NULL REFERENCES submissions (id),
    recipient       TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_reply      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_submission ON outbox (submission_id);
