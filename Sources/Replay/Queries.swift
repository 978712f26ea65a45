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
        let states = try fleet(at: at ?? Timestamp(nanoseconds: .max), asRecorded: asRecorded)
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

/// One line of a VM's history for a person to read.
public enum EventSummary {
    /// What `event` says, in a few words.
    public static func describe(_ event: Event) -> String {
        switch event.body {
        case let .featureRegistration(f): return "feature \(f.feature) \(f.state.name) in \(f.subscription)"
        case let .providerRegistration(p): return "provider \(p.namespace) \(p.state.name) in \(p.subscription)"
        case let .release(r):
            return "release \(r.kb) (\(r.kind.name)\(r.baseline.map { " on \($0)" } ?? ""))\(r.title.map { ": \($0)" } ?? "")"
        case let .vmRegistered(v):
            return "registered: \(v.image.publisher)/\(v.image.offer)/\(v.image.sku), \(v.platform.name), \(v.patchMode.name), hotpatch \(v.hotpatch ? "on" : "off")"
                + (v.timezone.map { ", time zone \($0)" } ?? "")
        case let .vmHotpatch(enabled): return "hotpatch \(enabled ? "enabled" : "disabled")"
        case let .vmPower(state): return "power \(state.name)"
        case let .assessment(a):
            let kbs = a.available.map(\.kb.description)
            return "assessment (\(a.trigger.name), \(a.status.name)): \(kbs.isEmpty ? "nothing available" : "available " + kbs.joined(separator: ", "))"
                + (a.rebootPending ? "; reboot pending" : "")
        case let .install(i):
            let parts = i.patches.map { "\($0.kb) \($0.state.name)" }
            return "install (\(i.trigger.name), \(i.status.name), reboot \(i.rebootStatus.name)): \(parts.isEmpty ? "no patches" : parts.joined(separator: ", "))"
                + (i.maintenanceWindowExceeded == true ? "; maintenance window exceeded" : "")
        case let .reboot(r): return "reboot (\(r.reason.name)) \(r.status.name)"
        case let .rollback(r):
            return "rollback: uninstalled \(r.uninstalled.map(\.description).joined(separator: ", ")); restored \(r.restoredBaseline)"
        case let .supportedImages(list):
            return "supported images: " + (list.images.isEmpty ? "none" : list.images.map { "\($0.publisher)/\($0.offer)/\($0.sku)" }.joined(separator: ", "))
        }
    }
}
