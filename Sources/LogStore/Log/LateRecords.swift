/// A record appended after a record of the same stream with a later time: it belongs
/// earlier in its stream's time order than where it was appended (an export that
/// arrived late, an older export imported after a newer one).
public struct LateRecord: Equatable, Sendable {
    /// Its sequence number.
    public let sequence: UInt64
    /// Its time.
    public let time: Int64
    /// Its stream.
    public let stream: StreamID

    /// A late record with these fields.
    public init(sequence: UInt64, time: Int64, stream: StreamID) {
        self.sequence = sequence
        self.time = time
        self.stream = stream
    }
}

extension LogStore {
    /// Calls `body` with the sequence number, time and stream of every record from
    /// `start` on, in sequence order, until it returns false. A default for stores
    /// that cannot read those columns alone.
    public func scanTimeline(from start: UInt64, _ body: (UInt64, Int64, StreamID) throws -> Bool) throws {
        try scan(from: start, includingIDs: false) { view in try body(view.sequence, view.time, view.stream) }
    }

    /// The records with sequence numbers up to `through` whose time is earlier than
    /// the time of a record appended before them in the same stream, in sequence
    /// order. A fold that takes each stream in time order needs to know these
    /// before it meets them (see `Replayer.foldEveryVM`); everything else in a
    /// stream comes in time order already.
    ///
    /// - Complexity: one pass over the times and streams of those records, with
    ///   memory for one time per stream plus the result.
    public func lateRecords(through: UInt64) throws -> [LateRecord] {
        var latest: [Int64] = []
        var late: [LateRecord] = []
        guard through >= 1 else { return [] }
        try scanTimeline(from: 1) { sequence, time, stream in
            guard sequence <= through else { return false }
            let s = Int(stream.rawValue)
            if s >= latest.count { latest.append(contentsOf: repeatElement(.min, count: s - latest.count + 1)) }
            if time < latest[s] {
                late.append(LateRecord(sequence: sequence, time: time, stream: stream))
            } else {
                latest[s] = time
            }
            return true
        }
        return late
    }
}
