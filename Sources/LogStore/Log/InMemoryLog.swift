import SystemIO

/// The log contract kept in memory: a plain array and a dictionary. It is the
/// reference the file store is tested against, and a store for tests that need no
/// disk. Safe to use from several threads, as ``LogStore`` promises: one lock guards
/// the contents, and a scan runs over the records as they were when it began.
public final class InMemoryLog: LogStore, @unchecked Sendable {
    /// Everything the log holds, guarded by `lock`.
    fileprivate struct Contents {
        var records: [StoredRecord] = []
        var byID: [String: UInt64] = [:]
        var streamNumbers: [String: StreamID] = [:]
        var streamKeys: [String] = []
        var idBytes: [[UInt8]] = []
    }

    private var contents = Contents()
    private let lock = Condition()

    /// An empty log.
    public init() {}

    /// The number of records.
    public var count: UInt64 { lock.withLock { UInt64(contents.records.count) } }

    /// Appends a batch, all or nothing (see ``LogStore``).
    public func append(_ batch: [NewRecord]) throws -> [AppendOutcome] {
        try lock.withLock { () throws -> [AppendOutcome] in try contents.append(batch) }
    }

    /// The records in `range`, clamped to the log.
    public func read(_ range: ClosedRange<UInt64>) throws -> [StoredRecord] {
        let records = lock.withLock { contents.records }
        let lo = max(range.lowerBound, 1)
        let hi = min(range.upperBound, UInt64(records.count))
        guard lo <= hi else { return [] }
        return Array(records[Int(lo - 1)..<Int(hi)])
    }

    /// Every record of `stream` up to a time.
    public func read(stream: String, timeAtMost: Int64) throws -> [StoredRecord] {
        lock.withLock { contents.records }.filter { $0.stream == stream && $0.time <= timeAtMost }
    }

    /// Every record carrying `key`.
    public func read(key: UInt32) throws -> [StoredRecord] {
        lock.withLock { contents.records }.filter { $0.keys.contains(key) }
    }

    /// Every record from `start` on, as the log was when the scan began.
    public func scan(from start: UInt64, _ body: (RecordView) throws -> Bool) throws {
        let c = lock.withLock { contents }
        var i = Int(max(start, 1)) - 1
        while i < c.records.count {
            let r = c.records[i]
            let view = RecordView(
                sequence: r.sequence, time: r.time, stream: c.streamNumbers[r.stream]!,
                idBytes: c.idBytes[i][...], payload: r.payload[...])
            if try !body(view) { return }
            i += 1
        }
    }

    /// The key of a stream number.
    public func streamKey(_ id: StreamID) -> String? {
        lock.withLock { Int(id.rawValue) < contents.streamKeys.count ? contents.streamKeys[Int(id.rawValue)] : nil }
    }

    /// The number of a stream key.
    public func streamID(_ key: String) -> StreamID? { lock.withLock { contents.streamNumbers[key] } }

    /// Runs `body`; if it throws, takes back what it appended (and whatever other
    /// threads appended meanwhile: run transactions alone, as with ``FileLog``).
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        let saved = lock.withLock { contents }
        do {
            return try body()
        } catch {
            lock.withLock { contents = saved }
            throw error
        }
    }
}

extension InMemoryLog.Contents {
    var count: UInt64 { UInt64(records.count) }

    mutating func append(_ batch: [NewRecord]) throws -> [AppendOutcome] {
        var outcomes: [AppendOutcome] = []
        var pending: [String: Int] = [:]
        var next = count + 1
        for (i, r) in batch.enumerated() {
            try RecordValidation.check(r, index: i)
            if let seq = byID[r.id] {
                guard records[Int(seq) - 1].unsequenced == r else { throw LogError.idConflict(id: r.id, existingSequence: seq) }
                outcomes.append(.duplicate(seq))
            } else if let j = pending[r.id] {
                guard batch[j] == r else { throw LogError.idConflict(id: r.id, existingSequence: outcomes[j].sequence) }
                outcomes.append(.duplicate(outcomes[j].sequence))
            } else {
                pending[r.id] = i
                outcomes.append(.appended(next))
                next += 1
            }
        }
        for (i, r) in batch.enumerated() {
            guard case let .appended(seq) = outcomes[i] else { continue }
            records.append(StoredRecord(sequence: seq, time: r.time, stream: r.stream, id: r.id, payload: r.payload, keys: r.keys))
            idBytes.append(Array(r.id.utf8))
            byID[r.id] = seq
            if streamNumbers[r.stream] == nil {
                streamNumbers[r.stream] = StreamID(rawValue: UInt32(streamKeys.count))
                streamKeys.append(r.stream)
            }
        }
        return outcomes
    }
}
