import Events

/// Which side of the comparison an exposure window belongs to (docs/audit.md).
public enum ExposureCategory: String, CaseIterable, Sendable, Comparable {
    /// A hotpatch release on a VM enrolled in Hotpatch.
    case hotpatch
    /// A baseline release on a VM enrolled in Hotpatch.
    case baseline
    /// Any Critical or Security release (baseline or cumulative update) on a VM not
    /// enrolled in Hotpatch when it applied.
    case notEnrolled = "not-enrolled"
    /// Another Critical or Security update (.NET, drivers) on an enrolled VM.
    case other

    /// Orders categories as declared.
    public static func < (a: ExposureCategory, b: ExposureCategory) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How an exposure window ended.
public enum ExposureClosure: String, Sendable {
    /// The release became effective on the VM.
    case effective
    /// A later release that contains it became effective (a baseline), or the VM's
    /// assessments stopped offering it.
    case superseded
    /// Still exposed at the moment audited.
    case open
}

/// How long one VM was exposed to what one Critical or Security release fixes: from
/// when the release applied to the VM (its publication, or the VM's registration if
/// that came later) until it was effective there. A rollback that uninstalls the
/// release exposes the VM again: a new window of the same release opens at the
/// rollback (``reopened``), so a VM may have several windows of one release, one per
/// period without it.
public struct ExposureWindow: Equatable, Sendable {
    /// The VM, as first written.
    public var vm: String
    /// The release.
    public var kb: KB
    /// Hotpatch, baseline, not enrolled or other.
    public var category: ExposureCategory
    /// When the release was published.
    public var publishedAt: Timestamp
    /// When the window opened: the later of publication and the moment the release
    /// was first known to apply to the VM.
    public var start: Timestamp
    /// When it closed; nil while open.
    public var end: Timestamp?
    /// How it closed.
    public var closure: ExposureClosure
    /// Sequence numbers of the release, the event that made it apply (or the
    /// rollback that uninstalled it), and the events that closed it.
    public var evidence: [UInt64]
    /// Whether the window opened when a rollback uninstalled the release (its
    /// `start` is the rollback, and the rollback is its second piece of evidence).
    public var reopened = false
    /// The VM's platform, patch mode and enrolment when the window opened: they
    /// decide whether it is held to `--effective-within-days` (docs/audit.md).
    public var basis = RuleBasis(reason: .azureOrchestrated, platform: nil, patchMode: nil, enrolled: false)

    /// The order of an audit's windows: by VM, then start, then release.
    public static func listed(_ a: ExposureWindow, _ b: ExposureWindow) -> Bool {
        (a.vm, a.start, a.kb) < (b.vm, b.start, b.kb)
    }

    /// The window's length as of `at` (an open window counts up to `at`), in nanoseconds.
    public func duration(at: Timestamp) -> Int64 {
        max(0, (end ?? max(at, start)).nanoseconds - start.nanoseconds)
    }
}

/// Nearest-rank percentiles of a list of durations.
public struct Percentiles: Equatable, Sendable {
    /// How many values.
    public var count: Int
    /// The median, 90th percentile and largest value (0 when there are none).
    public var p50: Int64, p90: Int64, max: Int64

    /// The percentiles of `values` (in any order).
    ///
    /// - Complexity: O(n log n).
    public init(_ values: [Int64]) {
        let sorted = values.sorted()
        count = sorted.count
        func rank(_ p: Int) -> Int64 {
            guard !sorted.isEmpty else { return 0 }
            // Nearest rank: the smallest value with at least p% of the values at or below it.
            let r = (p * sorted.count + 99) / 100
            return sorted[Swift.max(0, r - 1)]
        }
        p50 = rank(50)
        p90 = rank(90)
        max = sorted.last ?? 0
    }
}
