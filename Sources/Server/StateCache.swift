import Dispatch
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
/// When the server takes a newer view, ``advance(to:changedVMs:)`` keeps the states
/// of the VMs none of the new records belongs to (their folds are the same) and
/// drops the rest; a new release drops everything (states depend on the catalog).
/// A state folded on an older view is never stored into a newer generation. A state
/// with every event of its VM (asked at or after the log's last event time, and not
/// as recorded earlier) is kept as *complete*: it answers every such moment. After
/// everything is dropped (at start, after a new release) one pass over the log folds
/// every VM's complete state in the background (``prewarm(_:)``).
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
    private let queue = DispatchQueue(label: "patchlog-state-prewarm")

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

    /// Moves to the view of `generation`: drops the states of `changedVMs`, or all of
    /// them when nil (a new release, a log that shrank).
    func advance(to generation: UInt64, changedVMs: Set<String>?) {
        lock.withLock {
            self.generation = generation
            if let changedVMs {
                for vm in changedVMs { size -= states.removeValue(forKey: vm)?.count ?? 0 }
            } else {
                states.removeAll()
                size = 0
            }
        }
    }

    /// Which VMs the records of `store` after `sequence` belong to; nil when one is a
    /// release (every state depends on the catalog). Reads only the time and stream
    /// columns of the new blocks.
    static func changes(in store: FileLog, after sequence: UInt64) -> Set<String>? {
        var vms: Set<String> = []
        var streams: Set<UInt32> = []
        do {
            try store.scanTimeline(from: sequence + 1) { _, _, stream in
                streams.insert(stream.rawValue)
                return true
            }
        } catch {
            return nil
        }
        for id in streams {
            guard let key = store.streamKey(StreamID(rawValue: id)) else { return nil }
            if key == HotpatchLog.catalogStream { return nil }
            if let vm = HotpatchLog.vm(ofStream: key) { vms.insert(vm) }
        }
        return vms
    }

    /// Folds every VM's complete state in one pass over `snapshot` (about 2 s for the
    /// 10,000-VM fleet), in the background, and keeps them if that view is still the
    /// current one.
    func prewarm(_ snapshot: Snapshot) {
        queue.async { [self] in
            guard let states = try? snapshot.run({ r in try r.fleet() }) else { return }
            for state in states { store(state, state.vm, .complete, generation: snapshot.count) }
        }
    }
}
