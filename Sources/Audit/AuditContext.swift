import Events
import Replay

/// What the audit of every VM shares: the policy, the moment audited, the catalog,
/// its Critical and Security releases in publication order, and the subscriptions'
/// preview registrations.
final class AuditContext {
    let policy: AuditPolicy
    let at: Timestamp
    let catalog: ReleaseCatalog
    /// Critical or Security releases published by `at`, by publication time then sequence.
    let securityReleases: [SecurityRelease]
    /// The same, by KB.
    let security: KBMap<SecurityRelease>
    let registrations: PreviewRegistrations
    /// Baseline releases (any classification) published by `at`, by publication time
    /// then sequence.
    let baselines: [ReleaseCatalog.Entry]

    init(policy: AuditPolicy, at: Timestamp, catalog: ReleaseCatalog, registrations: PreviewRegistrations) {
        self.policy = policy
        self.at = at
        self.catalog = catalog
        self.registrations = registrations
        let list = catalog.entries.values.filter { entry in
            entry.publishedAt <= at && entry.release.classifications.contains { c in
                let lower = c.lowercased()
                return lower == "critical" || lower == "security"
            }
        }
        securityReleases = list.sorted { ($0.publishedAt, $0.sequence) < ($1.publishedAt, $1.sequence) }
            .map { SecurityRelease(kb: $0.release.kb, kind: $0.release.kind, publishedAt: $0.publishedAt, sequence: $0.sequence) }
        var byKB = KBMap<SecurityRelease>()
        for entry in securityReleases { byKB[entry.kb] = entry }
        security = byKB
        baselines = catalog.entries.values.filter { $0.release.kind == .baseline && $0.publishedAt <= at }
            .sorted { ($0.publishedAt, $0.sequence) < ($1.publishedAt, $1.sequence) }
    }

    /// The first baseline published after `t` (and by the moment audited), if any.
    ///
    /// - Complexity: O(log n) in the number of baselines.
    func baseline(publishedAfter t: Timestamp) -> ReleaseCatalog.Entry? {
        let i = firstBaselineIndex(after: t)
        return i < baselines.count ? baselines[i] : nil
    }

    /// The latest baseline published at or before `t`, if any.
    ///
    /// - Complexity: O(log n) in the number of baselines.
    func latestBaseline(by t: Timestamp) -> ReleaseCatalog.Entry? {
        let i = firstBaselineIndex(after: t)
        return i > 0 ? baselines[i - 1] : nil
    }

