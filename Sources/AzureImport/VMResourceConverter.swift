import Events

/// A VM (Microsoft.Compute) or Arc-enabled server (Microsoft.HybridCompute) resource
/// — a create request or response, a GET, `az vm show` — → one `vm.registered` per
/// snapshot: what the machine's settings were when the snapshot was taken.
///
/// A snapshot is a fact at its observation time (``ConversionContext/observation(of:payloadTime:)``):
/// `systemData.lastModifiedAt` when the payload has it, else `--observed-at`, else
/// the time of the import. Replay takes the latest registration at or before T, so
/// the later observation wins whatever the order the snapshots were imported in.
/// `timeCreated` is kept as an added member: a snapshot says nothing of the settings
/// between the machine's creation and the moment it was taken.
enum VMResourceConverter {
    /// Converts `resource` (an object with `properties`, or `az`'s flattened form).
    static func convert(_ resource: JSONNode, machine: MachineID, context: ConversionContext) throws(ItemError) -> Converted {
        var out = Converted()
        let props = resource["properties"] ?? resource
        let windows = props[path: "osProfile", "windowsConfiguration"]
        let osType = props[path: "storageProfile", "osDisk", "osType"]?.string ?? props["osType"]?.string
        if osType?.lowercased() == "linux" || (windows == nil && props[path: "osProfile", "linuxConfiguration"] != nil) {
            out.notes.append("\(PatchResultConverter.label(resource)): a Linux machine: ignored (patchlog records Windows Hotpatch)")
            return out
        }
        let settings = windows?["patchSettings"]
        let hotpatch = try settings?.optionalBool("enableHotpatching") ?? false
        let patchMode: PatchMode
        if let text = try settings?.optionalString("patchMode") {
            guard let mode = AzureVocabulary.match(text, PatchMode.self) else {
                throw settings!.error(member: "patchMode", "expected one of \(PatchMode.names.joined(separator: ", ")), got \"\(text)\"")
            }
            patchMode = mode
        } else if machine.kind == .arcMachine {
            patchMode = .imageDefault
        } else {
            patchMode = try windows?.optionalBool("enableAutomaticUpdates") == false ? .manual : .automaticByOS
        }
        let (image, imageId) = try MachineImage.reference(props, machine: machine)
        let created = try ConversionContext.time(props, ["timeCreated"])
        let modified = try resource["systemData"].flatMap { node throws(ItemError) in try ConversionContext.time(node, ["lastModifiedAt"]) }
        let observed = context.observation(of: resource, payloadTime: modified)
        let assessmentMode = try settings?.optionalString("assessmentMode")
        let platform = try MachineImage.platform(resource, props, machine: machine)
        let registration = VMRegistration(
            subscription: machine.subscription, image: image, platform: platform.value, patchMode: patchMode, hotpatch: hotpatch,
            timezone: try windows?.optionalString("timeZone"), orchestration: try MachineImage.orchestration(props))
        let extra = context.extra(item: resource.path) { j in
            if let assessmentMode { j.member("assessmentMode", assessmentMode) }
            if machine.kind == .arcMachine { j.member("arc", true) }
            if let why = platform.evidence { j.member("platformFrom", why) }
            if let imageId { j.member("imageId", imageId) }
            if let created { j.member("timeCreated", created.description) }
            if observed.clock { j.member("timeObserved", true) }
        }
        out.events.append(Event(id: "azure:vm.registered:\(machine.key):\(observed.key)", time: observed.time, vm: machine.vm,
                                body: .vmRegistered(registration), extra: extra))
        out.events += try ArcLicence.enrolment(props, machine: machine, context: context)
        return out
    }
}
