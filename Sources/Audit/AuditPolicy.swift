import Events
import Replay

/// The thresholds the audit rules apply (docs/audit.md). Every one is a command
/// line option; the defaults are domain.md's figures where it gives one.
public struct AuditPolicy: Sendable {
    /// A Critical or Security release must be effective this many days after it
    /// applies to a VM (domain.md: "within 30 days of the monthly release").
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

    /// The defaults.
    public init() {}
}

/// Nanoseconds in an hour and a day.
enum Duration {
    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 24 * hour
}

extension Timestamp {
    /// This moment moved by `nanoseconds` (saturating at the ends of the range).
    func adding(_ nanoseconds: Int64) -> Timestamp {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        return Timestamp(nanoseconds: overflow ? (nanoseconds > 0 ? .max : .min) : sum)
    }
}
