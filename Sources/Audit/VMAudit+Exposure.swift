import Events
import Replay

/// Exposure windows: when a Critical or Security release applies to the VM, and when
/// it stops exposing it (docs/audit.md).
extension VMAudit {
    /// Opens the windows of the releases published by `t` that apply by rule: every
    /// baseline to a registered VM, every hotpatch to an enrolled one. Releases
    /// published before the VM was registered apply only when an assessment or
    /// install names them.
    mutating func addReleases(publishedBy t: Timestamp, _ c: AuditContext) {
        guard t.nanoseconds >= nextReleaseAt else { return }
        defer {
            nextReleaseAt = releaseCursor < c.securityReleases.count ? c.securityReleases[releaseCursor].publishedAt.nanoseconds : .max
        }
        while releaseCursor < c.securityReleases.count, c.securityReleases[releaseCursor].publishedAt <= t {
            let entry = c.securityReleases[releaseCursor]
            releaseCursor += 1
            guard registeredAt != nil, exposureIndex[entry.kb] == nil else { continue }
            switch entry.kind {
            case .baseline: open(entry, evidence: registrationSequence)
            case .hotpatch where state.hotpatchEnabled: open(entry, evidence: enrolmentSequence)
            default: break
            }
        }
    }

    /// Opens the window of `kb` if it is a Critical or Security release published by
    /// `t` and has none on this VM yet (an assessment or install named it).
    mutating func expose(_ kb: KB, evidence: UInt64, at t: Timestamp, _ c: AuditContext) {
        guard exposureIndex[kb] == nil, let entry = c.security[kb], entry.publishedAt <= t else { return }
        open(entry, evidence: evidence)
    }

    /// A rollback uninstalled `kbs` (docs/events.md: each stops being installed at the
    /// rollback's time): the VM is exposed again to each that is a Critical or
    /// Security release published by then, so a new window opens at the rollback —
    /// unless one is still open, or the VM's effective baseline is a newer one that
    /// supersedes it (a baseline restored by the rollback supersedes it when its
    /// reboot completes, as any baseline does). The earlier window keeps its end.
    mutating func reopen(uninstalled kbs: [KB], at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        for kb in kbs {
            guard let entry = c.security[kb], entry.publishedAt <= t else { continue }
            if let w = exposureIndex[kb], exposures[w].closure == .open { continue }
            // Only a real baseline supersedes: a rollback that "restored" a hotpatch or
            // another update leaves the VM exposed to the baseline it uninstalled.
            if entry.kind != .other, let b = state.baseline, let index = state.installedIndex[b], state.periods[index].effectiveAt != nil,
               state.periods[index].kind == .baseline, let published = c.security[b]?.publishedAt, published > entry.publishedAt { continue }
            open(entry, evidence: sequence, reopenedAt: t)
        }
    }

    /// Opens a window of `entry`: from its publication (or the VM's registration), or
    /// from `reopenedAt` when a rollback uninstalled it. ``exposureIndex`` then points
    /// to this window, the release's latest on the VM.
    private mutating func open(_ entry: SecurityRelease, evidence: UInt64, reopenedAt: Timestamp? = nil) {
        let kb = entry.kb
        let category: ExposureCategory
        switch entry.kind {
        case .hotpatch: category = .hotpatch
        case _ where !state.hotpatchEnabled: category = .notEnrolled
        case .baseline: category = .baseline
        case .other: category = .other
        }
        let start = reopenedAt ?? max(entry.publishedAt, registeredAt ?? entry.publishedAt)
        var window = ExposureWindow(vm: state.vm, kb: kb, category: category, publishedAt: entry.publishedAt, start: start,
                                    end: nil, closure: .open, evidence: [entry.sequence, evidence], reopened: reopenedAt != nil,
                                    basis: basis(.azureOrchestrated))
        exposureIndex[kb] = exposures.count
        if let index = state.installedIndex[kb], let effective = state.periods[index].effectiveAt {
            window.end = max(effective, start)
            window.closure = .effective
            window.evidence.append(state.periods[index].sequence)
        } else {
            openExposures.append(exposures.count)
        }
        exposures.append(window)
    }

    /// An assessment names the releases that apply to the VM; one that succeeded and
    /// no longer offers an open `other` release that is not installed shows it was
    /// superseded.
    mutating func assessmentEvidence(_ e: EventView, at t: Timestamp, sequence: UInt64, _ c: AuditContext) throws(EventCodec.DecodeError) {
        try e.forEachAvailable { kb in expose(kb, evidence: sequence, at: t, c) }
        guard !openExposures.isEmpty else { return }
        let status = try e.assessmentStatus()
        guard status == .succeeded || status == .completedWithWarnings else { return }
        var i = 0
        while i < openExposures.count {
            let w = openExposures[i]
            let kb = exposures[w].kb
            var offered = false
            if c.security[kb]?.kind == .other, state.installedIndex[kb] == nil {
                try e.forEachAvailable { if $0 == kb { offered = true } }
                if !offered {
                    close(w, at: t, .superseded, evidence: [sequence])
                    openExposures.remove(at: i)
                    continue
                }
            }
            i += 1
        }
    }

