import Interchange

/// What one item of a payload gave: events and notes, or an error.
enum ItemOutcome {
    case converted(label: String, Converted)
    case rejected(ItemError)
}

/// Recognises an Azure payload and converts each of its items.
///
/// Shapes recognised (each documented in docs/azure-import.md):
/// - an x-ms-examples document (`parameters`, `responses`): the 200 (else 201)
///   response body, with the request's parameters as context;
/// - a bare response body: an AssessPatches or InstallPatches result, a VM or Arc
///   machine resource, a VM instance view (`patchStatus`), a feature or a provider;
/// - a list (`{"value": [...]}`) of those;
/// - Resource Graph output: `{"data": [rows]}` or a bare array of rows.
struct AzurePayload {
    let context: ConversionContext
    let enrolment: EnrolmentMemory

    /// What the importer expects, for the error when nothing is recognised.
    static let expected = "an AssessPatches or InstallPatches result, a VM or Arc machine resource, a VM instance view with patchStatus, a feature or provider registration, or Resource Graph rows (az graph query -o json)"

    /// Converts the document `root`.
    mutating func convert(_ root: JSONNode) -> [ItemOutcome] {
        if root.isArray { return rows(root.elements, request: Request()) }
        guard root.isObject else { return [.rejected(root.error("expected \(Self.expected), got \(root.described)"))] }
        if let data = root["data"], data.isArray { return rows(data.elements, request: Request()) }
        if let responses = root["responses"], responses.isObject { return exampleDocument(root, responses) }
        return body(root, request: Request())
    }

    /// What the request said, for payloads that do not repeat it.
    struct Request {
        var machine: MachineID?
        var subscription: String?
        var namespace: String?
        var installInput: JSONNode?
        /// Whether the request named a feature (`featureName`).
        var isFeatureRequest = false
    }

    /// The states Microsoft.Features reports (lower case), which tell a feature from other resources.
    static let featureStates: Set<String> = ["registered", "unregistered", "registering", "unregistering", "notregistered", "pending", "notspecified"]

    private mutating func exampleDocument(_ root: JSONNode, _ responses: JSONNode) -> [ItemOutcome] {
        let parameters = root["parameters"]
        var request = Request()
        request.subscription = parameters?["subscriptionId"]?.string
        request.namespace = parameters?["resourceProviderNamespace"]?.string ?? parameters?["providerNamespace"]?.string
        request.installInput = parameters?["installPatchesInput"]
        request.isFeatureRequest = parameters?["featureName"] != nil
        if let subscription = request.subscription, let group = parameters?["resourceGroupName"]?.string {
            if let name = parameters?["vmName"]?.string {
                request.machine = MachineID(kind: .azureVM, subscription: subscription, resourceGroup: group, name: name)
            } else if let name = parameters?["machineName"]?.string ?? parameters?["name"]?.string {
                request.machine = MachineID(kind: .arcMachine, subscription: subscription, resourceGroup: group, name: name)
            }
        }
        for status in ["200", "201"] {
            guard let body = responses[status]?["body"] else { continue }
            return self.body(body, request: request)
        }
        if responses["202"] != nil || responses["204"] != nil {
            return [.converted(label: responses.path, Converted(notes: [
                "\(responses.path): only a 202 Accepted (or 204) response, without a body: Azure accepted the operation; its result is not in this payload, so nothing is recorded",
            ]))]
        }
        return [.rejected(responses.error("expected a 200 or 201 response with a body, or a 202 Accepted; found \(responses.memberNames.joined(separator: ", "))"))]
    }

    /// The machine a body belongs to: its own id, else the request's, else `--vm`.
    private func machine(of node: JSONNode, _ request: Request) throws(ItemError) -> MachineID {
        if let id = node["id"]?.string.flatMap(AzureResourceID.init)?.machine { return id }
        if let m = request.machine ?? context.vmOverride { return m }
        throw node.error("does not say which VM it is about (no resource id here or in the request): give --vm RESOURCE_ID")
    }

    private mutating func body(_ node: JSONNode, request: Request) -> [ItemOutcome] {
        do {
            return try recognise(node, request: request)
        } catch {
            return [.rejected(error)]
        }
    }

