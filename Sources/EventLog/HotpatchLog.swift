import Events
import LogStore

/// The Hotpatch events in a log store: how events become records and back.
///
/// Each VM's events form one stream, keyed by the VM as first written (`vm:` + id):
/// later events that spell it in another case go to the same stream, since VM ids
/// compare case-insensitively. Releases form the `catalog` stream; registrations
/// the stream of their subscription (`subscription:` + id, lower case).
public final class HotpatchLog {
    /// The store underneath.
    public let store: any LogStore
    /// Lower-cased VM id → its stream key.
    private var vmStreams: [String: String] = [:]
    /// VM id exactly as some event wrote it → its stream key (saves lower-casing).
    private var vmStreamsAsWritten: [String: String] = [:]

    /// The stream of release events.
    public static let catalogStream = "catalog"
    /// The stream of `supported.images` events.
    public static let imagesStream = "images"
    static let vmPrefix = "vm:"
    static let subscriptionPrefix = "subscription:"

    /// Wraps a store. The VMs it already holds are learnt when first needed.
    public init(store: any LogStore) {
        self.store = store
    }

    private var learnt = false

    /// Builds the case-insensitive map of the VMs in the store (once).
    private func learnVMs() {
        guard !learnt else { return }
        learnt = true
        var n: UInt32 = 0
        while let key = store.streamKey(StreamID(rawValue: n)) {
            if key.hasPrefix(Self.vmPrefix) {
                let vm = String(key.dropFirst(Self.vmPrefix.count))
                if vmStreams[vm.lowercased()] == nil { vmStreams[vm.lowercased()] = key }
            }
            n += 1
        }
    }

    /// Case-insensitive lookups made without the map: after a few, the map pays.
    private var searches = 0

    /// The stream key of a VM in the store, if it has one: the VM as first written,
    /// matched exactly (no map needed) or case-insensitively (a search of the keys
    /// as the store holds them for the first few VMs, the map of every VM after).
    private func existingStream(forVM vm: String) -> String? {
        if let key = vmStreamsAsWritten[vm] { return key }
        if store.streamID(Self.vmPrefix + vm) != nil { return Self.vmPrefix + vm }
        if !learnt && searches < 8 {
            searches += 1
            let wanted = CaseInsensitiveText(vm)
            return vms(whereID: wanted.matches).first.map { Self.vmPrefix + $0 }
        }
        learnVMs()
        return vmStreams[vm.lowercased()]
    }

    /// The VMs whose id's UTF-8 bytes satisfy `matches`, as first written, in the
    /// order they were first written: a search of the store's keys that makes a
    /// string only of the VMs it finds.
    public func vms(whereID matches: (ArraySlice<UInt8>) -> Bool) -> [String] {
        streamKeys(prefixed: Self.vmPrefix, rest: matches).compactMap(Self.vm(ofStream:))
    }

    /// The keys of the streams whose key begins with `prefix` (as `hasPrefix` compares,
    /// character by character) and the rest of whose UTF-8 bytes satisfy `matches`, in
    /// number order: a search of the store's keys as it holds them, which makes a
    /// string only of the keys whose bytes begin so (one per VM at most, else).
    private func streamKeys(prefixed prefix: String, rest matches: (ArraySlice<UInt8>) -> Bool = { _ in true }) -> [String] {
        let bytes = Array(prefix.utf8)
        return store.streams(whereKey: { $0.starts(with: bytes) && matches($0.dropFirst(bytes.count)) }).map(\.key).filter { $0.hasPrefix(prefix) }
    }

    /// The stream key for a VM id in any case.
    public func streamKey(forVM vm: String) -> String {
        existingStream(forVM: vm) ?? Self.vmPrefix + vm
    }

    /// The VM id as first written, if the log has events of that VM.
    public func knownVM(_ vm: String) -> String? {
        existingStream(forVM: vm).map { String($0.dropFirst(Self.vmPrefix.count)) }
    }

    /// Every VM the log has events of, as first written, sorted.
    public var vms: [String] {
        learnVMs()
        return vmStreams.values.map { String($0.dropFirst(Self.vmPrefix.count)) }.sorted()
    }

