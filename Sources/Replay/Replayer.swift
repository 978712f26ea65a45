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

    /// One VM's state at `at`, as the log knew it at sequence `asRecorded`.
    public func state(ofVM vm: String, at: Timestamp, asRecorded: UInt64 = .max) throws -> VMState {
        let catalog = try catalog(asRecorded: asRecorded)
        var state = VMState(vm: log.knownVM(vm) ?? vm)
        for (seq, event) in try events(ofVM: vm, at: at, asRecorded: asRecorded) {
            state.apply(event, sequence: seq, catalog: catalog)
        }
        return state
    }

    /// Whether a VM's image is on the supported list.
    public func supportedImage(_ state: VMState) -> Bool {
        guard let image = state.registration?.image else { return false }
        return supportedImages.contains(publisher: image.publisher, offer: image.offer, sku: image.sku)
    }

    /// Every VM's state at `at` (as known at `asRecorded`), from one sequential pass
    /// over the log. A VM whose events were appended out of time order is folded
    /// again from its own stream, in order.
    public func fleet(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max) throws -> [VMState] {
        let catalog = try catalog(asRecorded: asRecorded)
        var states: [StreamID: VMState] = [:]
        var outOfOrder: Set<StreamID> = []
        var failure: (any Error)?
        var keys: [StreamID: String] = [:]
        try log.store.scan { view in
            guard view.sequence <= asRecorded else { return false }
            guard view.time <= at.nanoseconds else { return true }
            let key: String
            if let known = keys[view.stream] { key = known } else {
                key = log.store.streamKey(view.stream) ?? ""
                keys[view.stream] = key
            }
            guard let vm = HotpatchLog.vm(ofStream: key) else { return true }
            if outOfOrder.contains(view.stream) { return true }
            if let last = states[view.stream]?.lastFoldedTime, view.time < last.nanoseconds {
                outOfOrder.insert(view.stream)
                return true
            }
            do {
                let event = try HotpatchLog.event(from: view, streamKey: key)
                states[view.stream, default: VMState(vm: vm)].apply(event, sequence: view.sequence, catalog: catalog)
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        for stream in outOfOrder {
            guard let vm = keys[stream].flatMap(HotpatchLog.vm(ofStream:)) else { continue }
            states[stream] = try state(ofVM: vm, at: at, asRecorded: asRecorded)
        }
        return states.values.sorted { $0.vm < $1.vm }
    }
}
