import Events
import Replay

/// The thresholds the audit rules apply (docs/audit.md). Every one is a command
/// line option; the defaults are docs/domain.md's figures where it gives one.
public struct AuditPolicy: Sendable {
    /// A Critical or Security release must be effective this many days after it
    /// applies to a VM (docs/domain.md: "within 30 days of the monthly release").
    public var effectiveWithinDays = 30
    /// A reboot may stay pending this many days before it is a finding.
    public var rebootPendingDays = 7
    /// A rollback must be followed by a completed reboot within this many hours.
    public var rollbackRebootHours = 24
    /// A running VM must be assessed at least every this many days.
    public var notAssessedDays = 7
    /// When automatic installs may run, in the VM's local time.
    public var offPeak = OffPeakWindow.default
    /// Which images support Hotpatch.
    public var supportedImages = SupportedImages.defaultList
    /// Which VMs are held to the effective-within-days standard and to periodic
    /// assessments: by default the Azure-orchestrated ones only (the documents'
    /// promise), with ``PolicyScope/allVMs`` every VM.
    public var scope = PolicyScope.documents

    /// The defaults.
    public init() {}

    /// The largest day threshold the command line accepts: 36,500 days (100 years).
    /// The audit itself does not trap on larger ones (its conversions
    /// saturate), but a threshold beyond a century is a typing mistake.
    public static let maximumDays = 36_500
    /// The largest hour threshold the command line accepts: 100 years in hours.
    public static let maximumHours = maximumDays * 24
}

/// Nanoseconds in an hour and a day, and thresholds converted to nanoseconds.
enum Duration {
    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 24 * hour

    /// `count` days in nanoseconds, saturating at the ends of `Int64` (106,752 days
    /// and more would overflow: a threshold that large means "never").
    static func days(_ count: Int) -> Int64 { scaled(count, day) }

    /// `count` hours in nanoseconds, saturating like ``days(_:)``.
    static func hours(_ count: Int) -> Int64 { scaled(count, hour) }

    /// `count × unit`, saturating instead of trapping on overflow.
    static func scaled(_ count: Int, _ unit: Int64) -> Int64 {
        let (product, overflow) = Int64(clamping: count).multipliedReportingOverflow(by: unit)
        return overflow ? ((count < 0) != (unit < 0) ? .min : .max) : product
    }
}

extension Timestamp {
    /// This moment moved by `nanoseconds` (saturating at the ends of the range).
    func adding(_ nanoseconds: Int64) -> Timestamp {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        return Timestamp(nanoseconds: overflow ? (nanoseconds > 0 ? .max : .min) : sum)
    }
}