    /// The VM a stream key belongs to, if it is a VM stream.
    public static func vm(ofStream key: String) -> String? {
        key.hasPrefix(vmPrefix) ? String(key.dropFirst(vmPrefix.count)) : nil
    }

    /// The record that stores `event`.
    public func record(for event: Event) -> NewRecord {
        resolved(Self.prepare(event))
    }

    /// An event made ready to append: encoded, with its keys, everything but the
    /// spelling of its VM's stream, which needs the log. Preparing is the costly part
    /// of an append and touches no log, so an import prepares on one thread while
    /// another appends.
    public struct PreparedEvent: Sendable {
        /// The record, its stream not yet resolved for a VM event.
        public fileprivate(set) var record: NewRecord
        /// The VM whose stream the record goes to (nil: the stream is already final).
        fileprivate let vm: String?
        /// Whether the event is of a VM (its first spelling names the stream).
        fileprivate let isVMEvent: Bool
        /// The event's id.
        public var id: String { record.id }
        /// The record with its stream as this event spells it (a VM's: `vm:` and the
        /// VM as written), for a store that resolves spellings itself (the shared log).
        public var recordAsWritten: NewRecord {
            guard let vm else { return record }
            var r = record
            r.stream = HotpatchLog.vmPrefix + vm
            return r
        }
        /// The stream as compared: streams whose folds are equal are one stream (a
        /// VM's is `vm:` and the VM in lower case).
        public var streamFold: String { vm.map { HotpatchLog.vmPrefix + $0.lowercased() } ?? record.stream }
    }

    /// The fold of a stream key (see ``PreparedEvent/streamFold``).
    public static func fold(ofStream key: String) -> String {
        vm(ofStream: key).map { vmPrefix + $0.lowercased() } ?? key
    }

    /// Prepares `event` for ``append(prepared:)``; needs no log.
    public static func prepare(_ event: Event) -> PreparedEvent {
        let payload = EventCodec.encode(event)
        var vm: String?
        let stream: String
        switch event.body {
        case .release: stream = catalogStream
        case .supportedImages: stream = imagesStream
        case let .featureRegistration(f): stream = subscriptionPrefix + f.subscription.lowercased()
        case let .providerRegistration(p): stream = subscriptionPrefix + p.subscription.lowercased()
        default:
            vm = event.vm ?? ""
            stream = ""
        }
        let record = NewRecord(time: event.time.nanoseconds, stream: stream, id: event.id, payload: payload, keys: keys(of: event),
                               randomBytes: EventCodec.randomBytes(payload))
        return PreparedEvent(record: record, vm: vm, isVMEvent: event.vm != nil && event.type.isVMEvent)
    }

    /// The record of a prepared event, its stream resolved against the log.
    private func resolved(_ prepared: PreparedEvent) -> NewRecord {
        guard let vm = prepared.vm else { return prepared.record }
        var record = prepared.record
        record.stream = streamKey(forVM: vm)
        return record
    }

    /// The record keys of an event: the KBs an install or a rollback names, so that
    /// every install of one KB is found without reading the whole log
    /// (``LogStore/read(key:)``).
    public static func keys(of event: Event) -> [UInt32] {
        switch event.body {
        case let .install(i): return i.patches.compactMap { key(for: $0.kb) }
        case let .rollback(r): return (r.uninstalled + [r.restoredBaseline]).compactMap(key(for:))
        default: return []
        }
    }

    /// The record key that stands for a KB in installs and rollbacks.
    public static func key(for kb: KB) -> UInt32? { kb.number <= UInt64(UInt32.max) ? UInt32(kb.number) : nil }

    /// Appends events (all or nothing; see ``LogStore/append(_:)``).
    public func append(_ events: [Event]) throws -> [AppendOutcome] {
        try append(prepared: events.map(Self.prepare))
    }

