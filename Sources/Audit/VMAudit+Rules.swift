import Events
import Replay

/// The rules about enrolment, images, reboots, rollbacks, assessments and install
/// times (docs/audit.md).
extension VMAudit {
    /// After the registration or enrolment changed: opens or closes the spans of
    /// enrolment on an unsupported image and in a Uniform scale set, and checks the
    /// subscription's preview registration when enrolment was turned on.
    mutating func enrolmentChanged(wasEnrolled: Bool, at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        guard let r = state.registration else { return }
        let enrolled = state.hotpatchEnabled
        let supported = c.policy.supportedImages.contains(publisher: r.image.publisher, offer: r.image.offer, sku: r.image.sku)
        let enrolment = basis(.hotpatchEnrolment)
        if enrolled && !supported {
            if unsupportedSince == nil { unsupportedSince = (t, sequence, enrolment) }
        } else if let (s, ss, b) = unsupportedSince {
            unsupportedSince = nil
            findings.append(unsupportedFinding(s, ss, b, end: t, closing: sequence))
        }
        if enrolled && r.orchestration == .vmssUniform {
            if uniformSince == nil { uniformSince = (t, sequence, enrolment) }
        } else if let (s, ss, b) = uniformSince {
            uniformSince = nil
            findings.append(uniformFinding(s, ss, b, end: t, closing: sequence))
        }
        // Hotpatch on Azure comes with Azure-orchestrated patching; on Azure Stack HCI
        // other tools orchestrate it, whatever the patch mode.
        if enrolled && r.platform == .azure && r.patchMode != .automaticByPlatform {
            if patchModeSince == nil { patchModeSince = (t, sequence, enrolment) }
        } else if let (s, ss, b) = patchModeSince {
            patchModeSince = nil
            findings.append(patchModeFinding(s, ss, b, end: t, closing: sequence))
        }
        let missing = enrolled && !wasEnrolled ? c.registrations.missing(in: r.subscription, at: t) : nil
        if let missing, !missing.features.isEmpty {
            findings.append(Finding(vm: state.vm, rule: .previewNotRegistered, start: t, end: t, evidence: [sequence] + missing.evidence,
                                    detail: "hotpatch enrolled while \(missing.features.joined(separator: ", ")) not Registered in subscription \(r.subscription)",
                                    basis: enrolment))
        }
        // The opt-in's last step, once its features were all Registered.
        if let missing, missing.features.isEmpty, let stale = c.registrations.providerNotRegisteredAgain(in: r.subscription, at: t) {
            findings.append(Finding(vm: state.vm, rule: .providerNotRegistered, start: t, end: t, evidence: [sequence] + stale.evidence,
                                    detail: "hotpatch enrolled in subscription \(r.subscription), whose Microsoft.Compute provider was not registered again after its preview features (last changed \(stale.featuresAt))",
                                    basis: enrolment))
        }
    }

    /// Why a rule applies to the VM now: `reason`, with its registration and enrolment.
    func basis(_ reason: RuleBasis.Reason) -> RuleBasis {
        RuleBasis(reason: reason, platform: state.registration?.platform, patchMode: state.registration?.patchMode, enrolled: state.hotpatchEnabled)
    }

    /// Whether the VM is held now to what Azure's automatic VM guest patching promises
    /// (periodic assessments, installs within the allowed days): an Azure-orchestrated
    /// VM, or any VM under `--policy all-vms`; nil when it is not.
    func promiseBasis(_ c: AuditContext) -> RuleBasis? {
        var b = basis(.azureOrchestrated)
        if b.azureOrchestrated { return b }
        guard c.policy.scope == .allVMs else { return nil }
        b.reason = .allVMs
        return b
    }

