import Events

/// What a VM or Arc machine resource says about its image, its platform and its
/// scale set (issue 15, point 6: the audit's image, platform and VMSS rules read these).
enum MachineImage {
    /// The image reference: a Marketplace image's `{publisher, offer, sku, version}`;
    /// for a VM from a custom, gallery, shared or community gallery image (an
    /// `imageReference` with only an id) `{CustomImage, <image name>, <image id>,
    /// <version>}` and the id again as the added `imageId` — no supported-image list
    /// names such a triple, so the supported-image rule applies to it as to any other
    /// image; an Arc machine's `{HybridCompute, osName, osSku, osVersion}`.
    static func reference(_ props: JSONNode, machine: MachineID) throws(ItemError) -> (ImageReference, String?) {
        if let reference = props[path: "storageProfile", "imageReference"] {
            if reference["publisher"] != nil {
                return (ImageReference(publisher: try reference.requiredString("publisher", "a Marketplace image reference has one"),
                                       offer: try reference.requiredString("offer", "a Marketplace image reference has one"),
                                       sku: try reference.requiredString("sku", "a Marketplace image reference has one"),
                                       version: try reference.optionalString("version")), nil)
            }
            for member in ["id", "sharedGalleryImageId", "communityGalleryImageId"] {
                guard let id = try reference.optionalString(member) else { continue }
                let parts = id.split(separator: "/").map(String.init)
                let lower = parts.map { $0.lowercased() }
                var name = parts.last ?? id
                var version: String?
                if let v = lower.lastIndex(of: "versions"), v >= 1 {
                    version = v + 1 < parts.count ? parts[v + 1] : nil
                    name = parts[v - 1]
                }
                return (ImageReference(publisher: "CustomImage", offer: name, sku: id, version: version), id)
            }
            throw reference.error("expected a Marketplace image (publisher, offer, sku) or an image id (id, sharedGalleryImageId or communityGalleryImageId); found \(reference.memberNames.isEmpty ? "no members" : "members " + reference.memberNames.joined(separator: ", "))")
        }
        if machine.kind == .arcMachine {
            return (ImageReference(publisher: "HybridCompute", offer: try props.optionalString("osName") ?? "unknown",
                                   sku: try props.optionalString("osSku") ?? "unknown", version: try props.optionalString("osVersion")), nil)
        }
        throw props.error(member: "storageProfile.imageReference", "missing (a VM resource names the image it was made from)")
    }

    /// `AzureStackHCI` when the payload says the machine runs on Azure Stack HCI (an
    /// Arc machine of `kind` `HCI`/`AzureStackHCI`, or with a `parentClusterResourceId`
    /// of a `Microsoft.AzureStackHCI` cluster), else `Azure`; with the member that said so.
    static func platform(_ resource: JSONNode, _ props: JSONNode, machine: MachineID) throws(ItemError) -> (value: Platform, evidence: String?) {
        if let kind = try resource.optionalString("kind"), ["hci", "azurestackhci"].contains(kind.lowercased()) {
            return (.azureStackHCI, "kind")
        }
        if let parent = try props.optionalString("parentClusterResourceId") {
            let lower = parent.lowercased()
            if lower.contains("azurestackhci") { return (.azureStackHCI, "parentClusterResourceId") }
        }
        return (.azure, nil)
    }

    /// `VMSSUniform` or `VMSSFlexible` from `orchestrationMode` (the scale set's, as a
    /// VM GET joined with its scale set, or `virtualMachineScaleSet.orchestrationMode`,
    /// carries it); else `VMSSFlexible` when the VM names a `virtualMachineScaleSet`
    /// (only Flexible scale sets have VMs of their own); else not said.
    static func orchestration(_ props: JSONNode) throws(ItemError) -> Orchestration? {
        var stated = try props.optionalString("orchestrationMode")
        if stated == nil, let set = props["virtualMachineScaleSet"] { stated = try set.optionalString("orchestrationMode") }
        if let stated {
            switch stated.lowercased() {
            case "uniform": return .vmssUniform
            case "flexible": return .vmssFlexible
            default:
                let node = props["orchestrationMode"] ?? props[path: "virtualMachineScaleSet", "orchestrationMode"]!
                throw node.error("expected Uniform or Flexible, got \"\(stated)\"")
            }
        }
        return props["virtualMachineScaleSet"] != nil ? .vmssFlexible : nil
    }
}