    private func firstBaselineIndex(after t: Timestamp) -> Int {
        var low = 0, high = baselines.count
        while low < high {
            let mid = (low + high) / 2
            if baselines[mid].publishedAt <= t { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// What the fold needs of a Critical or Security release: plain values only, so
/// that reading one per event copies no strings (no reference counting).
struct SecurityRelease: Sendable {
    let kb: KB
    let kind: PatchKind
    let publishedAt: Timestamp
    let sequence: UInt64
}

/// A VM's totals for the reboots Hotpatch avoided.
public struct VMAuditTotals: Equatable, Sendable {
    /// The VM, as first written.
    public var vm: String
    /// Hotpatches installed (each effective without a reboot: a reboot avoided).
    public var rebootlessInstalls: Int
    /// Completed reboots.
    public var completedReboots: Int
}

/// The audit of a log at a moment: every finding, every exposure window, and each
/// VM's reboot totals.
public struct AuditResult: Sendable {
    /// The moment audited: events after it were ignored, and what still held then is open.
    public var at: Timestamp
    /// The thresholds applied.
    public var policy: AuditPolicy
    /// Every finding, by VM, start, rule and KB.
    public var findings: [Finding]
    /// Every exposure window, by VM, start and KB.
    public var exposures: [ExposureWindow]
    /// Each VM's totals, by VM.
    public var vms: [VMAuditTotals]

    /// The findings whose span meets `[since, until]` (either end may be open).
    public func findings(since: Timestamp?, until: Timestamp?) -> [Finding] {
        findings.filter { $0.overlaps(since: since, until: until) }
    }
}

/// Audits a log: findings and exposure windows of every VM, in one sequential pass
/// over the log (see ``Replayer/foldEveryVM(at:asRecorded:workers:only:start:_:)``).
public enum Audit {
    /// The audit of `replayer`'s log as of `at`: events after `at` are ignored, so
    /// the answer for a past moment is the same whenever it is asked (unless events
    /// about that past are appended later; `asRecorded` folds only the events appended
    /// up to that sequence number, what the log knew then).
    ///
    /// - Complexity: one scan of the log, plus reading the catalog and subscription streams.
    public static func run(_ replayer: Replayer, at: Timestamp, asRecorded: UInt64 = .max, policy: AuditPolicy) throws -> AuditResult {
        let context = try AuditContext(replayer, policy: policy, at: at, asRecorded: asRecorded)
        // Each VM's audit is finished by the worker that folded it, both at once.
        let audits = try replayer.foldEveryVM(at: at, asRecorded: asRecorded, start: { VMAudit(vm: $0) }, finish: { $0.finishInOrder(context) }) {
            audit, view, time, sequence throws(EventCodec.DecodeError) in
            try audit.fold(view, time: time, sequence: sequence, context: context)
        }
        return result(of: audits, findings: CatalogChecks.findings(context), context)
    }

    /// The audit of one VM, as ``run(_:at:asRecorded:policy:)`` gives it restricted to
    /// that VM (``AuditResult/only(vm:)``), from a read of that VM's stream only (and
    /// the catalog and subscription streams): what `report --vm` draws.
    public static func run(_ replayer: Replayer, vm: String, at: Timestamp, asRecorded: UInt64 = .max, policy: AuditPolicy) throws -> AuditResult {
        let context = try AuditContext(replayer, policy: policy, at: at, asRecorded: asRecorded)
        let known = replayer.log.knownVM(vm) ?? vm
        var audit = (VMAudit(vm: known), 0)
        try replayer.fold(vm: vm, at: at, asRecorded: asRecorded, into: &audit) { audit, view, time, sequence throws(EventCodec.DecodeError) in
            audit.1 += 1
            try audit.0.fold(view, time: time, sequence: sequence, context: context)
        }
        if audit.1 > 0 { audit.0.finishInOrder(context) }
        return result(of: [audit], findings: CatalogChecks.findings(context), context).only(vm: known)
    }

    /// The result of folded audits (each VM's, with how many events it folded; those
    /// that folded any finished in order, ``VMAudit/finishInOrder(_:)``), with the
    /// findings of the catalog.
    private static func result(of audits: [(VMAudit, Int)], findings catalogFindings: [Finding], _ context: AuditContext) -> AuditResult {
        var findings = catalogFindings
        var exposures: [ExposureWindow] = []
        var vms: [VMAuditTotals] = []
        // By index: a copy of an audit would retain each of its arrays.
        for i in audits.indices where audits[i].1 > 0 {
            findings += audits[i].0.findings
            exposures += audits[i].0.exposures
            vms.append(VMAuditTotals(vm: audits[i].0.state.vm, rebootlessInstalls: audits[i].0.rebootlessInstalls, completedReboots: audits[i].0.completedReboots))
        }
        // Each VM's lists are in order, and the VMs come sorted: a fleet's lists are
        // then in order already, and are only checked (a stable sort would leave
        // them as they are).
        if !isSorted(findings, by: Finding.listed) { findings.sort(by: Finding.listed) }
        if !isSorted(exposures, by: ExposureWindow.listed) { exposures.sort(by: ExposureWindow.listed) }
        return AuditResult(at: context.at, policy: context.policy, findings: findings, exposures: exposures, vms: vms)
    }

    /// Whether no element of `list` comes before the one ahead of it.
    private static func isSorted<T>(_ list: [T], by before: (T, T) -> Bool) -> Bool {
        list.indices.dropFirst().allSatisfy { !before(list[$0], list[$0 - 1]) }
    }
}

extension AuditContext {
    /// The context of an audit of `replayer`'s log at `at`, as known at `asRecorded`:
    /// the catalog and the subscriptions' preview registrations.
    convenience init(_ replayer: Replayer, policy: AuditPolicy, at: Timestamp, asRecorded: UInt64) throws {
        let registrations = try replayer.log.registrations().filter { $0.sequence <= asRecorded }
        self.init(policy: policy, at: at, catalog: try replayer.catalog(asRecorded: asRecorded),
                  registrations: PreviewRegistrations(registrations, at: at))
    }
}

extension AuditResult {
    /// The same audit restricted to one VM (any case).
    public func only(vm: String) -> AuditResult {
        let key = vm.lowercased()
        var r = self
        r.findings = findings.filter { $0.vm.lowercased() == key }
        r.exposures = exposures.filter { $0.vm.lowercased() == key }
        r.vms = vms.filter { $0.vm.lowercased() == key }
        return r
    }
}
