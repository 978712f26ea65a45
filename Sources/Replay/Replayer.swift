import Dispatch
import EventLog
import Events
import LogStore
import SystemIO

/// Point-in-time questions, answered by folding events in `(time, sequence)` order:
/// the state of one VM (reading only its stream and the catalog), and the state of
/// every VM (one sequential pass over the log).
public struct Replayer {
    /// The log.
    public let log: HotpatchLog
    /// Which images support Hotpatch.
    public let supportedImages: SupportedImages
    /// How many records a full replay folds at a time, grouped by VM (``GroupedBatch``),
    /// at most; tests make it small to cross many batches. A batch holds four records
    /// per VM of the worker's share, at least 32,768: at 100,000 VMs, batches of 32,768
    /// gave each VM fewer than one record, and `fleet` took 6-7.5 s instead of 4.7-4.9
    /// (a million records was no faster, and took 150 MB more).
    var batchRecords = 1 << 18

    /// A replayer over `log`.
    public init(log: HotpatchLog, supportedImages: SupportedImages = .defaultList) {
        self.log = log
        self.supportedImages = supportedImages
    }

    /// The catalog as known at `asRecorded`.
    public func catalog(asRecorded: UInt64 = .max) throws -> ReleaseCatalog {
        ReleaseCatalog(try log.releases(), asRecorded: asRecorded)
    }

    /// The events of one VM with `time ≤ at` and `sequence ≤ asRecorded`, in fold order.
    public func events(ofVM vm: String, at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max) throws -> [(sequence: UInt64, event: Event)] {
        try log.events(ofVM: vm)
            .filter { $0.sequence <= asRecorded && $0.event.time <= at }
            .sorted { ($0.event.time, $0.sequence) < ($1.event.time, $1.sequence) }
    }

    /// One VM's state at `at`, as the log knew it at sequence `asRecorded`. Reads
    /// only that VM's stream (and the catalog).
    public func state(ofVM vm: String, at: Timestamp, asRecorded: UInt64 = .max) throws -> VMState {
        try state(ofVM: vm, at: at, asRecorded: asRecorded, catalog: catalog(asRecorded: asRecorded))
    }

    func state(ofVM vm: String, at: Timestamp, asRecorded: UInt64, catalog: ReleaseCatalog) throws -> VMState {
        var state = VMState(vm: log.knownVM(vm) ?? vm)
        try fold(vm: vm, at: at, asRecorded: asRecorded, into: &state) { state, view, time, sequence throws(EventCodec.DecodeError) in
            try state.apply(view, time: time, sequence: sequence, catalog: catalog)
        }
        return state
    }

    /// Folds the events of one VM with `time ≤ at` and `sequence ≤ asRecorded` into
    /// `value`, in `(time, sequence)` order, reading only that VM's stream.
    public func fold<F>(vm: String, at: Timestamp, asRecorded: UInt64, into value: inout F,
                        _ body: (inout F, EventView, Timestamp, UInt64) throws(EventCodec.DecodeError) -> Void) throws {
        // Without ids (rebuilding them was a tenth of a cold `state`): an error names
        // its record's id, read again by sequence.
        let records = try log.records(ofVM: vm, timeAtMost: at.nanoseconds, includingIDs: false)
            .filter { $0.sequence <= asRecorded && $0.time <= at.nanoseconds }
            .sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        for r in records {
            try HotpatchLog.located(r.sequence, (try? log.store.read(r.sequence...r.sequence).first?.id) ?? "") { () throws(EventCodec.DecodeError) in
                try body(&value, EventView(r.payload[...]), Timestamp(nanoseconds: r.time), r.sequence)
            }
        }
    }

    /// Whether a VM's image is on the supported list.
    public func supportedImage(_ state: VMState) -> Bool {
        guard let image = state.registration?.image else { return false }
        return supportedImages.contains(publisher: image.publisher, offer: image.offer, sku: image.sku)
    }

    /// Every VM's state at `at` (as known at `asRecorded`), from one sequential pass
    /// over the log that decodes each event's binary form in place (see
    /// ``foldEveryVM(at:asRecorded:workers:only:start:_:)``: late events are put in
    /// their place as the pass meets them). With `types`, only events of those types
    /// are folded: a partial state, for callers that need only what they change.
    public func fleet(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max, only types: Set<EventType>? = nil) throws -> [VMState] {
        let catalog = try catalog(asRecorded: asRecorded)
        return try foldEveryVM(at: at, asRecorded: asRecorded, only: types, start: { VMState(vm: $0) }) { state, view, time, sequence throws(EventCodec.DecodeError) in
            try state.apply(view, time: time, sequence: sequence, catalog: catalog)
        }.filter { $0.1 > 0 }.map(\.0)
    }

