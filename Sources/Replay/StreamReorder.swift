import LogStore

/// Puts late records back into their stream's time order during one sequential pass
/// over the log, so that a full replay costs the same whatever order the events were
/// delivered in.
///
/// It is told beforehand which records are late (``LogStore/lateRecords(through:)``):
/// their sequence numbers and times. A record of a stream that is still waiting for
/// a late record with an earlier `(time, sequence)` is held (its payload copied); when
/// the late record arrives, everything of that stream that is now in order is
/// released. Streams with nothing late, most of them, pass straight through.
///
/// Memory: the late records' times, plus the payloads held, which are the events of
/// a stream between a late event's time and its delivery (days to weeks of one VM).
///
/// - Complexity: O(1) per record of a stream with nothing late; O(h) per held record
///   of a stream holding h.
struct StreamReorder {
    /// What to do with a record.
    enum Route {
        /// Fold it now: nothing of its stream comes before it later.
        case foldNow
        /// Held until a late record of its stream arrives.
        case held
        /// A late record, held with the others: call ``release(stream:_:)``.
        case heldLate
    }

    private struct Held {
        var time: Int64
        var sequence: UInt64
        var offset: Int
        var length: Int

        func precedes(_ other: Held) -> Bool { (time, sequence) < (other.time, other.sequence) }
    }

    private struct Queue {
        /// The stream's late records, by `(time, sequence)`.
        var late: [(time: Int64, sequence: UInt64)]
        var seen: [Bool]
        /// Indices into `late`, by sequence: the order the scan meets them in.
        var bySequence: [Int]
        var nextBySequence = 0
        /// The first late record by `(time, sequence)` not met yet.
        var firstUnseen = 0
        /// Records held, by `(time, sequence)`.
        var held: [Held] = []

        var waiting: Bool { firstUnseen < late.count }
    }

    /// What the common case needs of a stream, in one place (one cache line is
    /// touched per record): its queue, the next late record it will meet, and the
    /// first late record by `(time, sequence)` not met yet.
    private struct Hot {
        var queue: Int32 = -1
        var nextLateSequence: UInt64 = .max
        var firstUnseenTime: Int64 = .max
        var firstUnseenSequence: UInt64 = .max
    }

    /// Stream number → what routing needs of it.
    private var hot: [Hot] = []
    private var queues: [Queue] = []
    /// The held payloads, back to back; compacted when most of it is dead.
    private var arena: [UInt8] = []
    private var liveBytes = 0

    /// A reorderer for the late records `late` (in sequence order) that have time at
    /// most `timeAtMost` (the others are not folded at all).
    init(late: [LateRecord], timeAtMost: Int64) {
        var grouped: [UInt32: [(time: Int64, sequence: UInt64)]] = [:]
        for r in late where r.time <= timeAtMost {
            grouped[r.stream.rawValue, default: []].append((r.time, r.sequence))
        }
        for (stream, records) in grouped {
            let byTime = records.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
            let bySequence = byTime.indices.sorted { byTime[$0].sequence < byTime[$1].sequence }
            let s = Int(stream)
            if s >= hot.count { hot.append(contentsOf: repeatElement(Hot(), count: s - hot.count + 1)) }
            hot[s].queue = Int32(queues.count)
            queues.append(Queue(late: byTime, seen: Array(repeating: false, count: byTime.count), bySequence: bySequence))
            refresh(s)
        }
    }

    /// Copies what routing needs of stream `s` from its queue.
    private mutating func refresh(_ s: Int) {
        let q = Int(hot[s].queue)
        guard q >= 0 else { return }
        let queue = queues[q]
        hot[s].nextLateSequence = queue.nextBySequence < queue.bySequence.count ? queue.late[queue.bySequence[queue.nextBySequence]].sequence : .max
        if queue.waiting {
            hot[s].firstUnseenTime = queue.late[queue.firstUnseen].time
            hot[s].firstUnseenSequence = queue.late[queue.firstUnseen].sequence
        } else {
            hot[s].firstUnseenTime = .max
            hot[s].firstUnseenSequence = .max
        }
    }

