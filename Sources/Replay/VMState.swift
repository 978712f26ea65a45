import Events

/// One period during which a KB was installed on a VM: from `installedAt` until
/// `uninstalledAt` (a rollback), effective from `effectiveAt`.
public struct InstallPeriod: Equatable, Sendable {
    public var kb: KB
    public var kind: PatchKind
    public var installedAt: Timestamp
    /// Nil while a reboot is pending.
    public var effectiveAt: Timestamp?
    /// Nil while still installed.
    public var uninstalledAt: Timestamp?
    /// Sequence number of the event that installed it.
    public var sequence: UInt64
}

/// A VM as the fold of its events leaves it: the projection of docs/events.md's replay
/// semantics. ``apply(_:sequence:catalog:)`` is pure (no I/O), so replay, queries and
/// tests share it.
public struct VMState: Equatable, Sendable {
    /// The VM id as first written.
    public var vm: String
    /// Whether a `vm.registered` event has been folded.
    public var registered = false
    /// The latest registration.
    public var registration: VMRegistration?
    /// Enrolment: from `vm.registered.hotpatch`, then each `vm.hotpatch`.
    public var hotpatchEnabled = false
    /// The latest power state, if any was recorded.
    public var power: PowerState?
    /// When the power state last changed.
    public var powerSince: Timestamp?
    /// Every install period, in the order they began.
    public var periods: [InstallPeriod] = []
    /// KB → index in ``periods`` of its current (not uninstalled) period.
    public var installedIndex = KBMap<Int>()
    /// The current baseline, and since when.
    public var baseline: KB?
    public var baselineSince: Timestamp?
    /// A rollback waits for a completed reboot.
    public var rollbackPending = false
    /// The last completed reboot.
    public var lastCompletedReboot: Timestamp?
    /// The latest assessment: when, and its payload (decoded only when asked). The
    /// payload is copied into a buffer of the VM's own, reused from one assessment to
    /// the next: folding an assessment allocates nothing once it has grown, and the
    /// state holds on to no block of the log.
    public var lastAssessmentAt: Timestamp?
    private var assessmentBytes: [UInt8] = []
    /// The latest assessment's payload.
    public var lastAssessment: ArraySlice<UInt8>? { lastAssessmentAt == nil ? nil : assessmentBytes[...] }
    /// The time of the last event folded (to detect out-of-order input).
    public var lastFoldedTime: Timestamp?
    /// How many events were folded.
    public var eventCount = 0

    /// A VM with no events yet.
    public init(vm: String) { self.vm = vm }

    /// Whether a reboot is pending: a patch installed but not yet effective, or a
    /// rollback not yet followed by a completed reboot.
    public var pendingReboot: Bool {
        rollbackPending || installedIndex.values.contains { periods[$0].effectiveAt == nil }
    }

    /// Whether the current baseline is installed but not yet effective (its reboot
    /// still pending): a hotpatch installed now waits for that reboot too.
    ///
    /// - Complexity: O(1).
    public var baselineAwaitsReboot: Bool {
        guard let baseline, let index = installedIndex[baseline] else { return false }
        return periods[index].effectiveAt == nil
    }

    /// The periods of the KBs installed now, by `installedAt` then KB.
    public var installed: [InstallPeriod] {
        installedIndex.values.map { periods[$0] }.sorted { ($0.installedAt, $0.kb) < ($1.installedAt, $1.kb) }
    }

    /// The latest assessment's available KBs not installed now, in its order.
    public var missing: [KB] {
        guard let payload = lastAssessment, let view = try? EventView(payload) else { return [] }
        var out: [KB] = []
        try? view.forEachAvailable { kb in if installedIndex[kb] == nil { out.append(kb) } }
        return out
    }

    /// Folds one event given as a decoded ``Event`` (encodes it first; for tests and
    /// small inputs).
    public mutating func apply(_ event: Event, sequence: UInt64, catalog: ReleaseCatalog) {
        try! apply(EventView(EventCodec.encode(event)[...]), time: event.time, sequence: sequence, catalog: catalog)
    }

    /// Folds one event read from the log (which must belong to this VM, and come in
    /// `(time, sequence)` order after the ones before). Allocates nothing except for a
    /// registration or a new install period.
    public mutating func apply(_ event: EventView, time t: Timestamp, sequence: UInt64, catalog: ReleaseCatalog) throws(EventCodec.DecodeError) {
        eventCount += 1
        lastFoldedTime = t
        switch event.type {
        case .vmRegistered:
            guard case let .vmRegistered(r) = try EventCodec.decode(event.payload, id: "", time: t, vm: vm).body else { return }
            registered = true
            registration = r
            hotpatchEnabled = r.hotpatch
        case .vmHotpatch:
            hotpatchEnabled = try event.hotpatchEnabled()
        case .vmPower:
            let state = try event.powerState()
            if power != state { powerSince = t }
            power = state
        case .assessment:
            lastAssessmentAt = t
            assessmentBytes.removeAll(keepingCapacity: true)
            assessmentBytes.append(contentsOf: event.payload)
        case .install:
            let rebootCompleted = try event.installRebootStatus() == .completed
            _ = try event.forEachInstalledPatch { kb, state, kind, behaviour in
                guard state == .installed else { return }
                install(kb, kind: kind ?? catalog.kind(of: kb) ?? .other, rebootBehavior: behaviour, at: t,
                        rebootCompleted: rebootCompleted, sequence: sequence)
            }
        case .reboot:
            guard try event.rebootCompleted() else { break }
            lastCompletedReboot = t
            rollbackPending = false
            for index in installedIndex.values where periods[index].effectiveAt == nil {
                periods[index].effectiveAt = t
            }
        case .rollback:
            let restored = try event.rollback { kb in
                if let index = installedIndex.removeValue(forKey: kb) { periods[index].uninstalledAt = t }
            }
            if installedIndex[restored] == nil {
                installedIndex[restored] = periods.count
                periods.append(InstallPeriod(
                    kb: restored, kind: catalog.kind(of: restored) ?? .baseline,
                    installedAt: t, effectiveAt: nil, uninstalledAt: nil, sequence: sequence))
            }
            baseline = restored
            baselineSince = t
            rollbackPending = true
        case .featureRegistration, .providerRegistration, .release, .supportedImages:
            break
        }
    }

    private mutating func install(_ kb: KB, kind: PatchKind, rebootBehavior: RebootBehavior?, at t: Timestamp, rebootCompleted: Bool, sequence: UInt64) {
        guard installedIndex[kb] == nil else { return }
        let effective: Bool
        switch kind {
        case .hotpatch:
            // A hotpatch patches the running code of its baseline: on a baseline still
            // waiting for its reboot it becomes effective with it, at that reboot.
            effective = !baselineAwaitsReboot
        case .baseline, .other:
            // Effective at once without a reboot; with one, when the install itself
            // says the reboot completed, or when a completed reboot at this same
            // moment was folded just before.
            let needsReboot = kind == .baseline || rebootBehavior != .neverReboots
            effective = !needsReboot || rebootCompleted || lastCompletedReboot == t
        }
        installedIndex[kb] = periods.count
        periods.append(InstallPeriod(kb: kb, kind: kind, installedAt: t, effectiveAt: effective ? t : nil, uninstalledAt: nil, sequence: sequence))
        if kind == .baseline {
            baseline = kb
            baselineSince = t
        }
    }
}
