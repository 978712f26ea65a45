import Events

/// Why a rule was applied to a VM: what its registration said at that moment
/// (platform, patch mode, enrolment) and which of the documents' promises or rules
/// that makes hold (docs/audit.md, "Which rules apply to which VM"). Plain values,
/// so that keeping one per exposure window copies no string.
public struct RuleBasis: Equatable, Sendable {
    /// Which reading of the documents made the rule apply.
    public enum Reason: String, Sendable {
        /// Azure's automatic VM guest patching (an Azure VM with patch mode
        /// `AutomaticByPlatform`) promises it: installs within 30 days, in off-peak
        /// hours, periodic assessments.
        case azureOrchestrated = "azure-orchestrated"
        /// `--policy all-vms`: the organisation holds every VM to the standard.
        case allVMs = "all-vms"
        /// A rule about VMs enrolled in Hotpatch.
        case hotpatchEnrolment = "hotpatch-enrolment"
        /// A rule about installing, rebooting or rolling back, for every VM.
        case everyVM = "every-vm"
    }

    /// Which reading made the rule apply.
    public var reason: Reason
    /// The VM's platform then; nil when it was not registered.
    public var platform: Platform?
    /// The VM's patch mode then; nil when it was not registered.
    public var patchMode: PatchMode?
    /// Whether the VM was enrolled in Hotpatch then.
    public var enrolled: Bool

    /// A basis.
    public init(reason: Reason, platform: Platform?, patchMode: PatchMode?, enrolled: Bool) {
        self.reason = reason
        self.platform = platform
        self.patchMode = patchMode
        self.enrolled = enrolled
    }

    /// Whether Azure orchestrates this VM's patching: an Azure VM with patch mode
    /// `AutomaticByPlatform` (the documents' "Azure-orchestrated patch installation",
    /// automatic VM guest patching).
    public var azureOrchestrated: Bool { platform == .azure && patchMode == .automaticByPlatform }

    /// The VM as registered then: `Azure, AutomaticByPlatform, hotpatch on`.
    public var vmDescription: String {
        guard let platform, let patchMode else { return "not registered, hotpatch \(enrolled ? "on" : "off")" }
        return "\(platform.name), \(patchMode.name), hotpatch \(enrolled ? "on" : "off")"
    }

    /// The sentence the finding gives: which rule set applied, and why.
    public var description: String {
        let why: String
        switch reason {
        case .azureOrchestrated: why = "Azure's automatic VM guest patching"
        case .allVMs: why = "--policy all-vms"
        case .hotpatchEnrolment: why = "Hotpatch enrolment"
        case .everyVM: why = "every VM"
        }
        return "\(why) (\(vmDescription))"
    }
}

/// Which VMs are held to the standards Azure's automatic VM guest patching
/// promises (docs/audit.md).
public enum PolicyScope: String, CaseIterable, Sendable {
    /// As the documents say: only Azure-orchestrated VMs (Azure, `AutomaticByPlatform`).
    case documents
    /// Every VM is held to the effective-within-days standard and to periodic
    /// assessments, whatever its platform and patch mode.
    case allVMs = "all-vms"
}
