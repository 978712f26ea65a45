/// The log contract kept in memory: a plain array and a dictionary. It is the
/// reference the file store is tested against, and a store for tests that need no
/// disk. Not thread-safe.
public final class InMemoryLog: LogStore {
    private var records: [StoredRecord] = []
    private var byID: [String: UInt64] = [:]
    private var streamNumbers: [String: StreamID] = [:]
    private var streamKeys: [String] = []
    private var idBytes: [[UInt8]] = []

    /// An empty log.
    public init() {}

    /// The number of records.
    public var count: UInt64 { UInt64(records.count) }

    /// Appends a batch, all or nothing (see ``LogStore``).
    public func append(_ batch: [NewRecord]) throws -> [AppendOutcome] {
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

    /// The records in `range`, clamped to the log.
    public func read(_ range: ClosedRange<UInt64>) throws -> [StoredRecord] {
        let lo = max(range.lowerBound, 1)
        let hi = min(range.upperBound, count)
        guard lo <= hi else { return [] }
        return Array(records[Int(lo - 1)..<Int(hi)])
    }

    /// Every record of `stream` up to a time.
    public func read(stream: String, timeAtMost: Int64) throws -> [StoredRecord] {
        records.filter { $0.stream == stream && $0.time <= timeAtMost }
    }

    /// Every record carrying `key`.
    public func read(key: UInt32) throws -> [StoredRecord] {
        records.filter { $0.keys.contains(key) }
    }

    /// Every record from `start` on.
    public func scan(from start: UInt64, _ body: (RecordView) throws -> Bool) throws {
        var i = Int(max(start, 1)) - 1
        while i < records.count {
            let r = records[i]
            let view = RecordView(
                sequence: r.sequence, time: r.time, stream: streamNumbers[r.stream]!,
                idBytes: idBytes[i][...], payload: r.payload[...])
            if try !body(view) { return }
            i += 1
        }
    }

    /// The key of a stream number.
    public func streamKey(_ id: StreamID) -> String? {
        Int(id.rawValue) < streamKeys.count ? streamKeys[Int(id.rawValue)] : nil
    }

    /// The number of a stream key.
    public func streamID(_ key: String) -> StreamID? { streamNumbers[key] }

    /// Runs `body`; if it throws, takes back what it appended.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        let saved = (records, byID, streamNumbers, streamKeys, idBytes)
        do {
            return try body()
        } catch {
            (records, byID, streamNumbers, streamKeys, idBytes) = saved
            throw error
        }
    }
}
