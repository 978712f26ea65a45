/// The images Hotpatch supports: publisher, offer and SKU matched exactly but
/// case-insensitively. The list is data: ``defaultList`` is the one in docs/domain.md,
/// and a newer one can be read from a file without rebuilding patchlog.
public struct SupportedImages: Sendable, Equatable {
    /// One supported image.
    public struct Image: Hashable, Sendable {
        public var publisher: String
        public var offer: String
        public var sku: String
        public init(publisher: String, offer: String, sku: String) {
            self.publisher = publisher.lowercased()
            self.offer = offer.lowercased()
            self.sku = sku.lowercased()
        }
    }

    /// The images.
    public private(set) var images: Set<Image>

    /// The list of docs/domain.md: Windows Server 2022 Datacenter: Azure Edition.
    public static let defaultListText = """
        # publisher/offer/sku, one per line; compared case-insensitively.
        MicrosoftWindowsServer/WindowsServer/2022-datacenter-azure-edition-core
        MicrosoftWindowsServer/WindowsServer/2022-datacenter-azure-edition-core-smalldisk
        MicrosoftWindowsServer/WindowsServer/2022-datacenter-azure-edition-hotpatch
        MicrosoftWindowsServer/WindowsServer/2022-datacenter-azure-edition-hotpatch-smalldisk
        """

    /// The default list.
    public static var defaultList: SupportedImages { try! SupportedImages(parsing: defaultListText, source: "built-in list") }

    /// Reads a list: one `publisher/offer/sku` per line; blank lines and lines
    /// starting with `#` are skipped.
    public init(parsing text: String, source: String) throws(ListError) {
        images = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                throw ListError(message: "\(source):\(n + 1): expected publisher/offer/sku, got \"\(line)\"")
            }
            images.insert(Image(publisher: String(parts[0]), offer: String(parts[1]), sku: String(parts[2])))
        }
    }

    /// Whether an image is on the list.
    public func contains(publisher: String, offer: String, sku: String) -> Bool {
        images.contains(Image(publisher: publisher, offer: offer, sku: sku))
    }

    /// A line of a list file that is not an image.
    public struct ListError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
