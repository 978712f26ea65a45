/// An Azure Resource Manager id, split into the parts patchlog uses.
///
/// `/subscriptions/S/resourceGroups/G/providers/Microsoft.Compute/virtualMachines/N`
/// (an Azure VM) or `…/providers/Microsoft.HybridCompute/machines/N` (an Arc-enabled
/// server), possibly followed by child segments (`/patchAssessmentResults/latest/…`).
/// Segment names compare case-insensitively, as ARM does.
struct AzureResourceID {
    /// The `/`-separated segments, without empty ones.
    let segments: [String]

    /// Parses `text`; nil when it does not start with `/subscriptions/`.
    init?(_ text: String) {
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0].lowercased() == "subscriptions" else { return nil }
        segments = parts
    }

    /// The subscription id.
    var subscription: String { segments[1] }

    /// The value after segment `name` (any case), if there is one.
    func value(after name: String) -> String? {
        let wanted = name.lowercased()
        guard let i = segments.firstIndex(where: { $0.lowercased() == wanted }), i + 1 < segments.count else { return nil }
        return segments[i + 1]
    }

    /// The machine this id names or lies under, in patchlog's canonical form (see ``MachineID``).
    var machine: MachineID? {
        guard let group = value(after: "resourceGroups") else { return nil }
        let lower = segments.map { $0.lowercased() }
        for kind in [MachineID.Kind.azureVM, .arcMachine] {
            let (namespace, type) = kind.providerAndType
            if let p = lower.firstIndex(of: "providers"), p + 3 < segments.count,
               lower[p + 1] == namespace.lowercased(), lower[p + 2] == type.lowercased() {
                return MachineID(kind: kind, subscription: subscription, resourceGroup: group, name: segments[p + 3])
            }
        }
        return nil
    }
}

/// A VM or Arc-enabled server as patchlog names it: its Azure resource id, with the
/// fixed segments spelt as ARM documents them (`subscriptions`, `resourceGroups`,
/// `providers`, `Microsoft.Compute/virtualMachines` or `Microsoft.HybridCompute/machines`)
/// and the subscription, group and name as Azure gave them. REST payloads and Resource
/// Graph rows of one machine give the same id (VM ids compare case-insensitively).
struct MachineID: Equatable {
    /// Which resource provider the machine belongs to.
    enum Kind { case azureVM, arcMachine
        var providerAndType: (String, String) {
            switch self {
            case .azureVM: ("Microsoft.Compute", "virtualMachines")
            case .arcMachine: ("Microsoft.HybridCompute", "machines")
            }
        }
    }

    let kind: Kind
    let subscription: String
    let resourceGroup: String
    let name: String

    /// The resource id: the `vm` of every event of this machine.
    var vm: String {
        let (namespace, type) = kind.providerAndType
        return "/subscriptions/\(subscription)/resourceGroups/\(resourceGroup)/providers/\(namespace)/\(type)/\(name)"
    }

    /// 16 hex digits of a hash of the lower-cased id: keeps event ids short and the
    /// same however the id is cased.
    var key: String { Digest.fnv1a64Hex(vm.lowercased()) }
}