    private mutating func recognise(_ node: JSONNode, request: Request) throws(ItemError) -> [ItemOutcome] {
        let label = node.path.isEmpty ? "$" : node.path
        if let list = node["value"], list.isArray {
            return list.elements.flatMap { body($0, request: request) }
        }
        guard node.isObject else { throw node.error("expected \(Self.expected), got \(node.described)") }
        if node["assessmentActivityId"] != nil || node["availablePatches"] != nil || node["availablePatchCountByClassification"] != nil {
            let c = try PatchResultConverter.assessment(summary: node, activityId: nil, patches: node["availablePatches"]?.elements,
                                                        machine: machine(of: node, request), context: context)
            return [.converted(label: label, c)]
        }
        if node["installationActivityId"] != nil || (node["patches"] != nil && node["rebootStatus"] != nil) {
            let c = try PatchResultConverter.install(summary: node, activityId: nil, patches: node["patches"]?.elements,
                                                     request: request.installInput, machine: machine(of: node, request), context: context)
            return [.converted(label: label, c)]
        }
        if let patchStatus = node["patchStatus"] ?? node[path: "properties", "instanceView", "patchStatus"] {
            var c = try PatchResultConverter.instanceView(patchStatus, machine: machine(of: node, request), context: context)
            if node[path: "properties", "osProfile"] != nil || node[path: "properties", "storageProfile"] != nil {
                let vm = try VMResourceConverter.convert(node, machine: machine(of: node, request), context: context, enrolment: enrolment)
                c.events = vm.events + c.events
                c.notes += vm.notes
            }
            return [.converted(label: label, c)]
        }
        let type = node["type"]?.string?.lowercased() ?? ""
        if type.hasSuffix("microsoft.compute/virtualmachines") || type.hasSuffix("microsoft.hybridcompute/machines")
            || node[path: "properties", "osProfile"] != nil || node[path: "properties", "storageProfile"] != nil {
            let c = try VMResourceConverter.convert(node, machine: machine(of: node, request), context: context, enrolment: enrolment)
            return [.converted(label: label, c)]
        }
        if node["registrationState"] != nil && node["namespace"] != nil {
            return [.converted(label: label, try RegistrationConverter.provider(node, subscription: request.subscription, context: context))]
        }
        if node.memberNames.isEmpty && request.namespace != nil && !request.isFeatureRequest {
            return [.converted(label: label, Converted(notes: [
                "\(label): the provider registration returned an empty body: it says nothing of the provider's state, so nothing is recorded",
            ]))]
        }
        if let state = node[path: "properties", "state"]?.string?.lowercased(), Self.featureStates.contains(state) {
            return [.converted(label: label, try RegistrationConverter.feature(
                node, subscription: request.subscription, namespace: request.namespace, context: context))]
        }
        let id = node["id"]?.string?.lowercased() ?? ""
        if type.contains("microsoft.maintenance") || id.contains("/providers/microsoft.maintenance/") {
            throw node.error("a Microsoft.Maintenance resource (\(node["type"]?.string ?? "maintenance")): patchlog does not import maintenance configurations or update runs; it expected \(Self.expected)")
        }
        let members = node.memberNames.prefix(8).joined(separator: ", ")
        throw node.error("expected \(Self.expected); found an object with \(members.isEmpty ? "no members" : "members " + members)")
    }

    /// An array: Resource Graph patch rows joined into runs; any other element is
    /// recognised on its own (a `resources` row of a VM, say).
    private mutating func rows(_ elements: [JSONNode], request: Request) -> [ItemOutcome] {
        var out: [ItemOutcome] = []
        let (runs, errors) = ResourceGraphRun.group(elements.filter(ResourceGraphRun.isPatchRow))
        out += errors.map(ItemOutcome.rejected)
        for run in runs { out.append(convert(run)) }
        for element in elements where !ResourceGraphRun.isPatchRow(element) { out += body(element, request: request) }
        return out
    }

    private func convert(_ run: ResourceGraphRun) -> ItemOutcome {
        guard let summary = run.summary, let row = run.summaryRow else {
            return .rejected(run.patches[0].error("softwarePatches rows of run \(run.key) without the run's own row in this input: export the run's summary row with its patches"))
        }
        do throws(ItemError) {
            let label = row.path
            switch run.kind {
            case .assessment:
                let stated = try summary.optionalString("assessmentActivityId")
                let rowName = try row.optionalString("name")
                let activity = stated ?? rowName ?? run.runName
                return .converted(label: label, try PatchResultConverter.assessment(
                    summary: summary, activityId: activity,
                    patches: run.patches.isEmpty && PatchResultConverter.countAvailable(summary) > 0 ? nil : run.patches,
                    machine: run.machine, context: context))
            case .installation:
                let stated = try summary.optionalString("installationActivityId")
                let activity = stated ?? run.runName
                return .converted(label: label, try PatchResultConverter.install(
                    summary: summary, activityId: activity, patches: run.patches, request: nil, machine: run.machine, context: context))
            }
        } catch {
            return .rejected(error)
        }
    }
}
