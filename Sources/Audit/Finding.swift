import Events

/// The rules findings come from (docs/audit.md defines each).
public enum AuditRule: String, CaseIterable, Sendable, Comparable {
    /// A Critical or Security release not effective on a VM it applies to within the
    /// allowed days.
    case notEffectiveInTime = "not-effective-in-time"
    /// Hotpatch enabled on an image not on the supported list.
    case unsupportedImage = "unsupported-image"
    /// Hotpatch enabled on a VM in a scale set with Uniform orchestration.
    case vmssUniform = "vmss-uniform"
    /// Hotpatch enabled on an Azure VM whose patch mode is not `AutomaticByPlatform`.
    case hotpatchPatchMode = "hotpatch-patch-mode"
    /// A hotpatch installed on a VM whose current baseline is not the one the
    /// hotpatch is built on.
    case baselineMismatch = "baseline-mismatch"
    /// A reboot pending longer than allowed.
    case rebootPending = "reboot-pending"
    /// A rollback not followed by a completed reboot in time.
    case rollbackWithoutReboot = "rollback-without-reboot"
    /// A rollback restored a KB the catalog says is not a baseline (a hotpatch, another update).
    case rollbackRestoresNotABaseline = "rollback-restores-not-a-baseline"
    /// A rollback restored a KB the VM never had installed.
    case rollbackRestoresUnknownBaseline = "rollback-restores-unknown-baseline"
    /// An automatic install outside the off-peak window of the VM's time zone.
    case installOutsideOffPeak = "install-outside-off-peak"
    /// A running VM not assessed for longer than allowed.
    case notAssessed = "not-assessed"
    /// Hotpatch enrolment while the subscription's preview features were not all
    /// Registered.
    case previewNotRegistered = "preview-not-registered"
    /// Hotpatch enrolment in a subscription that registered the preview features but
    /// did not register the `Microsoft.Compute` provider again after them.
    case providerNotRegistered = "provider-not-registered"
    /// An install that failed, or exceeded its maintenance window.
    case installFailed = "install-failed"
    /// An automatic (`Platform`) install of an update classified neither Critical nor Security.
    case automaticInstallNotCriticalOrSecurity = "automatic-install-not-critical-or-security"
    /// A KB installed by a request that excluded it.
    case excludedKBInstalled = "excluded-kb-installed"
    /// A hotpatch release whose `baseline` is not the latest baseline at its publication.
    case hotpatchNotOnLatestBaseline = "hotpatch-not-on-latest-baseline"
    /// A hotpatch released in the month of an unplanned baseline, which replaces it.
    case hotpatchInUnplannedBaselineMonth = "hotpatch-in-unplanned-baseline-month"
    /// A hotpatch installed on a VM not enrolled in Hotpatch.
    case hotpatchNotEnrolled = "hotpatch-not-enrolled"
    /// Enrolment turned on again before a baseline was released after the VM left Hotpatch.
    case reEnrolledBeforeBaseline = "re-enrolled-before-baseline"

    /// Orders rules as declared.
    public static func < (a: AuditRule, b: AuditRule) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One finding: a VM broke a rule from `start` until `end` (nil: still at the
/// moment audited), and the events that show it.
public struct Finding: Equatable, Sendable {
    /// The VM, as first written (``catalogVM`` for findings about the release catalog).
    public var vm: String
    /// The rule broken.
    public var rule: AuditRule
    /// The KB concerned, for rules about one release.
    public var kb: KB?
    /// When the rule was first broken (for a rule about a single event, its time).
    public var start: Timestamp
    /// When it stopped holding; nil while it still held at the moment audited. A
    /// rule about a single event ends where it starts.
    public var end: Timestamp?
    /// Sequence numbers of the events behind it, ascending, without repeats.
    public var evidence: [UInt64]
    /// What happened, in a sentence for a person.
    public var detail: String
    /// Why the rule applied to the VM (its platform, patch mode and enrolment then);
    /// nil for findings about the release catalog.
    public var basis: RuleBasis?

    /// What findings about the release catalog give as their VM.
    public static let catalogVM = "(catalog)"

    /// A finding; `evidence` is sorted and its repeats dropped.
    public init(vm: String, rule: AuditRule, kb: KB? = nil, start: Timestamp, end: Timestamp?, evidence: [UInt64], detail: String, basis: RuleBasis? = nil) {
        self.basis = basis
        self.vm = vm
        self.rule = rule
        self.kb = kb
        self.start = start
        self.end = end
        var seen = Set<UInt64>()
        self.evidence = evidence.sorted().filter { $0 != 0 && seen.insert($0).inserted }
        self.detail = detail
    }

    /// Whether the span `[start, end]` (open spans reach forever) meets `[since, until]`.
    public func overlaps(since: Timestamp?, until: Timestamp?) -> Bool {
        if let until, start > until { return false }
        if let since, let end, end < since { return false }
        return true
    }

    /// The order findings are listed in: VM, start, rule, KB.
    public static func listed(_ a: Finding, _ b: Finding) -> Bool {
        if a.vm != b.vm { return a.vm < b.vm }
        if a.start != b.start { return a.start < b.start }
        if a.rule != b.rule { return a.rule < b.rule }
        return (a.kb?.packed ?? 0) < (b.kb?.packed ?? 0)
    }
}
