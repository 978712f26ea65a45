import Events
import Replay

/// What a VM's timeline shows in the report: installs, the moments they became
/// effective, reboots, rollbacks, pending-reboot spans and powered-off gaps.
public struct VMTimeline: Sendable {
    /// A mark at one moment.
    public struct Mark: Sendable, Equatable {
        /// What happened: an install, a KB becoming effective after a reboot, a
        /// completed or failed reboot, a rollback.
        public enum Kind: String, Sendable { case install, effective, reboot, failedReboot = "failed-reboot", rollback }
        /// What happened.
        public var kind: Kind
        /// When.
        public var time: Timestamp
        /// What it was about (`KB5041234 hotpatch`, `Baseline`).
        public var label: String
        /// Its event's sequence number.
        public var sequence: UInt64
    }

    /// A span of time; `end` nil while it lasted to the moment audited.
    public struct Span: Sendable, Equatable {
        /// When it began.
        public var start: Timestamp
        /// When it ended; nil while it lasted to the moment audited.
        public var end: Timestamp?
    }

    /// The VM, as first written.
    public var vm: String
    /// Installs, effective points, reboots and rollbacks, in time order.
    public var marks: [Mark] = []
    /// When a reboot was pending.
    public var pendingReboot: [Span] = []
    /// When the VM was deallocated or stopped.
    public var poweredOff: [Span] = []

    /// The timeline of `vm` from its events up to `at`, appended up to sequence
    /// `asRecorded` (one read of its stream).
    public init(_ replayer: Replayer, vm: String, at: Timestamp, asRecorded: UInt64 = .max) throws {
        let catalog = try replayer.catalog(asRecorded: asRecorded)
        var state = VMState(vm: replayer.log.knownVM(vm) ?? vm)
        var marks: [Mark] = []
        var pending: [Span] = []
        var off: [Span] = []
        try replayer.fold(vm: vm, at: at, asRecorded: asRecorded, into: &state) { state, e, t, sequence throws(EventCodec.DecodeError) in
            let wasPending = state.pendingReboot
            let wasOff = state.power != nil && state.power != .running
            let before = state.periods.count
            let waiting = state.periods.indices.filter { state.periods[$0].effectiveAt == nil }
            try state.apply(e, time: t, sequence: sequence, catalog: catalog)
            switch e.type {
            case .install:
                for p in state.periods where p.sequence == sequence {
                    marks.append(Mark(kind: .install, time: t, label: "\(p.kb) \(p.kind.name)", sequence: sequence))
                }
            case .reboot:
                marks.append(Mark(kind: try e.rebootCompleted() ? .reboot : .failedReboot, time: t, label: "reboot", sequence: sequence))
            case .rollback:
                marks.append(Mark(kind: .rollback, time: t, label: "rollback to \(state.baseline?.description ?? "?")", sequence: sequence))
            default: break
            }
            // Effective marks: waiting periods a reboot made effective, and new ones
            // effective at once (hotpatches show as their install mark alone).
            for i in waiting + Array(before..<state.periods.count) where state.periods[i].effectiveAt != nil {
                let p = state.periods[i]
                if i >= before && p.kind == .hotpatch { continue }
                marks.append(Mark(kind: .effective, time: p.effectiveAt!, label: "\(p.kb) effective", sequence: sequence))
            }
            let isPending = state.pendingReboot
            if isPending && !wasPending { pending.append(Span(start: t, end: nil)) }
            if !isPending && wasPending, !pending.isEmpty { pending[pending.count - 1].end = t }
            let isOff = state.power != nil && state.power != .running
            if isOff && !wasOff { off.append(Span(start: t, end: nil)) }
            if !isOff && wasOff, !off.isEmpty { off[off.count - 1].end = t }
        }
        self.vm = state.vm
        self.marks = marks
        pendingReboot = pending
        poweredOff = off
    }
}
