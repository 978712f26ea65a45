/// The closed vocabularies of events.md, each a small integer on disk. Raw values
/// are part of the binary format: never renumber them; add new cases at the end.

/// A value of a closed vocabulary: its name in JSON and its number on disk.
public protocol Vocabulary: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == UInt8 {
    /// The name events.md gives it.
    var name: String { get }
}

extension Vocabulary {
    /// The case with this JSON name (exact, case-sensitive), if any.
    public init?(name: some Collection<UInt8>) {
        guard let match = Self.allCases.first(where: { $0.name.utf8.elementsEqual(name) }) else { return nil }
        self = match
    }

    /// Every JSON name, for "expected one of" messages.
    public static var names: [String] { allCases.map(\.name) }
}

/// Which kind of event; its JSON `type`.
public enum EventType: UInt8, Vocabulary {
    case featureRegistration = 1, providerRegistration, release, vmRegistered, vmHotpatch, vmPower, assessment, install, reboot, rollback
    public var name: String {
        switch self {
        case .featureRegistration: "feature.registration"
        case .providerRegistration: "provider.registration"
        case .release: "release"
        case .vmRegistered: "vm.registered"
        case .vmHotpatch: "vm.hotpatch"
        case .vmPower: "vm.power"
        case .assessment: "assessment"
        case .install: "install"
        case .reboot: "reboot"
        case .rollback: "rollback"
        }
    }
    /// Whether events of this type belong to a VM (and must carry `vm`).
    public var isVMEvent: Bool { rawValue >= EventType.vmRegistered.rawValue }
}

/// A release's kind, and the kind of a patch.
public enum PatchKind: UInt8, Vocabulary {
    case baseline = 0, hotpatch, other
    public var name: String { ["baseline", "hotpatch", "other"][Int(rawValue)] }
}

/// `feature.registration.state`.
public enum FeatureState: UInt8, Vocabulary {
    case registering = 0, registered, unregistering, notRegistered
    public var name: String { ["Registering", "Registered", "Unregistering", "NotRegistered"][Int(rawValue)] }
}

/// `provider.registration.state`.
public enum ProviderState: UInt8, Vocabulary {
    case registering = 0, registered, unregistered
    public var name: String { ["Registering", "Registered", "Unregistered"][Int(rawValue)] }
}

/// `vm.registered.platform`.
public enum Platform: UInt8, Vocabulary {
    case azure = 0, azureStackHCI
    public var name: String { ["Azure", "AzureStackHCI"][Int(rawValue)] }
}

/// `vm.registered.patchMode`.
public enum PatchMode: UInt8, Vocabulary {
    case automaticByPlatform = 0, automaticByOS, manual, imageDefault
    public var name: String { ["AutomaticByPlatform", "AutomaticByOS", "Manual", "ImageDefault"][Int(rawValue)] }
}

/// `vm.registered.orchestration`.
public enum Orchestration: UInt8, Vocabulary {
    case none = 0, vmssFlexible, vmssUniform
    public var name: String { ["None", "VMSSFlexible", "VMSSUniform"][Int(rawValue)] }
}

/// `vm.power.state`.
public enum PowerState: UInt8, Vocabulary {
    case running = 0, deallocated, stopped
    public var name: String { ["Running", "Deallocated", "Stopped"][Int(rawValue)] }
}

/// `assessment.trigger` and `install.trigger` share a field but not values.
public enum AssessmentTrigger: UInt8, Vocabulary {
    case periodic = 0, onDemand
    public var name: String { ["Periodic", "OnDemand"][Int(rawValue)] }
}

/// `install.trigger`.
public enum InstallTrigger: UInt8, Vocabulary {
    case platform = 0, onDemand
    public var name: String { ["Platform", "OnDemand"][Int(rawValue)] }
}

/// `assessment.status` and `install.status`.
public enum OperationStatus: UInt8, Vocabulary {
    case succeeded = 0, failed, completedWithWarnings, unknown
    public var name: String { ["Succeeded", "Failed", "CompletedWithWarnings", "Unknown"][Int(rawValue)] }
}

/// `install.rebootStatus`.
public enum RebootStatus: UInt8, Vocabulary {
    case notNeeded = 0, required, started, completed, failed, unknown
    public var name: String { ["NotNeeded", "Required", "Started", "Completed", "Failed", "Unknown"][Int(rawValue)] }
}

/// `rebootBehavior` of an available or installed patch.
public enum RebootBehavior: UInt8, Vocabulary {
    case neverReboots = 0, alwaysRequiresReboot, canRequestReboot, unknown
    public var name: String { ["NeverReboots", "AlwaysRequiresReboot", "CanRequestReboot", "Unknown"][Int(rawValue)] }
}

/// `install.patches[].state`.
public enum PatchState: UInt8, Vocabulary {
    case installed = 0, failed, pending, excluded, notSelected, unknown
    public var name: String { ["Installed", "Failed", "Pending", "Excluded", "NotSelected", "Unknown"][Int(rawValue)] }
}

/// `reboot.reason`.
public enum RebootReason: UInt8, Vocabulary {
    case baseline = 0, update, rollback, manual, unplanned
    public var name: String { ["Baseline", "Update", "Rollback", "Manual", "Unplanned"][Int(rawValue)] }
}

/// `reboot.status`.
public enum RebootOutcome: UInt8, Vocabulary {
    case completed = 0, failed
    public var name: String { ["Completed", "Failed"][Int(rawValue)] }
}

/// Update classifications as Azure names them. A list of them is stored as a bit
/// set when it names known classifications in this order without repeats, which is
/// how Azure lists them; any other list is stored as given.
public enum KnownClassification: UInt8, CaseIterable, Sendable {
    case critical = 0, security, updateRollup, featurePack, servicePack, definition, tools, updates, other
    /// The name as Azure writes it.
    public var name: String {
        ["Critical", "Security", "UpdateRollup", "FeaturePack", "ServicePack", "Definition", "Tools", "Updates", "Other"][Int(rawValue)]
    }
}