    /// Closes the windows whose release is now effective; a baseline that became
    /// effective supersedes the baselines and hotpatches published before it.
    mutating func closeEffective(at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        var newestBaseline: (published: Timestamp, effective: Timestamp, evidence: [UInt64])?
        var i = 0
        while i < openExposures.count {
            let w = openExposures[i]
            guard let index = state.installedIndex[exposures[w].kb], let effective = state.periods[index].effectiveAt else { i += 1; continue }
            let period = state.periods[index]
            let evidence = [period.sequence, effective == period.installedAt ? 0 : sequence]
            close(w, at: effective, .effective, evidence: evidence)
            openExposures.remove(at: i)
            if period.kind == .baseline, exposures[w].publishedAt > newestBaseline?.published ?? Timestamp(nanoseconds: .min) {
                newestBaseline = (exposures[w].publishedAt, effective, evidence)
            }
        }
        // A baseline installed before its window opened (the VM was current) also supersedes.
        for index in state.installedIndex.values where state.periods[index].kind == .baseline {
            let p = state.periods[index]
            guard let effective = p.effectiveAt, effective == t || p.sequence == sequence,
                  let published = c.security[p.kb]?.publishedAt, published > newestBaseline?.published ?? Timestamp(nanoseconds: .min) else { continue }
            newestBaseline = (published, effective, [p.sequence, effective == p.installedAt ? 0 : sequence])
        }
        if !state.hotpatchEnabled { supersedeHotpatchesByCumulativeUpdate(at: t, sequence: sequence, c) }
        guard let newest = newestBaseline else { return }
        i = 0
        while i < openExposures.count {
            let w = openExposures[i]
            let kind = c.security[exposures[w].kb]?.kind
            if (kind == .baseline || kind == .hotpatch) && exposures[w].publishedAt < newest.published {
                close(w, at: newest.effective, .superseded, evidence: newest.evidence)
                openExposures.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    /// A VM that left Hotpatch gets ordinary Windows Server updates: the cumulative
    /// update (a Critical or Security release of kind `other`) that became effective
    /// now, after its reboot, supersedes the open windows of the hotpatches published
    /// by its own publication (the same Patch Tuesday's, or earlier).
    private mutating func supersedeHotpatchesByCumulativeUpdate(at t: Timestamp, sequence: UInt64, _ c: AuditContext) {
        var newest: (published: Timestamp, effective: Timestamp, evidence: [UInt64])?
        for index in state.installedIndex.values where state.periods[index].kind == .other {
            let p = state.periods[index]
            guard let effective = p.effectiveAt, effective == t || p.sequence == sequence,
                  let entry = c.security[p.kb], entry.kind == .other,
                  entry.publishedAt > newest?.published ?? Timestamp(nanoseconds: .min) else { continue }
            newest = (entry.publishedAt, effective, [p.sequence, effective == p.installedAt ? 0 : sequence])
        }
        guard let newest else { return }
        var i = 0
        while i < openExposures.count {
            let w = openExposures[i]
            if c.security[exposures[w].kb]?.kind == .hotpatch && exposures[w].publishedAt <= newest.published {
                close(w, at: newest.effective, .superseded, evidence: newest.evidence)
                openExposures.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    private mutating func close(_ w: Int, at t: Timestamp, _ closure: ExposureClosure, evidence: [UInt64]) {
        exposures[w].end = max(t, exposures[w].start)
        exposures[w].closure = closure
        exposures[w].evidence += evidence.filter { $0 != 0 }
    }

    /// The findings of releases not effective within the allowed days of applying:
    /// from the deadline until the window closed (or open). Only for windows of VMs
    /// held to that standard when the window opened (Azure-orchestrated, or every VM
    /// under `--policy all-vms`).
    mutating func lateReleaseFindings(_ c: AuditContext) {
        let allowed = Duration.days(c.policy.effectiveWithinDays)
        for w in exposures {
            let deadline = w.start.adding(allowed)
            guard deadline < c.at, deadline < w.end ?? Timestamp(nanoseconds: .max) else { continue }
            var held = w.basis
            if !held.azureOrchestrated {
                guard c.policy.scope == .allVMs else { continue }
                held.reason = .allVMs
            }
            let how: String
            switch w.closure {
            case .effective: how = "effective \(w.end!)"
            case .superseded: how = "superseded \(w.end!)"
            case .open: how = "not effective"
            }
            findings.append(Finding(vm: state.vm, rule: .notEffectiveInTime, kb: w.kb, start: deadline, end: w.end, evidence: w.evidence,
                                    detail: "\(w.category.rawValue) release \(w.kb) published \(w.publishedAt), " + (w.reopened ? "uninstalled by a rollback at" : "applied from")
                                        + " \(w.start); \(how), more than \(c.policy.effectiveWithinDays) days later", basis: held))
        }
    }
}
