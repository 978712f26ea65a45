import ByteCoding
import LogStore
import SystemIO

/// What a sync copied.
public struct SyncReport: Sendable, Equatable {
    /// Records appended to the local log.
    public var appended = 0
    /// Kept payload records appended to the local payload store.
    public var sourcesAppended = 0
    /// The local log's record count afterwards (the shared log's high-water mark when
    /// the sync caught up).
    public var count: UInt64 = 0

    /// Nothing copied yet.
    public init() {}
}

/// Copies the shared log into a local log, incrementally and in the shared log's
/// sequence order, so that record N of the copy is record N of the shared log: the
/// same time, stream, id, payload and keys, under the shared log's id. Two copies of
/// the same prefix therefore have the same Merkle root, and a checkpoint of one
/// verifies against the other (docs/scale-out.md, "Copies").
///
/// Each page is one local append; a sync cut short leaves a prefix, which the next
/// sync continues. Before copying, the local log is checked to be a prefix of the
/// shared log (its id, and its last record against the shared record of that number).
public struct SharedLogSync {
    /// Where to read from.
    public let connection: SharedLogConnection
    /// Records per page.
    public var pageSize = 5000
    /// The part of a payload that is random, as a hint to the local log's compression
    /// (``NewRecord/randomBytes``); not content.
    public var randomBytes: ([UInt8]) -> Range<Int>? = { _ in nil }

    /// A sync reading over `connection`.
    public init(connection: SharedLogConnection) { self.connection = connection }

    /// Opens the copy in `directory`, or makes it (with the shared log's id) if there
    /// is no log there.
    public func openCopy(at directory: String, options: LogOptions = LogOptions()) throws -> FileLog {
        let db = connection
        let identity = try Blocking.run { try await db.identity() }
        if FileLog.exists(at: directory) {
            let log = try FileLog.open(at: directory, options: options, access: .writer)
            guard log.logID == Hex.encode(identity.logID) else {
                throw SharedLogError.notACopy("\(directory) is log \(log.logID), the shared log is \(Hex.encode(identity.logID))")
            }
            return log
        }
        return try FileLog.create(at: directory, options: options, logID: identity.logID, createdAt: identity.created)
    }

    /// Copies every committed record the local log lacks, up to the high-water mark,
    /// and the kept payloads into `sources` (when given).
    public func sync(into log: FileLog, sources: (any LogStore)? = nil) throws -> SyncReport {
        var report = SyncReport()
        report.appended = try copy(into: log, what: "record") { [connection] after, limit in
            try Blocking.run { try await connection.records(after: after, limit: limit) }
        }
        if let sources {
            report.sourcesAppended = try copy(into: sources, what: "kept payload") { [connection] after, limit in
                try Blocking.run { try await connection.sources(after: after, limit: limit) }
            }
        }
        report.count = log.count
        return report
    }

    /// Copies pages from `fetch(after, limit)` until one comes back empty.
    private func copy(into log: any LogStore, what: String, _ fetch: (UInt64, Int) throws -> [StoredRecord]) throws -> Int {
        var count = log.count
        if count > 0 {
            let theirs = try fetch(count - 1, 1).first
            let ours = try log.read(count...count).first
            guard let theirs, theirs.sequence == count else {
                throw SharedLogError.notACopy("it has \(count) \(what)s, the shared log fewer")
            }
            guard ours == theirs else {
                throw SharedLogError.notACopy("\(what) \(count) differs (id \"\(ours?.id ?? "")\" here, \"\(theirs.id)\" there)")
            }
        }
        var appended = 0
        while true {
            let page = try fetch(count, pageSize)
            if page.isEmpty { return appended }
            for (i, r) in page.enumerated() where r.sequence != count + 1 + UInt64(i) {
                throw SharedLogError.notACopy("the shared log skipped from \(what) \(count + UInt64(i)) to \(r.sequence)")
            }
            let records = page.map { r -> NewRecord in
                var n = r.unsequenced
                n.randomBytes = randomBytes(r.payload)
                return n
            }
            let outcomes = try log.append(records)
            for (r, outcome) in zip(page, outcomes) where outcome != .appended(r.sequence) {
                throw SharedLogError.notACopy("\(what) \(r.sequence) (id \"\(r.id)\") is already here as \(outcome.sequence)")
            }
            count += UInt64(page.count)
            appended += page.count
        }
    }
}
