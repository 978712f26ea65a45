
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

    /// What the importer expects, for the error when nothing is recognised.
    static let expected = "an AssessPatches or InstallPatches result, a VM or Arc machine resource, a VM instance view with patchStatus, a feature or provider registration, or Resource Graph rows (az graph query -o json)"

    /// Converts the document `root`.
    mutating func convert(_ root: JSONNode) -> [ItemOutcome] {
        if root.isArray { return root.elements.isEmpty ? [Self.empty(root)] : rows(root.elements, request: Request()) }
        guard root.isObject else { return [.rejected(root.error("expected \(Self.expected), got \(root.described)"))] }
        if let data = root["data"], data.isArray { return data.elements.isEmpty ? [Self.empty(data)] : rows(data.elements, request: Request()) }
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
            if list.elements.isEmpty { return [Self.empty(list)] }
            return list.elements.flatMap { body($0, request: request) }
        }
        guard node.isObject else { throw node.error("expected \(Self.expected), got \(node.described)") }
        // The Azure-AsyncOperation result of a long-running POST (what `az` polls for
        // AssessPatches and InstallPatches): the result is `properties.output`.
        if let output = node[path: "properties", "output"], output.isObject, node["status"] != nil {
            return body(output, request: request)
        }
        if node["assessmentActivityId"] != nil || node["availablePatches"] != nil || node["availablePatchCountByClassification"] != nil {
            // Az PowerShell's PSVirtualMachinePatchAssessmentResult lists them as `Patches`.
            let list = node["availablePatches"] ?? node["patches"]
            if let list, !list.isArray { throw list.error("expected an array of patches, got \(list.described)") }
            let c = try PatchResultConverter.assessment(summary: node, activityId: nil, patches: list?.elements,
                                                        machine: machine(of: node, request), context: context)
            return [.converted(label: label, c)]
        }
        if node["installationActivityId"] != nil || (node["patches"] != nil && node["rebootStatus"] != nil) {
            let c = try PatchResultConverter.install(summary: node, activityId: nil, patches: node["patches"]?.elements,
                                                     request: request.installInput, machine: machine(of: node, request), context: context)
            return [.converted(label: label, c)]
        }
        // An instance view, or a VM with one: `$expand=instanceView` puts it under
        // `properties`, `az vm get-instance-view` (flattened) at the top.
        if let patchStatus = node["patchStatus"] ?? node[path: "instanceView", "patchStatus"] ?? node[path: "properties", "instanceView", "patchStatus"] {
            var c = try PatchResultConverter.instanceView(patchStatus, machine: machine(of: node, request), context: context)
            if Self.isMachineResource(node) {
                let vm = try VMResourceConverter.convert(node, machine: machine(of: node, request), context: context)
                c.events = vm.events + c.events
                c.notes += vm.notes
            }
            return [.converted(label: label, c)]
        }
        let type = node["type"]?.string?.lowercased() ?? ""
        if Self.isMachineResource(node) {
            let c = try VMResourceConverter.convert(node, machine: machine(of: node, request), context: context)
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

    /// Whether `node` is a VM or Arc machine resource: by its `type`, or by the
    /// `osProfile`/`storageProfile` a VM has (under `properties`, or at the top in
    /// `az vm show`'s flattened output).
    static func isMachineResource(_ node: JSONNode) -> Bool {
        let type = node["type"]?.string?.lowercased() ?? ""
        return type.hasSuffix("microsoft.compute/virtualmachines") || type.hasSuffix("microsoft.hybridcompute/machines")
            || node[path: "properties", "osProfile"] != nil || node[path: "properties", "storageProfile"] != nil
            || node["osProfile"] != nil || node["storageProfile"] != nil
    }

    /// An empty list (`value: []`, `data: []`, `[]`): said so, nothing recorded.
    static func empty(_ list: JSONNode) -> ItemOutcome {
        .converted(label: list.path.isEmpty ? "$" : list.path, Converted(notes: [
            "\(list.path.isEmpty ? "the payload" : list.path) is an empty list: Azure returned no items (an export of a query that matched nothing?), so there is nothing to record",
        ]))
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
        if let first = run.bad.first { return .rejected(Self.wholeRun(run, first)) }
        let outcome = convertRows(run)
        if case let .rejected(error) = outcome, run.rowCount > 1 { return .rejected(Self.wholeRun(run, error)) }
        return outcome
    }

    /// `error`, saying that the rest of its run is not imported either.
    static func wholeRun(_ run: ResourceGraphRun, _ error: ItemError) -> ItemError {
        ItemError(path: error.path, message: error.message + "; so none of run \(run.key)'s \(run.rowCount) rows is imported (a run without one of its rows would list less than Azure found): fix that row and import the file again")
    }

    private func convertRows(_ run: ResourceGraphRun) -> ItemOutcome {
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
                let counted = try PatchResultConverter.countAvailable(summary)
                return .converted(label: label, try PatchResultConverter.assessment(
                    summary: summary, activityId: activity,
                    patches: run.patches.isEmpty && counted > 0 ? nil : run.patches,
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
