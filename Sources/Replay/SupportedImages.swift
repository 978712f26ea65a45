import EventLog
import Events

/// The images Hotpatch supports: publisher, offer and SKU matched exactly but
/// case-insensitively. The list is data, kept in the log: a `supported.images` event
/// sets it from its time on (``inForce(in:at:asRecorded:)``), so that an answer at T
/// is reproducible and covered by checkpoints; ``defaultList``, the one in docs/domain.md,
/// holds before the first. A list read from a file (``init(parsing:source:)``) is
/// for trying another list, or for writing one into the log.
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

    /// A list of these images.
    public init(_ images: [ImageReference]) {
        self.images = Set(images.map { Image(publisher: $0.publisher, offer: $0.offer, sku: $0.sku) })
    }

    /// The list in force at `at` as the log knew it at sequence `asRecorded`: the
    /// latest `supported.images` event by `(time, sequence)` with `time ≤ at` and
    /// `sequence ≤ asRecorded`, else ``defaultList``.
    public static func inForce(in log: HotpatchLog, at: Timestamp, asRecorded: UInt64 = .max) throws -> SupportedImages {
        inForce(among: try log.imageLists(), at: at, asRecorded: asRecorded)
    }

    /// The list in force at `at` among `lists` (a log's ``HotpatchLog/imageLists()``,
    /// read once for many questions), as the log knew at `asRecorded`.
    public static func inForce(among lists: [(sequence: UInt64, event: Event)], at: Timestamp, asRecorded: UInt64 = .max) -> SupportedImages {
        let latest = lists
            .filter { $0.sequence <= asRecorded && $0.event.time <= at }
            .max { ($0.event.time, $0.sequence) < ($1.event.time, $1.sequence) }
        guard let latest, case let .supportedImages(list) = latest.event.body else { return defaultList }
        return SupportedImages(list.images)
    }

    /// The images, sorted, as references (for a `supported.images` event).
    public var references: [ImageReference] {
        images.sorted { ($0.publisher, $0.offer, $0.sku) < ($1.publisher, $1.offer, $1.sku) }
            .map { ImageReference(publisher: $0.publisher, offer: $0.offer, sku: $0.sku) }
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
