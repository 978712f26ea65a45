/// One event of the interchange format (docs/events.md): what happened, to what, when.
///
/// `id`, `time` and (for VM events) `vm` are common to every event; ``body`` holds
/// the fields of its type. Members of the JSON object that docs/events.md does not list
/// are kept, as they were written, in ``extra`` and written back on export.
public struct Event: Equatable, Sendable {
    /// Unique id, 1...128 characters.
    public var id: String
    /// When it happened (valid time).
    public var time: Timestamp
    /// The VM's resource id or name, for VM events; nil otherwise.
    public var vm: String?
    /// The type-specific fields.
    public var body: Body
    /// Unlisted members, as the text of a JSON object (`{"note":"x"}`), or nil.
    public var extra: String?

    /// An event with these parts.
    public init(id: String, time: Timestamp, vm: String? = nil, body: Body, extra: String? = nil) {
        self.id = id
        self.time = time
        self.vm = vm
        self.body = body
        self.extra = extra
    }

    /// Its type.
    public var type: EventType { body.type }

    /// The fields of each type.
    public enum Body: Equatable, Sendable {
        case featureRegistration(FeatureRegistration)
        case providerRegistration(ProviderRegistration)
        case release(Release)
        case vmRegistered(VMRegistration)
        case vmHotpatch(enabled: Bool)
        case vmPower(PowerState)
        case assessment(Assessment)
        case install(Install)
        case reboot(Reboot)
        case rollback(Rollback)
        case supportedImages(SupportedImageList)

        /// The type these fields belong to.
        public var type: EventType {
            switch self {
            case .featureRegistration: .featureRegistration
            case .providerRegistration: .providerRegistration
            case .release: .release
            case .vmRegistered: .vmRegistered
            case .vmHotpatch: .vmHotpatch
            case .vmPower: .vmPower
            case .assessment: .assessment
            case .install: .install
            case .reboot: .reboot
            case .rollback: .rollback
            case .supportedImages: .supportedImages
            }
        }
    }
}

/// `feature.registration`: a subscription's preview feature changed state.
public struct FeatureRegistration: Equatable, Sendable {
    public var subscription: String
    public var feature: String
    public var state: FeatureState
    public init(subscription: String, feature: String, state: FeatureState) {
        self.subscription = subscription
        self.feature = feature
        self.state = state
    }
}

/// `provider.registration`: a subscription's resource provider changed state.
public struct ProviderRegistration: Equatable, Sendable {
    public var subscription: String
    public var namespace: String
    public var state: ProviderState
    public init(subscription: String, namespace: String, state: ProviderState) {
        self.subscription = subscription
        self.namespace = namespace
        self.state = state
    }
}

/// `release`: a catalog entry, published at the event's time.
public struct Release: Equatable, Sendable {
    public var kb: KB
    public var kind: PatchKind
    /// Planned or unplanned (docs/events.md gives it for baselines).
    public var planned: Bool?
    /// The baseline a hotpatch is built on.
    public var baseline: KB?
    public var classifications: [String]
    public var title: String?
    public init(kb: KB, kind: PatchKind, planned: Bool? = nil, baseline: KB? = nil, classifications: [String], title: String? = nil) {
        self.kb = kb
        self.kind = kind
        self.planned = planned
        self.baseline = baseline
        self.classifications = classifications
        self.title = title
    }
}

/// The image a VM was created from.
public struct ImageReference: Equatable, Sendable {
    public var publisher: String
    public var offer: String
    public var sku: String
    public var version: String?
    public init(publisher: String, offer: String, sku: String, version: String? = nil) {
        self.publisher = publisher
        self.offer = offer
        self.sku = sku
        self.version = version
    }
}

/// `vm.registered`: a VM and its patch settings.
public struct VMRegistration: Equatable, Sendable {
    public var subscription: String
    public var image: ImageReference
    public var platform: Platform
    public var patchMode: PatchMode
    public var hotpatch: Bool
    public var timezone: String?
    /// Nil when the event did not say (which means `None`).
    public var orchestration: Orchestration?
    public init(subscription: String, image: ImageReference, platform: Platform, patchMode: PatchMode, hotpatch: Bool, timezone: String? = nil, orchestration: Orchestration? = nil) {
        self.subscription = subscription
        self.image = image
        self.platform = platform
        self.patchMode = patchMode
        self.hotpatch = hotpatch
        self.timezone = timezone
        self.orchestration = orchestration
    }
}

