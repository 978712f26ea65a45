import Events

/// One install of a KB on a VM, as `patchlog when` reports it.
public struct KBInstall: Equatable, Sendable {
    public var vm: String
    public var installedAt: Timestamp
    public var effectiveAt: Timestamp?
    public var uninstalledAt: Timestamp?
}

/// What changed on a VM between two moments.
public struct VMDiff: Equatable, Sendable {
    public var installed: [InstallPeriod] = []
    public var becameEffective: [InstallPeriod] = []
    public var uninstalled: [InstallPeriod] = []
    public var baseline: (from: KB?, to: KB?)?
    public var hotpatchEnabled: (from: Bool, to: Bool)?
    public var pendingReboot: (from: Bool, to: Bool)?

    public static func == (a: VMDiff, b: VMDiff) -> Bool {
        a.installed == b.installed && a.becameEffective == b.becameEffective && a.uninstalled == b.uninstalled
            && a.baseline?.from == b.baseline?.from && a.baseline?.to == b.baseline?.to
            && a.hotpatchEnabled?.from == b.hotpatchEnabled?.from && a.hotpatchEnabled?.to == b.hotpatchEnabled?.to
            && a.pendingReboot?.from == b.pendingReboot?.from && a.pendingReboot?.to == b.pendingReboot?.to
    }

    /// Nothing changed.
    public var isEmpty: Bool {
        installed.isEmpty && becameEffective.isEmpty && uninstalled.isEmpty && baseline == nil && hotpatchEnabled == nil && pendingReboot == nil
    }
}

extension Replayer {
    /// Every install of `kb` across the fleet, by VM then `installedAt`. With `at`,
    /// only the VMs on which it was installed (and not uninstalled) at that moment,
    /// with the fields as they stood then.
    public func installs(of kb: KB, at: Timestamp? = nil, asRecorded: UInt64 = .max) throws -> [KBInstall] {
        // Only installs, reboots and rollbacks make, complete or end an install period:
        // the fold skips the rest (assessments are most of a log).
        let states = try fleet(at: at ?? Timestamp(nanoseconds: .max), asRecorded: asRecorded, only: [.install, .reboot, .rollback])
        var rows: [KBInstall] = []
        for state in states {
            if at != nil {
                guard let index = state.installedIndex[kb] else { continue }
                let p = state.periods[index]
                rows.append(KBInstall(vm: state.vm, installedAt: p.installedAt, effectiveAt: p.effectiveAt, uninstalledAt: nil))
            } else {
                for p in state.periods where p.kb == kb {
                    rows.append(KBInstall(vm: state.vm, installedAt: p.installedAt, effectiveAt: p.effectiveAt, uninstalledAt: p.uninstalledAt))
                }
            }
        }
        return rows.sorted { ($0.vm, $0.installedAt) < ($1.vm, $1.installedAt) }
    }

    /// What changed on `vm` from `from` to `to`.
    public func diff(vm: String, from: Timestamp, to: Timestamp, asRecorded: UInt64 = .max) throws -> (VMState, VMState, VMDiff) {
        let a = try state(ofVM: vm, at: from, asRecorded: asRecorded)
        let b = try state(ofVM: vm, at: to, asRecorded: asRecorded)
        var d = VMDiff()
        let before = Set(a.installedIndex.values.map { a.periods[$0].sequence })
        let after = Set(b.installedIndex.values.map { b.periods[$0].sequence })
        for p in b.installed where !before.contains(p.sequence) { d.installed.append(p) }
        for p in b.installed where p.effectiveAt != nil {
            let earlier = a.installedIndex[p.kb].map { a.periods[$0] }
            if earlier?.sequence != p.sequence || earlier?.effectiveAt == nil { d.becameEffective.append(p) }
        }
        for p in a.installed where !after.contains(p.sequence) {
            d.uninstalled.append(b.periods.first { $0.sequence == p.sequence && $0.kb == p.kb } ?? p)
        }
        if a.baseline != b.baseline { d.baseline = (a.baseline, b.baseline) }
        if a.hotpatchEnabled != b.hotpatchEnabled { d.hotpatchEnabled = (a.hotpatchEnabled, b.hotpatchEnabled) }
        if a.pendingReboot != b.pendingReboot { d.pendingReboot = (a.pendingReboot, b.pendingReboot) }
        return (a, b, d)
    }
}
