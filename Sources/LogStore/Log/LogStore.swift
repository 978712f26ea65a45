/// An append-only log of records: what the rest of patchlog stores its events in.
///
/// Two implementations keep the same contract (the contract test suite runs against
/// both): ``FileLog``, the compressed on-disk log, and ``InMemoryLog``, a plain array
/// for tests and for reference.
///
/// - Sequence numbers start at 1 and number the records in append order, with no gaps.
/// - Appending a record whose id is already in the log with the same time, stream and
///   payload is a no-op (``AppendOutcome/duplicate(_:)``); with anything different it
///   fails with ``LogError/idConflict(id:existingSequence:)`` and appends nothing of
///   the batch.
/// - A batch is appended whole or not at all.
/// - A store may be used from several threads at once: reads run side by side, and
///   appends are serialised by the store (``FileLog`` lets one process write and any
///   number read). A transaction takes back whatever was appended while it ran, so
///   transactions run alone.
public protocol LogStore: AnyObject, Sendable {
    /// The number of records, which is also the last sequence number (0 when empty).
    var count: UInt64 { get }

    /// Appends a batch; returns one outcome per record, in order.
    func append(_ records: [NewRecord]) throws -> [AppendOutcome]

    /// The records with sequence numbers in `range`, clamped to the log.
    func read(_ range: ClosedRange<UInt64>) throws -> [StoredRecord]

    /// Every record of `stream` with time at most `timeAtMost`, in sequence order.
    /// Blocks whose records all come later are not read (the block table keeps each
    /// block's earliest time).
    func read(stream: String, timeAtMost: Int64) throws -> [StoredRecord]

    /// Like ``read(stream:timeAtMost:)``; without `includingIDs` the records' ids may
    /// be empty (a store may skip decoding them, which makes a point read faster).
    func read(stream: String, timeAtMost: Int64, includingIDs: Bool) throws -> [StoredRecord]

    /// Every record carrying `key` (see ``NewRecord/keys``), in sequence order; only
    /// the blocks that hold such records are read.
    func read(key: UInt32) throws -> [StoredRecord]

    /// Calls `body` with every record from sequence `start` on, in sequence order,
    /// until it returns false. Views are valid as long as the caller keeps them.
    func scan(from start: UInt64, _ body: (RecordView) throws -> Bool) throws

    /// Like ``scan(from:_:)``; without `includingIDs` the views' ids may be empty
    /// (a store may skip decoding them, which makes a full replay faster).
    func scan(from start: UInt64, includingIDs: Bool, _ body: (RecordView) throws -> Bool) throws

    /// Like ``scan(from:includingIDs:_:)``, but `choose` sees each record's sequence
    /// number, time and stream first: `body` gets a view only of the records it says
    /// to visit, and the scan ends at the first it says to stop at (a store may then
    /// skip building the views of the others, which a replay shared out among threads
    /// skips by the half).
    func scan(from start: UInt64, includingIDs: Bool, choosing choose: (UInt64, Int64, StreamID) -> ScanStep,
              _ body: (RecordView) throws -> Bool) throws

    /// Calls `body` with the sequence number, time and stream of every record from
    /// `start` on, in sequence order, until it returns false: the cheapest pass over
    /// the log (a store may skip decoding everything else).
    func scanTimeline(from start: UInt64, _ body: (UInt64, Int64, StreamID) throws -> Bool) throws

    /// The key of a stream number handed out in a ``RecordView``.
    func streamKey(_ id: StreamID) -> String?

    /// The number of a stream key, if the log has records in that stream.
    func streamID(_ key: String) -> StreamID?

    /// The streams whose key's UTF-8 bytes satisfy `matches`, with their keys, in
    /// number order: a search over every key that makes no string of a key it
    /// passes over.
    func streams(whereKey matches: (ArraySlice<UInt8>) -> Bool) -> [(id: StreamID, key: String)]

