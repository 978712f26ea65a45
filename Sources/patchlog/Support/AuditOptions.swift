import ArgumentParser
import Audit
import Events

/// The thresholds of the audit rules, shared by `findings`, `exposure` and `report`
/// (docs/audit.md).
struct AuditPolicyOptions: ParsableArguments {
    @Option(name: .customLong("effective-within-days"), parsing: .unconditional, help: "A Critical or Security release must be effective within this many days of applying to a VM.")
    var effectiveWithinDays = 30
    @Option(name: .customLong("reboot-pending-days"), parsing: .unconditional, help: "A reboot may be pending this many days.")
    var rebootPendingDays = 7
    @Option(name: .customLong("rollback-reboot-hours"), parsing: .unconditional, help: "A rollback must be followed by a completed reboot within this many hours.")
    var rollbackRebootHours = 24
    @Option(name: .customLong("not-assessed-days"), parsing: .unconditional, help: "A running VM must be assessed at least every this many days.")
    var notAssessedDays = 7
    @Option(name: .customLong("off-peak"), help: ArgumentHelp(
        "Off-peak hours in the VM's local time (standard time), when automatic installs belong. (default: 22:00-06:00)", valueName: "HH:MM-HH:MM"),
        transform: { text in
            guard let w = OffPeakWindow(parsing: text) else { throw ValidationError("\"\(text)\" is not a window: expected e.g. 22:00-06:00") }
            return w
        })
    var offPeak = OffPeakWindow.default

    func validate() throws {
        for (name, value) in [("--effective-within-days", effectiveWithinDays), ("--reboot-pending-days", rebootPendingDays),
                              ("--rollback-reboot-hours", rollbackRebootHours), ("--not-assessed-days", notAssessedDays)] where value < 0 {
            throw ValidationError("\(name) cannot be negative, got \(value)")
        }
    }

    /// The policy these options give, with the supported image list in force.
    func policy(_ replay: ReplayOptions) throws -> AuditPolicy {
        var p = AuditPolicy()
        p.effectiveWithinDays = effectiveWithinDays
        p.rebootPendingDays = rebootPendingDays
        p.rollbackRebootHours = rollbackRebootHours
        p.notAssessedDays = notAssessedDays
        p.offPeak = offPeak
        p.supportedImages = try replay.supportedImages()
        return p
    }
}

/// `--since` / `--until`: which spans to show.
struct SpanOptions: ParsableArguments {
    @Option(help: "Only what held at or after this moment.", transform: parseTime) var since: Timestamp?
    @Option(help: "Only what began at or before this moment.", transform: parseTime) var until: Timestamp?

    func validate() throws {
        if let since, let until, since > until { throw ValidationError("--since is after --until") }
    }
}
