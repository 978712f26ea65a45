import Events

/// The preview-era feature registrations of each subscription (docs/domain.md: three
/// `Microsoft.Compute` features registered per subscription), as a timeline, so
/// that the audit can ask whether all three were Registered at a moment.
public struct PreviewRegistrations: Sendable {
    /// The features a subscription needs Registered before enrolling VMs.
    public static let requiredFeatures = ["InGuestHotPatchVMPreview", "InGuestAutoPatchVMPreview", "InGuestPatchVMPreview"]

    struct Change: Sendable {
        var time: Timestamp
        var sequence: UInt64
        var feature: Int
        var state: FeatureState
    }

    /// Lower-cased subscription → its changes to the required features, in fold order.
    private var changes: [String: [Change]] = [:]
    /// Lower-cased subscription → its `Microsoft.Compute` provider registrations
    /// (state `Registered`), in fold order.
    private var providers: [String: [(time: Timestamp, sequence: UInt64)]] = [:]

    /// The registrations among `events` with `time ≤ at` (other events and other
    /// features are ignored).
    public init(_ events: [(sequence: UInt64, event: Event)], at: Timestamp) {
        for (sequence, event) in events where event.time <= at {
            if case let .providerRegistration(p) = event.body, p.state == .registered, p.namespace.lowercased() == "microsoft.compute" {
                providers[p.subscription.lowercased(), default: []].append((event.time, sequence))
            }
            guard case let .featureRegistration(f) = event.body else { continue }
            let name = f.feature.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
            guard let feature = Self.requiredFeatures.firstIndex(where: { $0.lowercased() == name }) else { continue }
            changes[f.subscription.lowercased(), default: []].append(Change(time: event.time, sequence: sequence, feature: feature, state: f.state))
        }
        for key in changes.keys { changes[key]!.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) } }
        for key in providers.keys { providers[key]!.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) } }
    }

    /// Whether `subscription` registered the `Microsoft.Compute` provider again after
    /// its latest change to a required feature, by `t` (the opt-in's last step): nil
    /// when it did, or when the log has no feature registration for it by then; else
    /// the latest feature change, and the sequence numbers of that change and of the
    /// latest provider registration before it (if any).
    public func providerNotRegisteredAgain(in subscription: String, at t: Timestamp) -> (featuresAt: Timestamp, evidence: [UInt64])? {
        let key = subscription.lowercased()
        guard let last = changes[key]?.last(where: { $0.time <= t }) else { return nil }
        let registered = providers[key]?.filter { $0.time <= t } ?? []
        if let latest = registered.last, (latest.time, latest.sequence) > (last.time, last.sequence) { return nil }
        return (last.time, [last.sequence] + (registered.last.map { [$0.sequence] } ?? []))
    }

    /// Whether `subscription` had every required feature Registered at `t`: nil when
    /// the log has no registration events for it; else the features that were not,
    /// and the sequence numbers of the latest change of each feature by then.
    public func missing(in subscription: String, at t: Timestamp) -> (features: [String], evidence: [UInt64])? {
        guard let list = changes[subscription.lowercased()] else { return nil }
        var latest: [Change?] = Array(repeating: nil, count: Self.requiredFeatures.count)
        for c in list where c.time <= t { latest[c.feature] = c }
        let missing = Self.requiredFeatures.indices.filter { latest[$0]?.state != .registered }.map { Self.requiredFeatures[$0] }
        return (missing, latest.compactMap { $0?.sequence })
    }
}