    /// Runs `body`; if it throws, takes back everything it appended, then rethrows.
    func transaction<R>(_ body: () throws -> R) throws -> R
}

/// What a scan that chooses does with a record (``LogStore/scan(from:includingIDs:choosing:_:)``).
public enum ScanStep: Sendable {
    /// Hand it to the scan's body.
    case visit
    /// Pass over it.
    case skip
    /// End the scan here.
    case stop
}

extension LogStore {
    /// See ``LogStore/streams(whereKey:)``: every key asked for by number.
    public func streams(whereKey matches: (ArraySlice<UInt8>) -> Bool) -> [(id: StreamID, key: String)] {
        var found: [(id: StreamID, key: String)] = []
        var n: UInt32 = 0
        while let key = streamKey(StreamID(rawValue: n)) {
            if matches(Array(key.utf8)[...]) { found.append((StreamID(rawValue: n), key)) }
            n += 1
        }
        return found
    }

    /// Chooses after building each view (stores that cannot do better).
    public func scan(from start: UInt64, includingIDs: Bool, choosing choose: (UInt64, Int64, StreamID) -> ScanStep,
                     _ body: (RecordView) throws -> Bool) throws {
        try scan(from: start, includingIDs: includingIDs) { view in
            switch choose(view.sequence, view.time, view.stream) {
            case .visit: return try body(view)
            case .skip: return true
            case .stop: return false
            }
        }
    }

    /// Scans with ids (stores that cannot skip them).
    public func scan(from start: UInt64, includingIDs: Bool, _ body: (RecordView) throws -> Bool) throws {
        try scan(from: start, body)
    }

    /// Reads with ids (stores that cannot skip them).
    public func read(stream: String, timeAtMost: Int64, includingIDs: Bool) throws -> [StoredRecord] {
        try read(stream: stream, timeAtMost: timeAtMost)
    }

    /// Every record of `stream`, in sequence order.
    public func read(stream: String) throws -> [StoredRecord] {
        try read(stream: stream, timeAtMost: .max)
    }

    /// Appends one record.
    @discardableResult
    public func append(_ record: NewRecord) throws -> AppendOutcome {
        try append([record])[0]
    }

    /// Every record, in sequence order.
    public func scan(_ body: (RecordView) throws -> Bool) throws {
        try scan(from: 1, body)
    }

    /// Every record, in sequence order, as stored records (allocates; for small logs
    /// and tests).
    public func readAll() throws -> [StoredRecord] {
        count == 0 ? [] : try read(1...count)
    }
}

/// The check both stores make before appending a record.
enum RecordValidation {
    static func check(_ record: NewRecord, index: Int) throws(LogError) {
        let idBytes = record.id.utf8.count
        guard idBytes >= 1, idBytes <= LogFormat.maxKeyBytes else {
            throw LogError.invalidRecord(index: index, reason: "event id must be 1...\(LogFormat.maxKeyBytes) bytes, got \(idBytes)")
        }
        let streamBytes = record.stream.utf8.count
        guard streamBytes >= 1, streamBytes <= LogFormat.maxKeyBytes else {
            throw LogError.invalidRecord(index: index, reason: "stream key must be 1...\(LogFormat.maxKeyBytes) bytes, got \(streamBytes)")
        }
        guard record.keys.count <= LogFormat.maxKeysPerRecord else {
            throw LogError.invalidRecord(index: index, reason: "\(record.keys.count) keys, at most \(LogFormat.maxKeysPerRecord) allowed")
        }
        guard record.payload.count <= LogFormat.maxBlockBodyBytes / 2 else {
            throw LogError.invalidRecord(index: index, reason: "payload of \(record.payload.count) bytes is too large")
        }
        if let r = record.randomBytes, r.lowerBound < 0 || r.upperBound > record.payload.count {
            throw LogError.invalidRecord(index: index, reason: "random bytes \(r.lowerBound)..<\(r.upperBound) lie outside the payload of \(record.payload.count) bytes")
        }
    }
}