    func unsupportedFinding(_ s: Timestamp, _ ss: UInt64, _ b: RuleBasis, end: Timestamp?, closing: UInt64) -> Finding {
        let image = state.registration.map { "\($0.image.publisher)/\($0.image.offer)/\($0.image.sku)" } ?? "?"
        return Finding(vm: state.vm, rule: .unsupportedImage, start: s, end: end, evidence: [registrationSequence, ss, closing],
                       detail: "hotpatch enabled on image \(image), which is not on the supported list", basis: b)
    }

    func uniformFinding(_ s: Timestamp, _ ss: UInt64, _ b: RuleBasis, end: Timestamp?, closing: UInt64) -> Finding {
        Finding(vm: state.vm, rule: .vmssUniform, start: s, end: end, evidence: [registrationSequence, ss, closing],
                detail: "hotpatch enabled on a VM of a scale set with Uniform orchestration", basis: b)
    }

    func patchModeFinding(_ s: Timestamp, _ ss: UInt64, _ b: RuleBasis, end: Timestamp?, closing: UInt64) -> Finding {
        Finding(vm: state.vm, rule: .hotpatchPatchMode, start: s, end: end, evidence: [registrationSequence, ss, closing],
                detail: "hotpatch enabled on an Azure VM with patch mode \(b.patchMode?.name ?? "?"), not AutomaticByPlatform (Azure-orchestrated patching)",
                basis: b)
    }

    func rollbackFinding(_ r: Timestamp, _ rs: UInt64, end: Timestamp?, closing: UInt64, _ c: AuditContext) -> Finding {
        Finding(vm: state.vm, rule: .rollbackWithoutReboot, start: r.adding(Duration.hours(c.policy.rollbackRebootHours)), end: end,
                evidence: [rs, closing],
                detail: "rollback at \(r) " + (end.map { "not followed by a completed reboot until \($0)" } ?? "not followed by a completed reboot"),
                basis: basis(.everyVM))
    }

    func mismatchFinding(_ m: Mismatch, end: Timestamp?, closing: UInt64) -> Finding {
        Finding(vm: state.vm, rule: .baselineMismatch, kb: m.kb, start: m.since, end: end, evidence: m.evidence + [closing],
                detail: "hotpatch \(m.kb) is built on \(m.expected) but the VM's baseline was \(m.baseline?.description ?? "unknown")", basis: m.basis)
    }

    /// A running VM's assessment clock stops (an assessment, or a power-off): a
    /// finding when it ran longer than allowed.
    mutating func closeAssessmentGap(at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        guard let (a, aseq, held) = assessedSince else { return }
        let limit = Duration.days(c.policy.notAssessedDays)
        if t.nanoseconds - a.nanoseconds > limit {
            findings.append(Finding(vm: state.vm, rule: .notAssessed, start: a.adding(limit), end: t, evidence: [aseq, sequence],
                                    detail: "running and not assessed from \(a) to \(t) (\(DurationText.short(t.nanoseconds - a.nanoseconds)))",
                                    basis: held))
        }
    }

