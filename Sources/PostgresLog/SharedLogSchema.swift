/// The tables of the shared log (docs/scale-out.md, "Tables"). Every statement is
/// idempotent: ``SharedLogConnection/prepareSchema()`` runs them under an advisory
/// lock, so collectors that start together make the tables once.
enum SharedLogSchema {
    /// The key of the transaction-level advisory lock taken while the tables are made.
    static let schemaLockKey: Int64 = 0x7061_7463_686C_6F67  // "patchlog"
    /// The channel `NOTIFY` wakes followers on; the payload is the new high-water mark.
    static let channel = "patchlog"

    /// `CREATE … IF NOT EXISTS` of every table and index.
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS patchlog_meta (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            log_id bytea NOT NULL CHECK (length(log_id) = 16),
            created bigint NOT NULL,
            last_sequence bigint NOT NULL DEFAULT 0,
            last_source bigint NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE IF NOT EXISTS patchlog_streams (
            fold text PRIMARY KEY,
            key text NOT NULL UNIQUE)
        """,
        """
        CREATE TABLE IF NOT EXISTS patchlog_events (
            sequence bigint PRIMARY KEY CHECK (sequence > 0),
            id text NOT NULL UNIQUE,
            time bigint NOT NULL,
            stream text NOT NULL REFERENCES patchlog_streams (key),
            payload bytea NOT NULL,
            keys bigint[] NOT NULL,
            committed_at timestamptz NOT NULL DEFAULT now())
        """,
        """
        CREATE TABLE IF NOT EXISTS patchlog_sources (
            sequence bigint PRIMARY KEY CHECK (sequence > 0),
            id text NOT NULL UNIQUE,
            time bigint NOT NULL,
            stream text NOT NULL,
            payload bytea NOT NULL)
        """,
    ]

    /// The per-connection staging table an import fills before it commits, emptied at
    /// every commit or rollback, and its index (one statement each).
    static let staging = ["""
        CREATE TEMP TABLE IF NOT EXISTS patchlog_incoming (
            ord bigint PRIMARY KEY,
            id text NOT NULL,
            time bigint NOT NULL,
            stream text NOT NULL,
            fold text NOT NULL,
            payload bytea NOT NULL,
            keys bigint[] NOT NULL) ON COMMIT DELETE ROWS
        """,
        "CREATE INDEX IF NOT EXISTS patchlog_incoming_id ON patchlog_incoming (id)",
    ]
}
