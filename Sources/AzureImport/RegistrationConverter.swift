import Events

/// Microsoft.Features feature registrations and Microsoft.Resources provider
/// registrations → `feature.registration` and `provider.registration`.
///
/// These payloads carry no time of the change (except `registrationDate` of a
/// subscription feature registration), so the event's time is when patchlog observed
/// the state, marked `"timeObserved": true`. The event id is the subscription, the
/// name, the state and the observation (its time, or a hash of the item when timed by
/// the clock): a dated registration is a fact of its own even when an undated
/// observation of the same state came first.
enum RegistrationConverter {
    /// A feature (`Features_Get`/`Features_Register` shape, or a subscription feature registration).
    static func feature(_ node: JSONNode, subscription given: String?, namespace givenNamespace: String?,
                        context: ConversionContext) throws(ItemError) -> Converted {
        let props = node["properties"] ?? node
        let id = try node.optionalString("id").flatMap(AzureResourceID.init)
        let stated = try props.optionalString("subscriptionId")
        guard let subscription = stated ?? id?.subscription ?? given else {
            throw node.error(member: "id", "a feature registration needs its subscription (an id /subscriptions/…, or the request's subscriptionId)")
        }
        let stateText = try props.requiredString("state", "a feature registration has one")
        let state: FeatureState
        switch stateText.lowercased() {
        case "pending": state = .registering
        case "unregistered", "notspecified": state = .notRegistered
        default:
            guard let s = AzureVocabulary.match(stateText, FeatureState.self) else {
                throw props.error(member: "state", "expected one of \(FeatureState.names.joined(separator: ", ")), Pending or Unregistered, got \"\(stateText)\"")
            }
            state = s
        }
        let featureName = try props.optionalString("featureName")
        let name: String
        if let featureName { name = featureName } else { name = try node.requiredString("name", "a feature has one") }
        let statedNamespace = try props.optionalString("providerNamespace")
        let namespace = statedNamespace ?? id.flatMap(featureNamespace) ?? givenNamespace
        let feature = name.contains("/") || namespace == nil ? name : namespace! + "/" + name
        let observed = context.observation(of: node, payloadTime: try ConversionContext.time(props, ["registrationDate"]))
        let extra = context.extra(item: node.path) { j in
            if stateText != FeatureState.names[Int(state.rawValue)] { j.member("azureState", stateText) }
            if observed.clock { j.member("timeObserved", true) }
        }
        let key = Digest.fnv1a64Hex(subscription.lowercased() + "/" + feature.lowercased())
        let event = Event(id: "azure:feature:\(key):\(FeatureState.names[Int(state.rawValue)]):\(observed.key)", time: observed.time,
                          body: .featureRegistration(FeatureRegistration(subscription: subscription, feature: feature, state: state)), extra: extra)
        return Converted(events: [event])
    }

    /// A resource provider (`Providers_Get`/`Providers_Register` shape).
    static func provider(_ node: JSONNode, subscription given: String?, context: ConversionContext) throws(ItemError) -> Converted {
        let namespace = try node.requiredString("namespace", "a provider has one")
        let stateText = try node.requiredString("registrationState", "a provider registration has one")
        let state: ProviderState
        if ["unregistering", "notregistered"].contains(stateText.lowercased()) { state = .unregistered } else {
            guard let s = AzureVocabulary.match(stateText, ProviderState.self) else {
                throw node.error(member: "registrationState", "expected one of \(ProviderState.names.joined(separator: ", ")), got \"\(stateText)\"")
            }
            state = s
        }
        let id = try node.optionalString("id")
        guard let subscription = id.flatMap(AzureResourceID.init)?.subscription ?? given else {
            throw node.error(member: "id", "a provider registration needs its subscription (an id /subscriptions/…, or the request's subscriptionId)")
        }
        let observed = context.observation(of: node, payloadTime: nil)
        let extra = context.extra(item: node.path) { j in
            if stateText != ProviderState.names[Int(state.rawValue)] { j.member("azureState", stateText) }
            if observed.clock { j.member("timeObserved", true) }
        }
        let key = Digest.fnv1a64Hex(subscription.lowercased() + "/" + namespace.lowercased())
        let event = Event(id: "azure:provider:\(key):\(ProviderState.names[Int(state.rawValue)]):\(observed.key)", time: observed.time,
                          body: .providerRegistration(ProviderRegistration(subscription: subscription, namespace: namespace, state: state)), extra: extra)
        return Converted(events: [event])
    }

    /// The provider namespace in a feature's id: `…/featureProviders/NS/…` or
    /// `…/providers/NS/features/NAME`.
    private static func featureNamespace(_ id: AzureResourceID) -> String? {
        if let namespace = id.value(after: "featureProviders") { return namespace }
        let lower = id.segments.map { $0.lowercased() }
        guard let i = lower.lastIndex(of: "features"), i >= 2, lower[i - 2] == "providers" else { return nil }
        return id.segments[i - 1]
    }
}