    /// After an install was folded: the off-peak rule, reboot-less hotpatch installs,
    /// baseline mismatches, and the releases the install shows apply to the VM.
    mutating func installChecks(_ e: EventView, at t: Timestamp, sequence: UInt64, _ c: AuditContext) throws(EventCodec.DecodeError) {
        // Off-peak hours are Azure's orchestration's promise: Azure-orchestrated VMs only.
        if let zone, try e.installTrigger() == .platform, basis(.azureOrchestrated).azureOrchestrated {
            let offset = zone.offsetMinutes(at: t)
            let minutes = t.nanoseconds / 60_000_000_000 + Int64(offset)
            let local = Int((minutes % 1440 + 1440) % 1440)
            if !c.policy.offPeak.contains(minuteOfDay: local) {
                let when: String
                if let name = state.registration?.timezone {
                    let saving = zone.isDaylightSaving(at: t) ? " daylight saving time" : ""
                    when = "local time (\(name), \(TimeZones.label(offsetMinutes: offset))\(saving))"
                } else {
                    when = "UTC (no time zone registered; Azure's default is UTC)"
                }
                findings.append(Finding(vm: state.vm, rule: .installOutsideOffPeak, start: t, end: t, evidence: [sequence, registrationSequence],
                                        detail: "automatic install at \(OffPeakWindow.clock(local)) \(when), outside \(c.policy.offPeak)",
                                        basis: basis(.azureOrchestrated)))
            }
        }
        try installOutcomeChecks(e, at: t, sequence: sequence, c)
        _ = try e.forEachInstalledPatch { kb, patchState, _, _ in
            expose(kb, evidence: sequence, at: t, c)
            guard patchState == .installed, let index = state.installedIndex[kb], state.periods[index].sequence == sequence,
                  state.periods[index].kind == .hotpatch else { return }
            if state.hotpatchEnabled {
                rebootlessInstalls += 1
            } else {
                // Not enrolled: no hotpatch belongs here, and none is a reboot avoided.
                findings.append(Finding(vm: state.vm, rule: .hotpatchNotEnrolled, kb: kb, start: t, end: t, evidence: [sequence, enrolmentStateSequence],
                                        detail: "hotpatch \(kb) installed on a VM not enrolled in Hotpatch" + (leftAt.map { " (it left Hotpatch at \($0.0))" } ?? ""),
                                        basis: basis(.hotpatchEnrolment)))
            }
            guard let release = c.catalog.entries[kb], let expected = release.release.baseline, state.baseline != expected else { return }
            let baselineEvent = state.baseline.flatMap { state.installedIndex[$0] }.map { state.periods[$0].sequence } ?? 0
            mismatches.append(Mismatch(kb: kb, since: t, baseline: state.baseline, expected: expected,
                                       evidence: [sequence, release.sequence, baselineEvent], basis: basis(.everyVM)))
        }
    }

    /// After an install, reboot or rollback: pending-reboot spans, windows that became
    /// effective, and mismatches that ended.
    mutating func patchesChanged(at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        let pending = state.pendingReboot
        if pending, pendingSince == nil {
            pendingSince = (t, sequence)
        } else if !pending, let (s, ss) = pendingSince {
            pendingSince = nil
            let limit = Duration.days(c.policy.rebootPendingDays)
            if t.nanoseconds - s.nanoseconds > limit {
                findings.append(Finding(vm: state.vm, rule: .rebootPending, start: s.adding(limit), end: t, evidence: [ss, sequence],
                                        detail: "reboot pending from \(s) to \(t) (\(DurationText.short(t.nanoseconds - s.nanoseconds)))",
                                        basis: basis(.everyVM)))
            }
        }
        if !openExposures.isEmpty { closeEffective(at: t, sequence: sequence, c) }
        if !mismatches.isEmpty {
            var kept: [Mismatch] = []
            for m in mismatches {
                if state.installedIndex[m.kb] == nil || state.baseline != m.baseline {
                    findings.append(mismatchFinding(m, end: t, closing: sequence))
                } else {
                    kept.append(m)
                }
            }
            mismatches = kept
        }
    }

    /// After a registration or `vm.hotpatch`: remembers when the VM left Hotpatch, and
    /// when it enrols again, a finding unless a baseline was released in between
    /// (the documents: it may enrol again when the next baseline is released).
    mutating func leavingAndReturning(wasEnrolled: Bool, at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        enrolmentStateSequence = sequence
        let enrolled = state.hotpatchEnabled
        if wasEnrolled && !enrolled {
            leftAt = (t, sequence)
        } else if enrolled && !wasEnrolled, let (left, leftSequence) = leftAt {
            leftAt = nil
            let next = c.baseline(publishedAfter: left)
            if let next, next.publishedAt <= t { return }
            let nextText = next.map { "the next baseline, \($0.release.kb), was released \($0.publishedAt)" } ?? "no baseline was released by \(c.at)"
            findings.append(Finding(vm: state.vm, rule: .reEnrolledBeforeBaseline, start: t, end: t, evidence: [leftSequence, sequence, next?.sequence ?? 0],
                                    detail: "enrolled in Hotpatch again at \(t) after leaving it at \(left); \(nextText)",
                                    basis: basis(.hotpatchEnrolment)))
        }
    }