/// A patch an assessment found available.
public struct AvailablePatch: Equatable, Sendable {
    public var kb: KB
    public var classifications: [String]
    public var rebootBehavior: RebootBehavior?
    public var kind: PatchKind?
    public init(kb: KB, classifications: [String], rebootBehavior: RebootBehavior? = nil, kind: PatchKind? = nil) {
        self.kb = kb
        self.classifications = classifications
        self.rebootBehavior = rebootBehavior
        self.kind = kind
    }
}

/// `assessment`: what a patch assessment found.
public struct Assessment: Equatable, Sendable {
    public var activityId: String
    public var trigger: AssessmentTrigger
    public var status: OperationStatus
    public var rebootPending: Bool
    public var available: [AvailablePatch]
    public init(activityId: String, trigger: AssessmentTrigger, status: OperationStatus, rebootPending: Bool, available: [AvailablePatch]) {
        self.activityId = activityId
        self.trigger = trigger
        self.status = status
        self.rebootPending = rebootPending
        self.available = available
    }
}

/// What an install was asked to do.
public struct InstallRequest: Equatable, Sendable {
    public var classificationsToInclude: [String]
    public var kbsToInclude: [KB]
    public var kbsToExclude: [KB]
    public init(classificationsToInclude: [String] = [], kbsToInclude: [KB] = [], kbsToExclude: [KB] = []) {
        self.classificationsToInclude = classificationsToInclude
        self.kbsToInclude = kbsToInclude
        self.kbsToExclude = kbsToExclude
    }
}

/// A patch in an install's result.
public struct InstalledPatch: Equatable, Sendable {
    public var kb: KB
    public var classifications: [String]
    public var state: PatchState
    public var kind: PatchKind?
    public var rebootBehavior: RebootBehavior?
    public init(kb: KB, classifications: [String], state: PatchState, kind: PatchKind? = nil, rebootBehavior: RebootBehavior? = nil) {
        self.kb = kb
        self.classifications = classifications
        self.state = state
        self.kind = kind
        self.rebootBehavior = rebootBehavior
    }
}

/// `install`: the result of an install operation.
public struct Install: Equatable, Sendable {
    public var activityId: String
    public var trigger: InstallTrigger
    public var status: OperationStatus
    public var rebootStatus: RebootStatus
    public var maintenanceWindowExceeded: Bool?
    public var request: InstallRequest?
    public var patches: [InstalledPatch]
    public init(activityId: String, trigger: InstallTrigger, status: OperationStatus, rebootStatus: RebootStatus, maintenanceWindowExceeded: Bool? = nil, request: InstallRequest? = nil, patches: [InstalledPatch]) {
        self.activityId = activityId
        self.trigger = trigger
        self.status = status
        self.rebootStatus = rebootStatus
        self.maintenanceWindowExceeded = maintenanceWindowExceeded
        self.request = request
        self.patches = patches
    }
}

/// `reboot`.
public struct Reboot: Equatable, Sendable {
    public var reason: RebootReason
    public var status: RebootOutcome
    public init(reason: RebootReason, status: RebootOutcome) {
        self.reason = reason
        self.status = status
    }
}

/// `rollback`: patches uninstalled and the baseline restored.
public struct Rollback: Equatable, Sendable {
    public var uninstalled: [KB]
    public var restoredBaseline: KB
    public init(uninstalled: [KB], restoredBaseline: KB) {
        self.uninstalled = uninstalled
        self.restoredBaseline = restoredBaseline
    }
}

/// `supported.images`: the images Hotpatch supports, from this event's time on (until
/// the next such event), replacing the list before it. Matched by publisher, offer and
/// SKU, case-insensitively; a log without one uses the list built in.
public struct SupportedImageList: Equatable, Sendable {
    /// The images (their `version` is not used).
    public var images: [ImageReference]
    /// A list of these images.
    public init(images: [ImageReference]) { self.images = images }
}
