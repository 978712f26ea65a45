import Events

/// Azure's words for patch states, statuses and classifications, mapped to
/// docs/events.md's. A value Azure has and docs/events.md has not becomes the docs/events.md
/// fallback (`Unknown`, or the classification as written) and is reported in a note.
enum AzureVocabulary {
    /// Classification names as the Update Manager APIs write them → the codec's names.
    /// Anything else is kept as written (the codec stores any name).
    static func classification(_ azure: String) -> String {
        switch azure.lowercased().replacingOccurrences(" ", "") {
        case "critical", "criticalupdates": "Critical"
        case "security", "securityupdates": "Security"
        case "updaterollup", "updaterollups": "UpdateRollup"
        case "featurepack", "featurepacks": "FeaturePack"
        case "servicepack", "servicepacks": "ServicePack"
        case "definition", "definitions", "definitionupdates": "Definition"
        case "tools": "Tools"
        case "updates": "Updates"
        case "other": "Other"
        default: azure
        }
    }

    /// Whether ``classification(_:)`` knows the name.
    static func isKnownClassification(_ azure: String) -> Bool {
        KnownClassification.names.contains(classification(azure))
    }

    /// A docs/events.md vocabulary value named like `azure` (any case), if there is one.
    static func match<V: Vocabulary>(_ azure: String, _: V.Type) -> V? {
        let wanted = azure.lowercased()
        guard let i = V.names.firstIndex(where: { $0.lowercased() == wanted }) else { return nil }
        return V(name: V.names[i])
    }

    /// `Succeeded`, `Failed`, `CompletedWithWarnings`; `InProgress`, `NotStarted` and
    /// anything else → `Unknown`.
    static func status(_ azure: String?) -> OperationStatus { azure.flatMap { match($0, OperationStatus.self) } ?? .unknown }

    /// `startedBy`: `Platform` → Periodic; `User` or absent → OnDemand.
    static func assessmentTrigger(_ startedBy: String?) -> AssessmentTrigger {
        startedBy?.lowercased() == "platform" ? .periodic : .onDemand
    }

    /// `startedBy` when given (`Platform` → Platform, `User` → OnDemand); without it,
    /// Platform when the run names a maintenance run (`maintenanceRunId` not empty:
    /// a user-started InstallPatches writes `""`), else OnDemand.
    static func installTrigger(startedBy: String?, maintenanceRunId: String?) -> InstallTrigger {
        if let startedBy { return startedBy.lowercased() == "platform" ? .platform : .onDemand }
        return maintenanceRunId == nil ? .onDemand : .platform
    }
}

extension String {
    /// This text with every `target` replaced by `replacement` (no Foundation).
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