    /// Folds every VM's events with `time ≤ at` and `sequence ≤ asRecorded` into a
    /// value of its own (made by `start` from the VM id as first written), each in
    /// `(time, sequence)` order, in one sequential pass over the log: `body` gets each
    /// event's binary form in place. Events appended late (after a later event of the
    /// same VM) are put in their place as the pass meets them: the log's late records
    /// are listed first (a pass over times and streams only), and a VM waiting for one
    /// holds its later events until it arrives (see ``StreamReorder``), so the cost
    /// does not depend on the order the events were delivered in. With `workers` > 1
    /// the VMs are shared out among that many threads, each scanning the log and
    /// folding its own share (`start` and `body` are then called from several threads
    /// at once, each VM's always from one). With `types`, `body` gets only events of
    /// those types (the others are skipped unread; an event whose type cannot be read
    /// is still handed over, to fail there). `finish` is called once for each VM
    /// that folded at least one event, after its last, on its worker's thread.
    /// Returns each VM's value and how many events it folded, sorted by VM id.
    ///
    /// - Complexity: one scan of the log per worker, plus one scan of its time and
    ///   stream columns.
    public func foldEveryVM<F>(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max, workers: Int = Replayer.defaultWorkers,
                               only types: Set<EventType>? = nil,
                               start: (String) -> F,
                               finish: (inout F) -> Void = { _ in },
                               _ body: (inout F, EventView, Timestamp, UInt64) throws(EventCodec.DecodeError) -> Void) throws -> [(F, Int)] {
        let store = log.store
        let through = min(asRecorded, store.count)
        let late = try store.lateRecords(through: through)
        let workers = max(1, workers)
        let wanted = types.map(EventTypeMask.init) ?? .all
        var shares = [[(vm: String, value: F, count: Int)]](repeating: [], count: workers)
        var failures = [(any Error)?](repeating: nil, count: workers)
        if workers == 1 {
            shares[0] = try foldShare(0, of: 1, through: through, at: at, late: late, wanted: wanted, start: start, finish: finish, body)
        } else {
            try withoutActuallyEscaping(start) { start in
                try withoutActuallyEscaping(finish) { finish in
                    try withoutActuallyEscaping(body) { body in
                        let job = FoldJob<F>(workers: workers) { k in
                            try self.foldShare(k, of: workers, through: through, at: at, late: late, wanted: wanted, start: start, finish: finish, body)
                        }
                        DispatchQueue.concurrentPerform(iterations: workers) { k in job.run(k) }
                        (shares, failures) = job.results
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        // The values are moved, never copied: a copy of a fold's value (an audit holds
        // dozens of arrays) retains each of them, and releasing the original later
        // releases them again, which showed in profiles. They are popped off the
        // shares (a move), put back in share order, then sorted by VM id by
        // swapping them into place along the cycles of the sorted order.
        var values: [(F, Int)] = []
        var ids: [String] = []
        values.reserveCapacity(shares.reduce(0) { $0 + $1.count })
        for k in shares.indices.reversed() {
            while let e = shares[k].popLast() {
                values.append((e.value, e.count))
                ids.append(e.vm)
            }
        }
        values.reverse()
        ids.reverse()
        var order = ids.indices.sorted { ids[$0] < ids[$1] }
        for i in order.indices {
            var current = i
            while order[current] != i {
                let next = order[current]
                values.swapAt(current, next)
                order[current] = current
                current = next
            }
            order[current] = current
        }
        return values
    }

    /// Two threads on a machine with two or more processors: a full replay's fold
    /// outweighs decoding the log twice.
    public static var defaultWorkers: Int { min(2, SystemInfo.processorCount) }

    /// The fold of the VMs whose stream number is `k` modulo `workers`.
    private func foldShare<F>(_ k: Int, of workers: Int, through: UInt64, at: Timestamp, late: [LateRecord], wanted: EventTypeMask, start: (String) -> F,
                              finish: (inout F) -> Void, _ body: (inout F, EventView, Timestamp, UInt64) throws(EventCodec.DecodeError) -> Void) throws -> [(vm: String, value: F, count: Int)] {
        let store = log.store
        let limit = at.nanoseconds
        var reorder = StreamReorder(late: workers == 1 ? late : late.filter { Int($0.stream.rawValue) % workers == k }, timeAtMost: limit)
        // Per stream of this share (stream number / workers): its value, its VM (nil
        // for the catalog and subscriptions) and how many events were folded. Arrays
        // indexed by the stream number, so that a record finds its VM without hashing.
        var values: [F] = []
        var vms: [String?] = []
        var counts: [Int] = []
        func fold(_ i: Int, _ payload: ArraySlice<UInt8>, _ time: Int64, _ sequence: UInt64) throws {
            guard wanted.contains(payload) else { return }
            counts[i] += 1
            // The scan skips ids; an error reads the record's id back to name it.
            try HotpatchLog.located(sequence, (try? store.read(sequence...sequence).first?.id) ?? "") { () throws(EventCodec.DecodeError) in
                try body(&values[i], EventView(payload), Timestamp(nanoseconds: time), sequence)
            }
        }
        // The records are folded a batch at a time, grouped by VM (see ``GroupedBatch``);
        // each VM's still come in the order the scan met them, which is all the
        // reordering of late records depends on.
        // Four records per VM met so far, at least 32,768 (see ``batchRecords``).
        func batchLimit() -> Int { min(batchRecords, max(1 << 15, 4 * values.count)) }
        var batch = GroupedBatch(records: batchLimit())
        func foldBatch() throws {
            try batch.drain { i, time, sequence, payload in
                let s = i * workers + k
                switch reorder.route(stream: s, time: time, sequence: sequence, payload: payload) {
                case .foldNow: try fold(i, payload, time, sequence)
                case .held: break
                case .heldLate: try reorder.release(stream: s) { time, sequence, payload in try fold(i, payload, time, sequence) }
                }
            }
        }
        // The other workers' records, and those after the moment, are passed over
        // before a view of them is made.
        try store.scan(from: 1, includingIDs: false, choosing: { sequence, time, stream in
            guard sequence <= through else { return .stop }
            return time <= limit && Int(stream.rawValue) % workers == k ? .visit : .skip
        }) { view in
            let s = Int(view.stream.rawValue)
            let i = s / workers
            while i >= values.count {
                let vm = store.streamKey(StreamID(rawValue: UInt32(values.count * workers + k))).flatMap(HotpatchLog.vm(ofStream:))
                values.append(start(vm ?? ""))
                vms.append(vm)
                counts.append(0)
            }
            guard vms[i] != nil else { return true }
            // An event of a type not asked for is dropped here, unless its stream waits
            // for a late record (which may be this one): the reordering must meet it.
            // (The reordering is up to a batch behind the scan, so a stream may be
            // seen waiting when it no longer does: its records are then kept, and
            // `fold` drops them.)
            if !reorder.waits(stream: s), !wanted.contains(view.payload) { return true }
            batch.append(slot: i, time: view.time, sequence: view.sequence, payload: view.payload)
            if batch.isFull {
                batch.recordLimit = batchLimit()
                if batch.isFull { try foldBatch() }
            }
            return true
        }
        try foldBatch()
        try reorder.releaseAll { s, time, sequence, payload in
            let i = s / workers
            if i < vms.count, vms[i] != nil { try fold(i, payload, time, sequence) }
        }
        for i in values.indices where vms[i] != nil && counts[i] > 0 { finish(&values[i]) }
        // Popped off `values` (a move: see foldEveryVM), then put back in order.
        var share: [(vm: String, value: F, count: Int)] = []
        share.reserveCapacity(values.count)
        while let value = values.popLast() {
            if let vm = vms[values.count] { share.append((vm, value, counts[values.count])) }
        }
        share.reverse()
        return share
    }
}

/// A set of event types, read from a payload's first byte without decoding it.
struct EventTypeMask {
    private let bits: UInt32

    /// Every type.
    static let all = EventTypeMask(bits: .max)

    private init(bits: UInt32) { self.bits = bits }

    /// Just these types.
    init(_ types: Set<EventType>) {
        bits = types.reduce(0) { $0 | 1 << UInt32($1.rawValue) }
    }

    /// Whether the payload's event is of one of the types, or its type cannot be read
    /// (left to the decoder to report).
    @inline(__always)
    func contains(_ payload: ArraySlice<UInt8>) -> Bool {
        guard bits != .max, let type = try? EventCodec.header(payload).type else { return true }
        return bits & 1 << UInt32(type.rawValue) != 0
    }
}

/// One full replay shared out among threads: each runs `work` for its share and
/// keeps its result (or error) in its own slot, read once every thread is done.
/// `work` captures the replayer and the caller's closures, which the threads only
/// read, and each VM's value is touched by one thread only: hence the unchecked
/// `Sendable`.
private final class FoldJob<F>: @unchecked Sendable {
    private let work: (Int) throws -> [(vm: String, value: F, count: Int)]
    private let lock = Condition()
    private var slots: [Int: Result<[(vm: String, value: F, count: Int)], any Error>] = [:]
    private let workers: Int

    init(workers: Int, _ work: @escaping (Int) throws -> [(vm: String, value: F, count: Int)]) {
        self.workers = workers
        self.work = work
    }

    func run(_ k: Int) {
        let result = Result { try work(k) }
        lock.withLock { slots[k] = result }
    }

    var results: ([[(vm: String, value: F, count: Int)]], [(any Error)?]) {
        lock.withLock {
            var shares: [[(vm: String, value: F, count: Int)]] = []
            var failures: [(any Error)?] = []
            for k in 0..<workers {
                switch slots[k] {
                case let .success(share)?: shares.append(share); failures.append(nil)
                case let .failure(error)?: shares.append([]); failures.append(error)
                case nil: shares.append([]); failures.append(nil)
                }
            }
            return (shares, failures)
        }
    }
}
