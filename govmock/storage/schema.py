"""The SQLite schema of govmock's own storage (created on start; no migrations — it is a mock).

Tables, and what they guarantee:
* ``messages`` — one row per (department, message id): the stored ack and the raw body; the primary key
  is the idempotency key of protocol §1.
* ``nodes`` — one row per (department, node guid), owned by the first message that carried it; a guid
  seen again is never processed again.
* ``receipts`` — every receipt with its per-department ``seq`` (primary key (department, seq)).
* ``jobs`` — durable scheduled work (``lane`` 'work': process/emit; 'push': callback pushes).
* ``ceb_docs`` / ``parcel_events`` — customs' business documents and parcel arrivals/departures.
* ``registry`` — small key/value records of the JSON departments (codes issued, quotas, seen ids).
* ``counters``, ``stats``, ``sender_certs``, ``submit_attempts`` — bookkeeping.
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    department TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message_type TEXT NOT NULL,
    sender_code TEXT NOT NULL,
    content_type TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_epoch REAL NOT NULL,
    clock_offset_ms INTEGER NOT NULL,
    node_count INTEGER NOT NULL,
    ack TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (department, message_id)
);
CREATE INDEX IF NOT EXISTS messages_recent ON messages (department, received_epoch);

CREATE TABLE IF NOT EXISTS nodes (
    department TEXT NOT NULL,
    node_guid TEXT NOT NULL,
    message_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    content TEXT NOT NULL,
    receipt_count INTEGER NOT NULL DEFAULT 0,
    last_due REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (department, node_guid)
);
CREATE INDEX IF NOT EXISTS nodes_message ON nodes (department, message_id, position);

CREATE TABLE IF NOT EXISTS receipts (
    department TEXT NOT NULL,
    seq INTEGER NOT NULL,
    receipt_id TEXT NOT NULL UNIQUE,
    message_id TEXT,
    node_guid TEXT,
    receipt_type TEXT NOT NULL,
    content_type TEXT NOT NULL,
    status TEXT NOT NULL,
    raw TEXT NOT NULL,
    created_at TEXT NOT NULL,
    burst TEXT,
    PRIMARY KEY (department, seq)
);
CREATE INDEX IF NOT EXISTS receipts_message ON receipts (department, message_id, seq);
CREATE INDEX IF NOT EXISTS receipts_burst ON receipts (burst) WHERE burst IS NOT NULL;

CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lane TEXT NOT NULL,
    kind TEXT NOT NULL,
    department TEXT NOT NULL,
    due_at REAL NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_lane_due ON jobs (lane, due_at, id);
CREATE INDEX IF NOT EXISTS jobs_lane_dept_due ON jobs (lane, department, due_at, id);

CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS stats (
    department TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (department, name)
);
CREATE TABLE IF NOT EXISTS registry (
    scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS sender_certs (
    sender_code TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, not_before TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submit_attempts (
    department TEXT NOT NULL, message_id TEXT NOT NULL, attempts INTEGER NOT NULL,
    PRIMARY KEY (department, message_id)
);

CREATE TABLE IF NOT EXISTS ceb_docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    node_guid TEXT NOT NULL,
    message_id TEXT NOT NULL,
    dup_key TEXT NOT NULL,
    link_key TEXT,
    invt_no TEXT,
    pre_no TEXT,
    sum_no TEXT,
    status INTEGER NOT NULL,
    void TEXT,
    closed_at TEXT,
    content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ceb_docs_dup ON ceb_docs (kind, dup_key);
CREATE INDEX IF NOT EXISTS ceb_docs_link ON ceb_docs (kind, link_key);
CREATE INDEX IF NOT EXISTS ceb_docs_invt ON ceb_docs (invt_no);
CREATE TABLE IF NOT EXISTS parcel_events (
    logistics_key TEXT NOT NULL, event TEXT NOT NULL, node_guid TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (logistics_key, event)
);
"""

TABLES = (
    "messages",
    "nodes",
    "receipts",
    "jobs",
    "counters",
    "stats",
    "registry",
    "sender_certs",
    "submit_attempts",
    "ceb_docs",
    "parcel_events",
)
