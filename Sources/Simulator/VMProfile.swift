import Events

/// Who a simulated VM is: its resource id, image, platform and settings.
struct VMProfile {
    let index: Int
    let id: String
    let short: String
    let subscription: String
    let image: ImageReference
    let platform: Platform
    let patchMode: PatchMode
    let hotpatch: Bool
    let timezone: (name: String, offsetHours: Int)?
    let orchestration: Orchestration?

    /// Whether the image is one Hotpatch supports.
    var supported: Bool { image.sku.hasPrefix("2022-datacenter-azure-edition") }

    static let zones: [(String, Int)] = [
        ("Tokyo Standard Time", 9), ("Korea Standard Time", 9), ("W. Europe Standard Time", 1), ("GMT Standard Time", 0),
        ("Eastern Standard Time", -5), ("Pacific Standard Time", -8), ("India Standard Time", 5), ("UTC", 0),
    ]
    static let supportedSKUs = ["2022-datacenter-azure-edition-hotpatch", "2022-datacenter-azure-edition-core",
                                "2022-datacenter-azure-edition-hotpatch-smalldisk", "2022-datacenter-azure-edition-core-smalldisk"]

    static func subscription(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return "6a2f1c1e-8a4d-4f0e-9c7b-" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Mostly supported, enrolled Azure VMs; some not enrolled, some on images
    /// Hotpatch does not support, some on Azure Stack HCI, a few in scale sets.
    init(index: Int, random g: inout some RandomNumberGenerator) {
        self.index = index
        let digits = String(index)
        short = "vm" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        subscription = Self.subscription(index / 500)
        let group = ["web", "app", "sql", "batch"][index % 4] + "-\(index / 100)"
        id = "/subscriptions/\(subscription)/resourceGroups/rg-\(group)/providers/Microsoft.Compute/virtualMachines/\(short)"
        let roll = Int.random(in: 0..<100, using: &g)
        let sku = Self.supportedSKUs[Int.random(in: 0..<Self.supportedSKUs.count, using: &g)]
        var platform = Platform.azure, mode = PatchMode.automaticByPlatform, hotpatch = true
        var orchestration: Orchestration?
        var imageSKU = sku
        switch roll {
        case 0..<80: break
        case 80..<86: hotpatch = false
        case 86..<93:
            imageSKU = ["2022-datacenter", "2019-datacenter", "2022-datacenter-g2"][roll % 3]
            hotpatch = false
            mode = roll % 2 == 0 ? .automaticByOS : .automaticByPlatform
        case 93..<98: platform = .azureStackHCI; mode = .manual
        default:
            orchestration = roll == 98 ? .vmssFlexible : .vmssUniform
            if orchestration == .vmssUniform { hotpatch = false }
        }
        image = ImageReference(publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: imageSKU, version: "latest")
        self.platform = platform
        patchMode = mode
        self.hotpatch = hotpatch
        self.orchestration = orchestration
        timezone = Int.random(in: 0..<10, using: &g) == 0 ? nil : Self.zones[Int.random(in: 0..<Self.zones.count, using: &g)]
    }
}
