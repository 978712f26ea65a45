import Events
import Interchange

/// A VM (Microsoft.Compute) or Arc-enabled server (Microsoft.HybridCompute) resource
/// — a create request or response, or a GET — → `vm.registered` the first time
/// patchlog sees the machine, then `vm.hotpatch` whenever a later snapshot's
/// `enableHotpatching` differs from what the log says.
enum VMResourceConverter {
    /// Converts `resource` (an object with `properties`). `enrolment` says what
    /// patchlog knows of each machine, from the log and from earlier snapshots of
    /// this import; it is updated.
    static func convert(_ resource: JSONNode, machine: MachineID, context: ConversionContext,
                        enrolment: EnrolmentMemory) throws(ItemError) -> Converted {
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
        let logged: Bool?
        do { logged = try enrolment.hotpatch(of: machine.vm) } catch {
            throw resource.error("cannot tell whether \(machine.vm) is already registered: its history in the log does not read (\(error))")
        }
        if let known = logged {
            guard known != hotpatch else { return out }
            enrolment.record(machine.vm, hotpatch)
            let id = "azure:vm.hotpatch:\(machine.key):\(hotpatch):\(context.source.suffix(16))"
            out.events.append(Event(id: id, time: context.observedAt, vm: machine.vm, body: .vmHotpatch(enabled: hotpatch),
                                    extra: context.extra(item: resource.path) { $0.member("timeObserved", true) }))
            return out
        }
        enrolment.record(machine.vm, hotpatch)
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
        let image: ImageReference
        if let reference = props[path: "storageProfile", "imageReference"], reference["publisher"] != nil {
            image = ImageReference(publisher: try reference.requiredString("publisher", "an image reference has one"),
                                   offer: try reference.requiredString("offer", "an image reference has one"),
                                   sku: try reference.requiredString("sku", "an image reference has one"),
                                   version: try reference.optionalString("version"))
        } else if machine.kind == .arcMachine {
            image = ImageReference(publisher: "HybridCompute", offer: try props.optionalString("osName") ?? "unknown",
                                   sku: try props.optionalString("osSku") ?? "unknown", version: try props.optionalString("osVersion"))
        } else {
            throw props.error(member: "storageProfile.imageReference", "missing (a VM resource names its image; a VM from a custom image id is not supported yet)")
        }
        let created = try ConversionContext.time(props, ["timeCreated"])
        let assessmentMode = try settings?.optionalString("assessmentMode")
        let registration = VMRegistration(
            subscription: machine.subscription, image: image, platform: .azure, patchMode: patchMode, hotpatch: hotpatch,
            timezone: try windows?.optionalString("timeZone"),
            orchestration: props["virtualMachineScaleSet"] != nil ? .vmssFlexible : nil)
        let extra = context.extra(item: resource.path) { j in
            if let assessmentMode { j.member("assessmentMode", assessmentMode) }
            if machine.kind == .arcMachine { j.member("arc", true) }
            if created == nil { j.member("timeObserved", true) }
        }
        out.events.append(Event(id: "azure:vm.registered:\(machine.key)", time: created ?? context.observedAt, vm: machine.vm,
                                body: .vmRegistered(registration), extra: extra))
        return out
    }
}

/// What patchlog knows of each machine's Hotpatch enrolment: what this import has
/// seen, else what the log says (nil: the machine is not registered).
final class EnrolmentMemory {
    private var seen: [String: Bool] = [:]
    private let fromLog: (String) throws -> Bool?

    /// A memory that asks `fromLog` about machines this import has not seen;
    /// `fromLog` throws when the log's history of the machine cannot be read.
    init(fromLog: @escaping (String) throws -> Bool?) { self.fromLog = fromLog }

    /// Whether `vm` is enrolled, if patchlog knows the machine; throws what
    /// `fromLog` throws (a record of the machine that does not read), never guesses.
    func hotpatch(of vm: String) throws -> Bool? {
        if let known = seen[vm.lowercased()] { return known }
        return try fromLog(vm)
    }

    /// Remembers what a snapshot of `vm` said.
    func record(_ vm: String, _ enabled: Bool) { seen[vm.lowercased()] = enabled }
}
