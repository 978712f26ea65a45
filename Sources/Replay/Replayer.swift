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
        let records = try log.records(ofVM: vm, timeAtMost: at.nanoseconds)
            .filter { $0.sequence <= asRecorded && $0.time <= at.nanoseconds }
            .sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        for r in records {
            try HotpatchLog.located(r.sequence, r.id) { () throws(EventCodec.DecodeError) in
                try state.apply(EventView(r.payload[...]), time: Timestamp(nanoseconds: r.time), sequence: r.sequence, catalog: catalog)
            }
        }
        return state
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
        let store = log.store
        // Per stream number: its VM state, whether the stream is a VM's, and whether it
        // must be folded again because of out-of-order events. Arrays indexed by the
        // stream number, so that a record finds its VM without hashing anything.
        var states: [VMState] = []
        var isVM: [Bool] = []
        var outOfOrder: [Bool] = []
        let limit = at.nanoseconds
        try store.scan { view in
            guard view.sequence <= asRecorded else { return false }
            guard view.time <= limit else { return true }
            let s = Int(view.stream.rawValue)
            while s >= states.count {
                let vm = store.streamKey(StreamID(rawValue: UInt32(states.count))).flatMap(HotpatchLog.vm(ofStream:))
                states.append(VMState(vm: vm ?? ""))
                isVM.append(vm != nil)
                outOfOrder.append(false)
            }
            guard isVM[s], !outOfOrder[s] else { return true }
            if let last = states[s].lastFoldedTime, view.time < last.nanoseconds {
                outOfOrder[s] = true
                return true
            }
            try HotpatchLog.located(view.sequence, view.id) { () throws(EventCodec.DecodeError) in
                try states[s].apply(EventView(view.payload), time: Timestamp(nanoseconds: view.time), sequence: view.sequence, catalog: catalog)
            }
            return true
        }
        for s in outOfOrder.indices where outOfOrder[s] {
            states[s] = try state(ofVM: states[s].vm, at: at, asRecorded: asRecorded, catalog: catalog)
        }
        // Sort positions, not the states themselves (moving large structs costs more).
        return states.indices.filter { isVM[$0] && states[$0].eventCount > 0 }
            .sorted { states[$0].vm < states[$1].vm }
            .map { states[$0] }
    }
}
