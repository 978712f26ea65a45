import Answers
import ArgumentParser
import Audit
import Events
import Replay
import SystemIO

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
        "Off-peak hours in the VM's local time (with daylight saving time where its zone observes it; UTC for a VM registered without a zone), when automatic installs belong. (default: 22:00-06:00)", valueName: "HH:MM-HH:MM"),
        transform: { text in
            guard let w = OffPeakWindow(parsing: text) else { throw ValidationError("\"\(text)\" is not a window: expected e.g. 22:00-06:00") }
            return w
        })
    var offPeak = OffPeakWindow.default
    @Option(name: .customLong("policy"), help: ArgumentHelp(
        "Which VMs are held to the effective-within-days standard and to periodic assessments: documents (the Azure-orchestrated ones: Azure, patch mode AutomaticByPlatform) or all-vms (every VM, whatever its platform and patch mode).",
        valueName: "documents|all-vms"),
        transform: { text in
            guard let scope = PolicyScope(rawValue: text) else { throw ValidationError("\"\(text)\" is not a policy: expected documents or all-vms") }
            return scope
        })
    var scope = PolicyScope.documents

    /// Each threshold must be 0 or more and at most a century (36,500 days, or
    /// 876,000 hours): larger values are typing mistakes, and would overflow in
    /// nanoseconds from 106,752 days on.
    func validate() throws {
        let days = AuditPolicy.maximumDays, hours = AuditPolicy.maximumHours
        for (name, value, limit, unit) in [("--effective-within-days", effectiveWithinDays, days, "days"), ("--reboot-pending-days", rebootPendingDays, days, "days"),
                                           ("--rollback-reboot-hours", rollbackRebootHours, hours, "hours"), ("--not-assessed-days", notAssessedDays, days, "days")] {
            if value < 0 { throw ValidationError("\(name) cannot be negative, got \(value)") }
            if value > limit { throw ValidationError("\(name) \(value) is more than \(limit) \(unit) (100 years)") }
        }
    }

    /// The policy these options give, with the supported image list in force.
    func policy(_ replayer: Replayer) throws -> AuditPolicy {
        var p = AuditPolicy()
        p.effectiveWithinDays = effectiveWithinDays
        p.rebootPendingDays = rebootPendingDays
        p.rollbackRebootHours = rollbackRebootHours
        p.notAssessedDays = notAssessedDays
        p.offPeak = offPeak
        p.scope = scope
        p.supportedImages = replayer.supportedImages
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

/// What `findings` and `exposure` share: the log, the audit's thresholds, the moment
/// audited and what the log knew then; ``audit()`` runs the audit they both print.
struct AuditRunOptions: ParsableArguments {
    @OptionGroup var options: ReplayOptions
    @OptionGroup var policy: AuditPolicyOptions
    @OptionGroup var recorded: AsRecordedOption
    @OptionGroup var wide: WideOption

    @Option(help: "The moment audited: later events are ignored, spans still open then are reported open. Default: now.", transform: parseTime)
    var at: Timestamp?

    /// The audit of the log at the moment asked (now by default), with that moment and
    /// how tables show the log's VMs (worked out when asked: JSON and CSV do not).
    func audit() throws -> (moment: Timestamp, result: AuditResult, names: () -> VMNames) {
        let moment = at ?? Timestamp(nanoseconds: wallClockNanoseconds())
        let replayer = try options.replayer(at: moment, asRecorded: recorded.asRecorded)
        warnIfPastEnd(recorded.asRecorded, in: replayer.log)
        let result = try Audit.run(replayer, at: moment, asRecorded: recorded.asRecorded ?? .max, policy: policy.policy(replayer))
        return (moment, UntilExit.keep(result), { wide.names(replayer.log) })
    }
}
