import LogStore
import PostgresNIO

/// A record to append to the shared log, with the form of its stream that decides
/// which stream it joins.
public struct StagedRecord: Sendable {
    /// The record; its stream as this input spells it.
    public var record: NewRecord
    /// Records whose folds are equal go to one stream, named as the first of them
    /// to reach the shared log spelt it (patchlog folds VM ids to lower case).
    public var fold: String

    /// A record and its stream's fold.
    public init(record: NewRecord, fold: String) {
        self.record = record
        self.fold = fold
    }
}

/// What a committed append did.
public struct SharedAppendResult: Sendable, Equatable {
    /// Records appended.
    public var appended: Int
    /// Records whose id was already in the shared log (or earlier in this append)
    /// with the same content.
    public var duplicates: Int
    /// The high-water mark after the commit: the last sequence of this append when
    /// it appended anything.
    public var lastSequence: UInt64
    /// Kept payload records that were new.
    public var sourcesKept: Int
}

/// One import into the shared log: one PostgreSQL transaction, all or nothing.
///
/// Records are staged (``stage(_:)``) into a temporary table while the input is
/// read, without any lock; ``commit()`` then takes the single-row counter's row lock,
/// which serialises every committing append, numbers the new records after the
/// counter, and commits. Appends therefore commit in sequence order, and every
/// sequence at or below the committed counter is committed (docs/scale-out.md).
public actor SharedAppend {
    private let db: SharedLogConnection
    private var staged = 0
    private var sources: [NewRecord] = []
    private var open = true

    init(connection: SharedLogConnection) { db = connection }

    /// Stages records, in input order (their index counts from 0 over the whole append).
    public func stage(_ records: [StagedRecord]) async throws {
        guard !records.isEmpty else { return }
        var ords: [Int64] = [], ids: [String] = [], times: [Int64] = [], streams: [String] = [], folds: [String] = []
        var payloads: [ByteBuffer] = [], keys: [String] = []
        for r in records {
            ords.append(Int64(staged))
            staged += 1
            ids.append(r.record.id)
            times.append(r.record.time)
            streams.append(r.record.stream)
            folds.append(r.fold)
            payloads.append(ByteBuffer(bytes: r.record.payload))
            keys.append(r.record.keys.map(String.init).joined(separator: ","))
        }
        do {
            _ = try await db.fetch("""
                INSERT INTO patchlog_incoming (ord, id, time, stream, fold, payload, keys)
                SELECT o, i, t, s, f, p, COALESCE(string_to_array(NULLIF(k, ''), ',')::bigint[], '{}')
                FROM unnest(\(ords), \(ids), \(times), \(streams), \(folds), \(payloads), \(keys)) AS u(o, i, t, s, f, p, k)
                """, "stage the import")
        } catch {
            throw SharedLogConnection.mapped(error, "stage the import")
        }
    }

    /// Keeps payload records (the Azure payloads an import read) with the append:
    /// those whose id is already kept are skipped.
    public func keep(_ records: [NewRecord]) {
        sources += records
    }

    /// Commits: checks every staged id against the shared log and against the
    /// other staged records, appends the new ones in staging order, notifies
    /// followers. Throws ``SharedLogError/idConflict(stagedIndex:staged:existing:)``
    /// or ``SharedLogError/idConflictInInput(firstIndex:laterIndex:id:)`` (and
    /// appends nothing) when an id comes back with other content.
    public func commit() async throws -> SharedAppendResult {
        precondition(open, "commit of a finished append")
        do {
            let result = try await commitStaged()
            open = false
            return result
        } catch {
            await abort()
            throw error
        }
    }

    /// Takes everything back (a rollback); nothing of this append stays.
    public func abort() async {
        guard open else { return }
        open = false
        _ = try? await db.fetch("ROLLBACK", "take back the import")
    }

    private func commitStaged() async throws -> SharedAppendResult {
        do {
            // The lock every committing append queues on, held to the commit.
            let counter = try await db.fetch("SELECT last_sequence, last_source FROM patchlog_meta FOR UPDATE", "commit the import")
            guard let row = counter.first else { throw SharedLogError.noSharedLog }
            let (last, lastSource) = try row.decode((Int64, Int64).self)
            try await checkConflicts()
            try await db.fetch("""
                INSERT INTO patchlog_streams (fold, key)
                SELECT DISTINCT ON (i.fold) i.fold, i.stream FROM patchlog_incoming i
                WHERE NOT EXISTS (SELECT 1 FROM patchlog_events e WHERE e.id = i.id)
                ORDER BY i.fold, i.ord
                ON CONFLICT (fold) DO NOTHING
                """, "commit the import")
            let inserted = try await db.fetch("""
                WITH fresh AS (
                    SELECT DISTINCT ON (i.id) i.* FROM patchlog_incoming i
                    WHERE NOT EXISTS (SELECT 1 FROM patchlog_events e WHERE e.id = i.id)
                    ORDER BY i.id, i.ord),
                numbered AS (SELECT f.*, row_number() OVER (ORDER BY f.ord) AS n FROM fresh f),
                added AS (
                    INSERT INTO patchlog_events (sequence, id, time, stream, payload, keys)
                    SELECT \(last) + n.n, n.id, n.time, s.key, n.payload, n.keys
                    FROM numbered n JOIN patchlog_streams s ON s.fold = n.fold
                    RETURNING 1)
                SELECT count(*) FROM added
                """, "commit the import")
            let appended = try inserted.first!.decode(Int64.self)
            let kept = try await keepSources(after: lastSource)
            let newLast = last + appended
            if appended > 0 || kept > 0 {
                try await db.fetch("UPDATE patchlog_meta SET last_sequence = \(newLast), last_source = \(lastSource + Int64(kept))", "commit the import")
            }
            if appended > 0 {
                try await db.fetch("SELECT pg_notify(\(SharedLogSchema.channel), \(String(newLast)))", "commit the import")
            }
            try await db.fetch("COMMIT", "commit the import")
            return SharedAppendResult(appended: Int(appended), duplicates: staged - Int(appended), lastSequence: UInt64(newLast), sourcesKept: kept)
        } catch {
            throw SharedLogConnection.mapped(error, "commit the import")
        }
    }

    /// Throws for the first staged record (in input order) whose id the shared log,
    /// or an earlier staged record, holds with other content.
    private func checkConflicts() async throws {
        let inLog = try await db.fetch("""
            SELECT i.ord, e.sequence FROM patchlog_incoming i
            JOIN patchlog_events e ON e.id = i.id JOIN patchlog_streams s ON s.key = e.stream
            WHERE (i.time, i.fold, i.payload, i.keys) IS DISTINCT FROM (e.time, s.fold, e.payload, e.keys)
            ORDER BY i.ord LIMIT 1
            """, "commit the import")
        let inInput = try await db.fetch("""
            SELECT b.ord, a.ord, b.id FROM patchlog_incoming a JOIN patchlog_incoming b ON a.id = b.id AND a.ord < b.ord
            WHERE (a.time, a.fold, a.payload, a.keys) IS DISTINCT FROM (b.time, b.fold, b.payload, b.keys)
            ORDER BY b.ord, a.ord LIMIT 1
            """, "commit the import")
        let logOrd = try inLog.first.map { try $0.decode((Int64, Int64).self) }
        let inputOrd = try inInput.first.map { try $0.decode((Int64, Int64, String).self) }
        if let (ord, seq) = logOrd, inputOrd.map({ ord <= $0.0 }) ?? true {
            let rows = try await db.fetch("SELECT id, time, stream, payload, keys FROM patchlog_incoming WHERE ord = \(ord)", "commit the import")
            let (id, time, stream, payload, keys) = try rows.first!.decode((String, Int64, String, ByteBuffer, [Int64]).self)
            let staged = NewRecord(time: time, stream: stream, id: id, payload: Array(buffer: payload), keys: keys.map { UInt32(truncatingIfNeeded: $0) })
            let existingRows = try await db.fetch("SELECT sequence, id, time, stream, payload, keys FROM patchlog_events WHERE sequence = \(seq)", "commit the import")
            let (s, eid, etime, estream, epayload, ekeys) = try existingRows.first!.decode((Int64, String, Int64, String, ByteBuffer, [Int64]).self)
            let existing = StoredRecord(sequence: UInt64(s), time: etime, stream: estream, id: eid, payload: Array(buffer: epayload),
                                        keys: ekeys.map { UInt32(truncatingIfNeeded: $0) })
            throw SharedLogError.idConflict(stagedIndex: Int(ord), staged: staged, existing: existing)
        }
        if let (later, first, id) = inputOrd {
            throw SharedLogError.idConflictInInput(firstIndex: Int(first), laterIndex: Int(later), id: id)
        }
    }

    /// Inserts the kept payload records not already kept, numbered after `after`;
    /// returns how many.
    private func keepSources(after: Int64) async throws -> Int {
        var next = after
        for r in sources {
            let rows = try await db.fetch("""
                INSERT INTO patchlog_sources (sequence, id, time, stream, payload)
                VALUES (\(next + 1), \(r.id), \(r.time), \(r.stream), \(ByteBuffer(bytes: r.payload)))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, "keep the Azure payloads")
            if !rows.isEmpty { next += 1 }
        }
        return Int(next - after)
    }
}