    /// Whether stream `s` has late records not met yet or records held: every record
    /// of such a stream must be routed. The others' go straight through.
    @inline(__always)
    func waits(stream s: Int) -> Bool { s < hot.count && hot[s].queue >= 0 }

    /// Where the record goes; a held record's payload is copied.
    @inline(__always)
    mutating func route(stream: Int, time: Int64, sequence: UInt64, payload: ArraySlice<UInt8>) -> Route {
        guard stream < hot.count else { return .foldNow }
        let h = hot[stream]
        guard h.queue >= 0 else { return .foldNow }
        // Everything held comes after the first late record not met yet, and so
        // after a record that comes before it.
        if sequence != h.nextLateSequence && (time, sequence) < (h.firstUnseenTime, h.firstUnseenSequence) { return .foldNow }
        return slowRoute(stream: stream, time: time, sequence: sequence, payload: payload)
    }

    private mutating func slowRoute(stream: Int, time: Int64, sequence: UInt64, payload: ArraySlice<UInt8>) -> Route {
        let q = Int(hot[stream].queue)
        let record = Held(time: time, sequence: sequence, offset: 0, length: payload.count)
        defer { refresh(stream) }
        if sequence == hot[stream].nextLateSequence {
            let k = queues[q].bySequence[queues[q].nextBySequence]
            queues[q].nextBySequence += 1
            queues[q].seen[k] = true
            while queues[q].waiting && queues[q].seen[queues[q].firstUnseen] { queues[q].firstUnseen += 1 }
            hold(record, payload, in: q)
            return .heldLate
        }
        hold(record, payload, in: q)
        return .held
    }

    /// Hands `body` the records of `stream` that are now in order (all held records
    /// before the first late record not met yet), in `(time, sequence)` order.
    mutating func release(stream: Int, _ body: (Int64, UInt64, ArraySlice<UInt8>) throws -> Void) rethrows {
        let q = Int(hot[stream].queue)
        var n = 0
        let queue = queues[q]
        for h in queue.held {
            if queue.waiting {
                let first = queue.late[queue.firstUnseen]
                if (h.time, h.sequence) > (first.time, first.sequence) { break }
            }
            try body(h.time, h.sequence, arena[h.offset..<(h.offset + h.length)])
            liveBytes -= h.length
            n += 1
        }
        queues[q].held.removeFirst(n)
        if !queues[q].waiting && queues[q].held.isEmpty {
            hot[stream] = Hot()
            queues[q] = Queue(late: [], seen: [], bySequence: [])
        } else {
            refresh(stream)
        }
    }

    /// Hands `body` every record still held, stream by stream (none are, once the
    /// scan has met every late record it was told of).
    mutating func releaseAll(_ body: (Int, Int64, UInt64, ArraySlice<UInt8>) throws -> Void) rethrows {
        for s in hot.indices where hot[s].queue >= 0 {
            let q = Int(hot[s].queue)
            for h in queues[q].held { try body(s, h.time, h.sequence, arena[h.offset..<(h.offset + h.length)]) }
            queues[q].held = []
            hot[s] = Hot()
        }
        arena = []
        liveBytes = 0
    }

    private mutating func hold(_ record: Held, _ payload: ArraySlice<UInt8>, in q: Int) {
        if arena.count > 1 << 20 && liveBytes < arena.count / 2 { compact() }
        var record = record
        record.offset = arena.count
        arena.append(contentsOf: payload)
        liveBytes += payload.count
        var i = queues[q].held.count
        while i > 0 && record.precedes(queues[q].held[i - 1]) { i -= 1 }
        queues[q].held.insert(record, at: i)
    }

    /// Moves the held payloads to the front of a new arena.
    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(max(liveBytes * 2, 1 << 16))
        for q in queues.indices where !queues[q].held.isEmpty {
            for i in queues[q].held.indices {
                let h = queues[q].held[i]
                queues[q].held[i].offset = fresh.count
                fresh.append(contentsOf: arena[h.offset..<(h.offset + h.length)])
            }
        }
        arena = fresh
    }
}
