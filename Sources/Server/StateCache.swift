import EventLog
import Events
import LogStore
import Replay
import SystemIO

/// The VM states the server has folded, so that `GET /v1/state` of a VM asked
/// before costs no read of the log: a state is a fold of the VM's events (and the
/// release catalog), read from blocks scattered through the log (a hundred of them
/// for a VM of the realistic fleet), which no request should pay for twice.
///
/// Valid for one committed view, named by its record count (the *generation*).
/// When the server takes a newer view, ``advance(to:_:)`` keeps the states of the
/// VMs none of the new records belongs to (their folds are the same), folds the new
/// events onto the complete state of the others when they come after everything it
/// folded (else drops their states); a new release drops everything (states depend
/// on the catalog).
/// A state folded on an older view is never stored into a newer generation. A state
/// with every event of its VM (asked at or after the log's last event time, and not
/// as recorded earlier) is kept as *complete*: it answers every such moment. After
/// everything is dropped (at start, after a new release) one pass over the log folds
/// every VM's complete state before the view is used (``fold(_:)``), while the older
/// view's states keep answering.
final class StateCache: @unchecked Sendable {
    /// What a state was folded for: a moment and what the log knew, or complete.
    struct Key: Hashable {
        let at: Int64
        let asRecorded: UInt64
        /// Every event of the VM in the view.
        static let complete = Key(at: .max, asRecorded: .max)
    }

    /// States kept at most; past it, everything is dropped (and folded again on demand).
    static let limit = 200_000

    private let lock = Condition()
    private var generation: UInt64 = 0
    /// By VM id as first written (its stream key without `vm:`).
    private var states: [String: [Key: VMState]] = [:]
    private var size = 0

    /// The state folded for `vm` at `key` on the view of `generation`, if kept.
    func lookup(_ vm: String, _ key: Key, generation: UInt64) -> VMState? {
        lock.withLock { generation == self.generation ? states[vm]?[key] : nil }
    }

    /// Keeps a state folded on the view of `generation` (nothing if a newer view was taken meanwhile).
    func store(_ state: VMState, _ vm: String, _ key: Key, generation: UInt64) {
        lock.withLock {
            guard generation == self.generation else { return }
            if size >= Self.limit {
                states.removeAll(keepingCapacity: true)
                size = 0
            }
            if states[vm, default: [:]].updateValue(state, forKey: key) == nil { size += 1 }
        }
    }

    /// The records a newer view added, by the VM they belong to (time, sequence,
    /// payload), with that view's catalog; nil when one is a release (every state
    /// depends on the catalog) or they cannot be read.
    struct Update {
        var records: [String: [(time: Int64, sequence: UInt64, payload: [UInt8])]] = [:]
        let catalog: ReleaseCatalog

        /// The records of `snapshot` after `sequence`.
        static func read(_ snapshot: Snapshot, after sequence: UInt64) -> Update? {
            guard let catalog = try? snapshot.run({ r in try r.catalog() }) else { return nil }
            var update = Update(catalog: catalog)
            var keys: [UInt32: String?] = [:]
            var release = false
            do {
                try snapshot.store.scan(from: sequence + 1, includingIDs: false) { view in
                    let key = keys[view.stream.rawValue] ?? snapshot.store.streamKey(view.stream)
                    keys[view.stream.rawValue] = key
                    if key == HotpatchLog.catalogStream { release = true; return false }
                    if let key, let vm = HotpatchLog.vm(ofStream: key) {
                        update.records[vm, default: []].append((view.time, view.sequence, Array(view.payload)))
                    }
                    return true
                }
            } catch {
                return nil
            }
            return release ? nil : update
        }
    }

    /// Moves to the view of `generation`. With `update` (what it added): a VM's
    /// complete state folds its new events on when they all come at or after the last
    /// one it folded (as a full fold would, in time then sequence order), else it is
    /// dropped; its states at a moment are kept when every new record of the VM is
    /// later than that moment (or than the sequence they were asked as recorded at),
    /// else dropped. Without: drops everything.
    func advance(to generation: UInt64, _ update: Update?) {
        lock.withLock {
            self.generation = generation
            guard let update else {
                states.removeAll()
                size = 0
                return
            }
            for (vm, records) in update.records {
                guard let kept = states.removeValue(forKey: vm) else { continue }
                size -= kept.count
                // A state at a moment (as recorded up to a sequence) is a fold of the
                // VM's events at or before that moment (and at or before that
                // sequence): records after either cannot change it.
                var still = kept.filter { key, _ in
                    key != .complete && records.allSatisfy { $0.time > key.at || $0.sequence > key.asRecorded }
                }
                if let complete = kept[.complete], let advanced = Self.advanced(complete, by: records, catalog: update.catalog) {
                    still[.complete] = advanced
                }
                if !still.isEmpty {
                    states[vm] = still
                    size += still.count
                }
            }
        }
    }

    /// `state` with `records` folded on, as a full fold would give it: nil when a
    /// record comes before the last one it folded, or does not read.
    private static func advanced(_ state: VMState, by records: [(time: Int64, sequence: UInt64, payload: [UInt8])],
                                 catalog: ReleaseCatalog) -> VMState? {
        let last = state.lastFoldedTime?.nanoseconds ?? .min
        guard records.allSatisfy({ $0.time >= last }) else { return nil }
        var state = state
        do {
            for r in records.sorted(by: { ($0.time, $0.sequence) < ($1.time, $1.sequence) }) {
                try state.apply(EventView(r.payload[...]), time: Timestamp(nanoseconds: r.time), sequence: r.sequence, catalog: catalog)
            }
        } catch {
            return nil
        }
        return state
    }

    /// Every VM's complete state, folded in one pass over `snapshot` (about 2 s for
    /// the 10,000-VM fleet); nil if the log does not read.
    static func fold(_ snapshot: Snapshot) -> [VMState]? {
        try? snapshot.run { r in try r.fleet() }
    }

    /// Moves to the view of `generation` with `states` (its complete states) in place
    /// of everything kept: what a new release needs. Until this is called the states
    /// of the older view keep answering queries on it.
    func replace(generation: UInt64, with states: [VMState]?) {
        lock.withLock {
            self.generation = generation
            self.states.removeAll()
            size = 0
            for state in states ?? [] where size < Self.limit {
                self.states[state.vm] = [.complete: state]
                size += 1
            }
        }
    }
}
