import Events

/// An Arc-enabled server's Hotpatch licence (`properties.licenseProfile.productProfile.productFeatures`,
/// `Machines_Get` with `$expand=instanceView`): when it was enrolled, and when it left.
enum ArcLicence {
    /// `vm.hotpatch` `true` at the `Hotpatch` feature's `enrollmentDate`, and `false`
    /// at its `disenrollmentDate` when its `subscriptionStatus` is no longer
    /// `Enabled`. Ids carry the date: the same licence seen again is the same fact.
    static func enrolment(_ props: JSONNode, machine: MachineID, context: ConversionContext) throws(ItemError) -> [Event] {
        guard machine.kind == .arcMachine,
              let features = props[path: "licenseProfile", "productProfile", "productFeatures"], features.isArray else { return [] }
        var out: [Event] = []
        for feature in features.elements where (try feature.optionalString("name"))?.lowercased() == "hotpatch" {
            let status = try feature.optionalString("subscriptionStatus")
            if let enrolled = try ConversionContext.time(feature, ["enrollmentDate"]) {
                out.append(event(enabled: true, at: enrolled, feature, machine, context))
            }
            if let status, status.lowercased() != "enabled", let left = try ConversionContext.time(feature, ["disenrollmentDate"]) {
                out.append(event(enabled: false, at: left, feature, machine, context))
            }
        }
        return out
    }

    private static func event(enabled: Bool, at time: Timestamp, _ feature: JSONNode, _ machine: MachineID, _ context: ConversionContext) -> Event {
        let what = enabled ? "enrolled" : "disenrolled"
        return Event(id: "azure:vm.hotpatch:\(machine.key):\(what):t\(String(UInt64(bitPattern: time.nanoseconds), radix: 16))", time: time,
                     vm: machine.vm, body: .vmHotpatch(enabled: enabled),
                     extra: context.extra(item: feature.path) { $0.member("licence", "Hotpatch \(enabled ? "enrollmentDate" : "disenrollmentDate")") })
    }
}
