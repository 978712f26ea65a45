import Events
import Replay

/// One VM's audit, folded event by event beside its ``VMState``: the spans that are
/// open (pending reboot, unassessed running time, unsupported enrolment…), the
/// exposure windows, and the findings closed so far. ``finish(_:)`` closes the
/// audit at the moment audited. Folding allocates nothing per event except when a
/// finding or window is recorded.
struct VMAudit {
    var state: VMState
    var findings: [Finding] = []
    var exposures: [ExposureWindow] = []
    /// KB → index in ``exposures`` of the release's latest window on this VM (a
    /// rollback that uninstalls it opens another).
    var exposureIndex = KBMap<Int>()
    /// Indices in ``exposures`` of the open windows.
    var openExposures: [Int] = []
    /// The next release of the context's `securityReleases` to consider.
    var releaseCursor = 0
    /// When the release at `releaseCursor` was published (`.min` before the first look).
    var nextReleaseAt = Int64.min
    var registeredAt: Timestamp?
    var registrationSequence: UInt64 = 0
    /// The event that last turned enrolment on.
    var enrolmentSequence: UInt64 = 0
    /// The event that last said whether the VM is enrolled (a registration or `vm.hotpatch`).
    var enrolmentStateSequence: UInt64 = 0
    /// When the VM last left Hotpatch (enrolment turned off), and that event; nil
    /// while enrolled or never enrolled.
    var leftAt: (Timestamp, UInt64)?
    /// The VM's time zone: its registered one when the table knows it, UTC when it
    /// registered none (Azure's default), nil for an unknown name or no registration.
    var zone: TimeZones.Zone?
    /// Open spans: since when, the event that opened them, and why the rule applied then.
    var unsupportedSince: (Timestamp, UInt64, RuleBasis)?
    var uniformSince: (Timestamp, UInt64, RuleBasis)?
    var patchModeSince: (Timestamp, UInt64, RuleBasis)?
    var pendingSince: (Timestamp, UInt64)?
    var rollbackAt: (Timestamp, UInt64)?
    /// Running, registered, held to periodic assessments and counting since its last
    /// assessment (or power-on, or registration): since when, that event, and why the
    /// VM is held to them.
    var assessedSince: (Timestamp, UInt64, RuleBasis)?
    /// Hotpatches installed on another baseline than theirs, still so.
    var mismatches: [Mismatch] = []
    var rebootlessInstalls = 0
    var completedReboots = 0

    struct Mismatch {
        var kb: KB
        var since: Timestamp
        var baseline: KB?
        var expected: KB
        var evidence: [UInt64]
        var basis: RuleBasis
    }

    init(vm: String) { state = VMState(vm: vm) }

    /// Whether the VM counts as running: no power event yet, or the last said Running.
    var isRunning: Bool { state.power == nil || state.power == .running }