    /// Appends prepared events (all or nothing; see ``LogStore/append(_:)``).
    public func append(prepared: [PreparedEvent]) throws -> [AppendOutcome] {
        let records = prepared.map { p -> NewRecord in
            let r = resolved(p)
            if p.isVMEvent, let vm = p.vm, vmStreamsAsWritten[vm] == nil {
                learnVMs()
                if vmStreams[vm.lowercased()] == nil { vmStreams[vm.lowercased()] = r.stream }
                vmStreamsAsWritten[vm] = r.stream
            }
            return r
        }
        return try store.append(records)
    }

    /// The event a stored record holds.
    public static func event(from record: StoredRecord) throws -> Event {
        try located(record.sequence, record.id) { () throws(EventCodec.DecodeError) in
            try EventCodec.decode(record.payload[...], id: record.id, time: Timestamp(nanoseconds: record.time), vm: vm(ofStream: record.stream))
        }
    }

    /// The event a scanned record holds; `streamKey` names its stream.
    public static func event(from view: RecordView, streamKey: String) throws -> Event {
        try event(from: view, vm: vm(ofStream: streamKey))
    }

    /// The event a scanned record holds, whose stream is `vm`'s (nil: not a VM's).
    public static func event(from view: RecordView, vm: String?) throws -> Event {
        try located(view.sequence, view.id) { () throws(EventCodec.DecodeError) in
            try EventCodec.decode(view.payload, id: view.id, time: Timestamp(nanoseconds: view.time), vm: vm)
        }
    }

    /// Runs `body`, naming the record in any decoding error.
    public static func located<R>(_ sequence: UInt64, _ id: @autoclosure () -> String, _ body: () throws(EventCodec.DecodeError) -> R) throws(RecordError) -> R {
        do { return try body() } catch { throw RecordError(sequence: sequence, id: id(), reason: error) }
    }

    /// Every event of one VM (any case) with its sequence number, in append order.
    public func events(ofVM vm: String) throws -> [(sequence: UInt64, event: Event)] {
        guard let key = existingStream(forVM: vm) else { return [] }
        return try store.read(stream: key).map { ($0.sequence, try Self.event(from: $0)) }
    }

    /// Every record of one VM (any case) up to a time, in append order; without
    /// `includingIDs` their ids may be empty (read one by its sequence when needed).
    public func records(ofVM vm: String, timeAtMost: Int64 = .max, includingIDs: Bool = true) throws -> [StoredRecord] {
        guard let key = existingStream(forVM: vm) else { return [] }
        return try store.read(stream: key, timeAtMost: timeAtMost, includingIDs: includingIDs)
    }

    /// Every `feature.registration` and `provider.registration` event with its
    /// sequence number, subscription by subscription, each in append order.
    public func registrations() throws -> [(sequence: UInt64, event: Event)] {
        // The subscriptions' streams are found among the keys as the store holds them:
        // making a string of every key (one per VM) cost most of a one-VM audit at
        // 100,000 VMs.
        var out: [(sequence: UInt64, event: Event)] = []
        for key in streamKeys(prefixed: Self.subscriptionPrefix) {
            out += try store.read(stream: key).map { ($0.sequence, try Self.event(from: $0)) }
        }
        return out
    }

    /// Every `supported.images` event with its sequence number, in append order.
    public func imageLists() throws -> [(sequence: UInt64, event: Event)] {
        try store.read(stream: Self.imagesStream).map { ($0.sequence, try Self.event(from: $0)) }
    }

    /// Every release in the catalog with its sequence number, in append order.
    public func releases() throws -> [(sequence: UInt64, event: Event)] {
        try store.read(stream: Self.catalogStream).map { ($0.sequence, try Self.event(from: $0)) }
    }
}

/// A record of the log that does not hold a readable event, with where it is.
public struct RecordError: Error, CustomStringConvertible {
    /// Its sequence number.
    public let sequence: UInt64
    /// Its event id.
    public let id: String
    /// Why it does not decode.
    public let reason: EventCodec.DecodeError

    /// `record 12 (id "x") is not a readable event: …`.
    public var description: String { "record \(sequence) (id \"\(id)\") is not a readable event: \(reason)" }
}
