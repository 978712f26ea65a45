import Events

/// What the release events say about each KB: its kind (which decides whether it
/// needs a reboot), its baseline, and when it was published. Per docs/events.md, a
/// patch's kind comes from a release event of any time; releases appended after
/// the `--as-recorded` point are not known.
public struct ReleaseCatalog: Sendable {
    /// A release as the catalog keeps it.
    public struct Entry: Sendable, Equatable {
        public var release: Release
        public var publishedAt: Timestamp
        public var sequence: UInt64
    }

    /// KB → its (latest appended) release.
    public private(set) var entries: [KB: Entry] = [:]

    /// An empty catalog.
    public init() {}

    /// The catalog of the releases in `events` with sequence ≤ `asRecorded`.
    public init(_ events: [(sequence: UInt64, event: Event)], asRecorded: UInt64 = .max) {
        for (seq, event) in events where seq <= asRecorded {
            add(event, sequence: seq)
        }
    }

    /// Adds a release event (others are ignored).
    public mutating func add(_ event: Event, sequence: UInt64) {
        guard case let .release(r) = event.body else { return }
        entries[r.kb] = Entry(release: r, publishedAt: event.time, sequence: sequence)
    }

    /// The kind the catalog gives a KB, if it has a release for it.
    public func kind(of kb: KB) -> PatchKind? { entries[kb]?.release.kind }
}