    /// Folds one event of this VM, in `(time, sequence)` order.
    mutating func fold(_ e: EventView, time t: Timestamp, sequence: UInt64, context c: AuditContext) throws(EventCodec.DecodeError) {
        addReleases(publishedBy: t, c)
        let wasEnrolled = state.hotpatchEnabled
        let wasRunning = isRunning
        // What a rollback may uninstall (copied for rollbacks only: they are rare).
        let installedBefore = e.type == .rollback ? Array(state.installedIndex.keys) : []
        let periodsBefore = state.periods.count
        try state.apply(e, time: t, sequence: sequence, catalog: c.catalog)
        switch e.type {
        case .vmRegistered:
            if registeredAt == nil { registeredAt = t }
            registrationSequence = sequence
            if let name = state.registration?.timezone { zone = TimeZones.zone(name) } else { zone = .utc }
            if state.hotpatchEnabled && !wasEnrolled { enrolmentSequence = sequence }
            enrolmentChanged(wasEnrolled: wasEnrolled, at: t, sequence: sequence, c)
            leavingAndReturning(wasEnrolled: wasEnrolled, at: t, sequence: sequence, c)
            // A new platform or patch mode may start or stop the assessment clock.
            if let held = promiseBasis(c) {
                if isRunning && assessedSince == nil { assessedSince = (t, sequence, held) }
            } else if assessedSince != nil {
                closeAssessmentGap(at: t, sequence: sequence, c)
                assessedSince = nil
            }
        case .vmHotpatch:
            if state.hotpatchEnabled && !wasEnrolled { enrolmentSequence = sequence }
            enrolmentChanged(wasEnrolled: wasEnrolled, at: t, sequence: sequence, c)
            leavingAndReturning(wasEnrolled: wasEnrolled, at: t, sequence: sequence, c)
        case .vmPower:
            if isRunning && !wasRunning {
                if registeredAt != nil, let held = promiseBasis(c) { assessedSince = (t, sequence, held) }
            } else if !isRunning && wasRunning {
                closeAssessmentGap(at: t, sequence: sequence, c)
                assessedSince = nil
            }
        case .assessment:
            closeAssessmentGap(at: t, sequence: sequence, c)
            if isRunning && registeredAt != nil, let held = promiseBasis(c) { assessedSince = (t, sequence, held) }
            try assessmentEvidence(e, at: t, sequence: sequence, c)
        case .install:
            try installChecks(e, at: t, sequence: sequence, c)
            patchesChanged(at: t, sequence: sequence, c)
        case .reboot:
            if try e.rebootCompleted() {
                completedReboots += 1
                if let (r, rs) = rollbackAt {
                    rollbackAt = nil
                    let grace = Duration.hours(c.policy.rollbackRebootHours)
                    if t.nanoseconds - r.nanoseconds > grace {
                        findings.append(rollbackFinding(r, rs, end: t, closing: sequence, c))
                    }
                }
            }
            patchesChanged(at: t, sequence: sequence, c)
        case .rollback:
            if rollbackAt == nil { rollbackAt = (t, sequence) }
            rollbackChecks(at: t, sequence: sequence, periodsBefore: periodsBefore, c)
            reopen(uninstalled: installedBefore.filter { state.installedIndex[$0] == nil }, at: t, sequence: sequence, c)
            patchesChanged(at: t, sequence: sequence, c)
        case .featureRegistration, .providerRegistration, .release, .supportedImages:
            break
        }
    }

    /// Closes the audit at the context's moment: spans still open become open
    /// findings when they have lasted past their threshold, and the exposure windows
    /// give the findings of releases not effective in time.
    mutating func finish(_ c: AuditContext) {
        let at = c.at
        addReleases(publishedBy: at, c)
        let pendingLimit = Duration.days(c.policy.rebootPendingDays)
        if let (s, ss) = pendingSince, at.nanoseconds - s.nanoseconds > pendingLimit {
            findings.append(Finding(vm: state.vm, rule: .rebootPending, start: s.adding(pendingLimit), end: nil, evidence: [ss],
                                    detail: "reboot pending since \(s), still pending", basis: basis(.everyVM)))
        }
        if let (r, rs) = rollbackAt, at.nanoseconds - r.nanoseconds > Duration.hours(c.policy.rollbackRebootHours) {
            findings.append(rollbackFinding(r, rs, end: nil, closing: 0, c))
        }
        let assessLimit = Duration.days(c.policy.notAssessedDays)
        if let (a, aseq, held) = assessedSince, at.nanoseconds - a.nanoseconds > assessLimit {
            findings.append(Finding(vm: state.vm, rule: .notAssessed, start: a.adding(assessLimit), end: nil, evidence: [aseq],
                                    detail: "running and not assessed since \(a)", basis: held))
        }
        if let (s, ss, b) = unsupportedSince { findings.append(unsupportedFinding(s, ss, b, end: nil, closing: 0)) }
        if let (s, ss, b) = uniformSince { findings.append(uniformFinding(s, ss, b, end: nil, closing: 0)) }
        if let (s, ss, b) = patchModeSince { findings.append(patchModeFinding(s, ss, b, end: nil, closing: 0)) }
        for m in mismatches { findings.append(mismatchFinding(m, end: nil, closing: 0)) }
        mismatches = []
        lateReleaseFindings(c)
    }

    /// ``finish(_:)``, then the findings and the exposure windows put in the order an
    /// audit's result lists them (``AuditResult``): the fleet's lists are then the
    /// VMs' lists one after the other, sorted already. (The windows' positions no
    /// longer matter: nothing is folded after this.)
    mutating func finishInOrder(_ c: AuditContext) {
        finish(c)
        findings.sort(by: Finding.listed)
        exposures.sort(by: ExposureWindow.listed)
    }
}