    /// After a rollback was folded: the documents' rollback installs "the last known
    /// good baseline", so restoring a KB the catalog gives another kind, or one a
    /// registered VM never had (no install period before, and not the baseline latest
    /// at its registration, which its image carried), is a finding. `periodsBefore` is how many
    /// install periods the VM had before the rollback.
    mutating func rollbackChecks(at t: Timestamp, sequence: UInt64, periodsBefore: Int, _ c: AuditContext) {
        guard let restored = state.baseline else { return }
        if let entry = c.catalog.entries[restored], entry.release.kind != .baseline {
            findings.append(Finding(vm: state.vm, rule: .rollbackRestoresNotABaseline, kb: restored, start: t, end: t, evidence: [sequence, entry.sequence],
                                    detail: "rollback at \(t) restored \(restored), a \(entry.release.kind.name) release, as the VM's baseline; a rollback restores the last known good baseline",
                                    basis: basis(.everyVM)))
        }
        // What the VM had: every KB installed on it before, and the baseline its image
        // carried (the latest published by its registration; the log saw no install of it).
        guard let registered = registeredAt else { return }
        if c.latestBaseline(by: registered)?.release.kb != restored, !state.periods[..<periodsBefore].contains(where: { $0.kb == restored }) {
            findings.append(Finding(vm: state.vm, rule: .rollbackRestoresUnknownBaseline, kb: restored, start: t, end: t, evidence: [sequence],
                                    detail: "rollback at \(t) restored \(restored), which was never installed on the VM; a rollback restores the last known good baseline",
                                    basis: basis(.everyVM)))
        }
    }

    /// What an install event says that needs no state: it failed or exceeded its
    /// maintenance window; the platform installed an update classified neither
    /// Critical nor Security (by the patch entry or, when it lists neither, the
    /// catalog); a KB was installed although the request excluded it. Allocates
    /// nothing unless the install has a request with exclusions or gives a finding.
    mutating func installOutcomeChecks(_ e: EventView, at t: Timestamp, sequence: UInt64, _ c: AuditContext) throws(EventCodec.DecodeError) {
        let (status, exceeded) = try e.installOutcome()
        let failed = status == .failed || exceeded == true
        let automatic = try e.installTrigger() == .platform
        var excluded: [KB] = []
        var notInstalled: [String] = []
        try e.forEachInstallDetail(excluded: { excluded.append($0) }) { kb, patchState, criticalOrSecurity in
            if failed && (patchState == .failed || patchState == .pending) { notInstalled.append("\(kb) \(patchState.name)") }
            guard patchState == .installed else { return }
            if automatic && !criticalOrSecurity && c.security[kb] == nil {
                findings.append(Finding(vm: state.vm, rule: .automaticInstallNotCriticalOrSecurity, kb: kb, start: t, end: t, evidence: [sequence],
                                        detail: "automatic (Platform) install of \(kb), classified neither Critical nor Security; automatic VM guest patching installs only those",
                                        basis: basis(.everyVM)))
            }
            if excluded.contains(kb) {
                findings.append(Finding(vm: state.vm, rule: .excludedKBInstalled, kb: kb, start: t, end: t, evidence: [sequence],
                                        detail: "\(kb) installed by a \(automatic ? "Platform" : "OnDemand") install whose request excluded it",
                                        basis: basis(.everyVM)))
            }
        }
        if failed {
            findings.append(Finding(vm: state.vm, rule: .installFailed, start: t, end: t, evidence: [sequence],
                                    detail: "install \(status.name)" + (exceeded == true ? ", maintenance window exceeded" : "")
                                        + (notInstalled.isEmpty ? "" : "; not installed: " + notInstalled.joined(separator: ", ")),
                                    basis: basis(.everyVM)))
        }
    }
}
