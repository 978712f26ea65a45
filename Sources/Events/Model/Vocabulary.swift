/// The closed vocabularies of docs/events.md, each a small integer on disk. Raw values
/// are part of the binary format: never renumber them; add new cases at the end.

/// A value of a closed vocabulary: its name in JSON and its number on disk.
public protocol Vocabulary: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == UInt8 {
    /// The JSON names, in raw-value order from ``firstRawValue``.
    static var names: [String] { get }
    /// The raw value of the first case (0 unless said otherwise).
    static var firstRawValue: UInt8 { get }
}

extension Vocabulary {
    /// Raw values count from 0.
    public static var firstRawValue: UInt8 { 0 }

    /// The name docs/events.md gives it.
    public var name: String { Self.names[Int(rawValue - Self.firstRawValue)] }

    /// The case with this JSON name (exact, case-sensitive), if any.
    @inlinable
    public init?(name: ArraySlice<UInt8>) {
        let names = Self.names
        for i in names.indices {
            var candidate = names[i]
            let equal = candidate.withUTF8 { c in
                c.count == name.count && name.withUnsafeBufferPointer { n in c.elementsEqual(n) }
            }
            if equal {
                self.init(rawValue: UInt8(i) + Self.firstRawValue)
                return
            }
        }
        return nil
    }

    /// The case with this JSON name (exact, case-sensitive), if any.
    public init?(name: String) {
        self.init(name: Array(name.utf8)[...])
    }
}

/// Which kind of event; its JSON `type`.
public enum EventType: UInt8, Vocabulary {
    case featureRegistration = 1, providerRegistration, release, vmRegistered, vmHotpatch, vmPower, assessment, install, reboot, rollback
    /// The list of images Hotpatch supports changed (added after `rollback`: the
    /// numbers are stored in every payload and never change).
    case supportedImages
    public static let names = ["feature.registration", "provider.registration", "release", "vm.registered", "vm.hotpatch",
                               "vm.power", "assessment", "install", "reboot", "rollback", "supported.images"]
    public static var firstRawValue: UInt8 { 1 }
    /// Whether events of this type belong to a VM (and must carry `vm`).
    public var isVMEvent: Bool { rawValue >= EventType.vmRegistered.rawValue && rawValue <= EventType.rollback.rawValue }
}

/// A release's kind, and the kind of a patch.
public enum PatchKind: UInt8, Vocabulary {
    case baseline = 0, hotpatch, other
    public static let names = ["baseline", "hotpatch", "other"]
}

/// `feature.registration.state`.
public enum FeatureState: UInt8, Vocabulary {
    case registering = 0, registered, unregistering, notRegistered
    public static let names = ["Registering", "Registered", "Unregistering", "NotRegistered"]
}

/// `provider.registration.state`.
public enum ProviderState: UInt8, Vocabulary {
    case registering = 0, registered, unregistered
    public static let names = ["Registering", "Registered", "Unregistered"]
}

/// `vm.registered.platform`.
public enum Platform: UInt8, Vocabulary {
    case azure = 0, azureStackHCI
    public static let names = ["Azure", "AzureStackHCI"]
}

/// `vm.registered.patchMode`.
public enum PatchMode: UInt8, Vocabulary {
    case automaticByPlatform = 0, automaticByOS, manual, imageDefault
    public static let names = ["AutomaticByPlatform", "AutomaticByOS", "Manual", "ImageDefault"]
}

/// `vm.registered.orchestration`.
public enum Orchestration: UInt8, Vocabulary {
    case none = 0, vmssFlexible, vmssUniform
    public static let names = ["None", "VMSSFlexible", "VMSSUniform"]
}

/// `vm.power.state`.
public enum PowerState: UInt8, Vocabulary {
    case running = 0, deallocated, stopped
    public static let names = ["Running", "Deallocated", "Stopped"]
}

/// `assessment.trigger` and `install.trigger` share a field but not values.
public enum AssessmentTrigger: UInt8, Vocabulary {
    case periodic = 0, onDemand
    public static let names = ["Periodic", "OnDemand"]
}

/// `install.trigger`.
public enum InstallTrigger: UInt8, Vocabulary {
    case platform = 0, onDemand
    public static let names = ["Platform", "OnDemand"]
}

/// `assessment.status` and `install.status`.
public enum OperationStatus: UInt8, Vocabulary {
    case succeeded = 0, failed, completedWithWarnings, unknown
    public static let names = ["Succeeded", "Failed", "CompletedWithWarnings", "Unknown"]
}

/// `install.rebootStatus`.
public enum RebootStatus: UInt8, Vocabulary {
    case notNeeded = 0, required, started, completed, failed, unknown
    public static let names = ["NotNeeded", "Required", "Started", "Completed", "Failed", "Unknown"]
}

/// `rebootBehavior` of an available or installed patch.
public enum RebootBehavior: UInt8, Vocabulary {
    case neverReboots = 0, alwaysRequiresReboot, canRequestReboot, unknown
    public static let names = ["NeverReboots", "AlwaysRequiresReboot", "CanRequestReboot", "Unknown"]
}

/// `install.patches[].state`.
public enum PatchState: UInt8, Vocabulary {
    case installed = 0, failed, pending, excluded, notSelected, unknown
    public static let names = ["Installed", "Failed", "Pending", "Excluded", "NotSelected", "Unknown"]
}

/// `reboot.reason`.
public enum RebootReason: UInt8, Vocabulary {
    case baseline = 0, update, rollback, manual, unplanned
    public static let names = ["Baseline", "Update", "Rollback", "Manual", "Unplanned"]
}

/// `reboot.status`.
public enum RebootOutcome: UInt8, Vocabulary {
    case completed = 0, failed
    public static let names = ["Completed", "Failed"]
}

/// Update classifications as Azure names them. A list of them is stored as a bit
/// set when it names known classifications in this order without repeats, which is
/// how Azure lists them; any other list is stored as given.
public enum KnownClassification: UInt8, CaseIterable, Sendable {
    case critical = 0, security, updateRollup, featurePack, servicePack, definition, tools, updates, other
    /// The names as Azure writes them, in raw-value order.
    public static let names = ["Critical", "Security", "UpdateRollup", "FeaturePack", "ServicePack", "Definition", "Tools", "Updates", "Other"]
    /// The name as Azure writes it.
    public var name: String { Self.names[Int(rawValue)] }
}
