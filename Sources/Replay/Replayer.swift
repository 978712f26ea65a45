import Events
import LogStore

/// Point-in-time questions, answered by folding events in `(time, sequence)` order:
/// the state of one VM (reading only its stream and the catalog), and the state of
/// every VM (one sequential pass over the log).
public struct Replayer {
    /// The log.
    public let log: HotpatchLog
    /// Which images support Hotpatch.
    public let supportedImages: SupportedImages

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
        let records = try log.records(ofVM: vm, timeAtMost: at.nanoseconds)
            .filter { $0.sequence <= asRecorded && $0.time <= at.nanoseconds }
            .sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        for r in records {
            try HotpatchLog.located(r.sequence, r.id) { () throws(EventCodec.DecodeError) in
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
    /// over the log that decodes each event's binary form in place (nothing is
    /// allocated per event). A VM whose events were appended out of time order is
    /// folded again from its own stream, in order.
    public func fleet(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max) throws -> [VMState] {
        let catalog = try catalog(asRecorded: asRecorded)
        return try foldEveryVM(at: at, asRecorded: asRecorded, start: { VMState(vm: $0) }) { state, view, time, sequence throws(EventCodec.DecodeError) in
            try state.apply(view, time: time, sequence: sequence, catalog: catalog)
        }.filter { $0.1 > 0 }.map(\.0)
    }

    /// Folds every VM's events with `time ≤ at` and `sequence ≤ asRecorded` into a
    /// value of its own (made by `start` from the VM id as first written), each in
    /// `(time, sequence)` order, in one sequential pass over the log: `body` gets each
    /// event's binary form in place. A VM whose events were appended out of time
    /// order is started again and folded from its own stream, in order. Returns each
    /// VM's value and how many events it folded, sorted by VM id.
    ///
    /// - Complexity: one scan of the log, plus a read of each out-of-order VM's stream.
    public func foldEveryVM<F>(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max, start: (String) -> F,
                               _ body: (inout F, EventView, Timestamp, UInt64) throws(EventCodec.DecodeError) -> Void) throws -> [(F, Int)] {
        let store = log.store
        // Per stream number: its value, whether the stream is a VM's, the time of the
        // last event folded, how many were folded, and whether it must be folded again
        // because of out-of-order events. Arrays indexed by the stream number, so that
        // a record finds its VM without hashing anything.
        var values: [F] = []
        var vms: [String?] = []
        var lastTime: [Int64] = []
        var counts: [Int] = []
        var outOfOrder: [Bool] = []
        let limit = at.nanoseconds
        try store.scan(from: 1, includingIDs: false) { view in
            guard view.sequence <= asRecorded else { return false }
            guard view.time <= limit else { return true }
            let s = Int(view.stream.rawValue)
            while s >= values.count {
                let vm = store.streamKey(StreamID(rawValue: UInt32(values.count))).flatMap(HotpatchLog.vm(ofStream:))
                values.append(start(vm ?? ""))
                vms.append(vm)
                lastTime.append(.min)
                counts.append(0)
                outOfOrder.append(false)
            }
            guard vms[s] != nil, !outOfOrder[s] else { return true }
            if view.time < lastTime[s] {
                outOfOrder[s] = true
                return true
            }
            lastTime[s] = view.time
            counts[s] += 1
            // The scan skips ids; an error reads the record's id back to name it.
            try HotpatchLog.located(view.sequence, (try? store.read(view.sequence...view.sequence).first?.id) ?? "") { () throws(EventCodec.DecodeError) in
                try body(&values[s], EventView(view.payload), Timestamp(nanoseconds: view.time), view.sequence)
            }
            return true
        }
        for s in outOfOrder.indices where outOfOrder[s] {
            var value = start(vms[s]!)
            var count = 0
            try fold(vm: vms[s]!, at: at, asRecorded: asRecorded, into: &value) { value, view, time, sequence throws(EventCodec.DecodeError) in
                count += 1
                try body(&value, view, time, sequence)
            }
            values[s] = value
            counts[s] = count
        }
        // Sort positions, not the values themselves (moving large structs costs more).
        return values.indices.filter { vms[$0] != nil }
            .sorted { vms[$0]! < vms[$1]! }
            .map { (values[$0], counts[$0]) }
    }
}
