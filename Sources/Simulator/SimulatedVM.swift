import Events
import Randomness

/// One VM's life in the simulation: a small discrete-event simulation of its own.
/// Each month's actions are planned when the simulation reaches the month
/// (`plan`); the fleet then advances every VM slice by slice (`advance`), so that
/// a slice's events of every VM can be sorted by time and written out without
/// holding a month of a large fleet in memory. Events come out with an empty id: the
/// fleet names them.
struct SimulatedVM {
    enum Action {
        case open
        case initialInstall
        case assess(AssessmentTrigger)
        case install(month: Int, attempt: Int)
        case reboot(RebootReason, attempt: Int)
        case powerOff(days: Int)
        case powerOn
        case enrolment(Bool)
        case rollback(uninstall: KB, restore: KB)
    }

    let profile: VMProfile
    let calendar: ReleaseCalendar
    var random: SplitMix64
    /// Activity ids come from a generator of their own, so that the history is the
    /// same whatever the ids.
    var activities: SplitMix64
    let registeredAt: Int64
    var installed: Set<KB> = []
    var baseline: KB
    var previousBaseline: KB
    var enrolled: Bool
    var powered = true
    var pendingReboot = false
    var reenrolAtNextBaseline = false
    var pending: [(Int64, Action)] = []
    /// The earliest time in `pending` (`Int64.max` when none).
    var earliest = Int64.max
    var nextAssessment: Int64

    static let hour = FleetSimulator.hour
    static let day = FleetSimulator.day

    init(index: Int, seed: UInt64, calendar: ReleaseCalendar, registeredAt: Int64) {
        var g = SplitMix64(seed: seed &* 0x100_0000_01B3 ^ UInt64(index) &* 0x9E37_79B9)
        profile = VMProfile(index: index, random: &g)
        random = g
        var mix = SplitMix64(seed: seed ^ 0xAC71_0000_0000_0000 ^ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        activities = SplitMix64(seed: mix.next())
        self.calendar = calendar
        self.registeredAt = registeredAt
        baseline = calendar.initialBaseline
        previousBaseline = calendar.initialBaseline
        enrolled = profile.hotpatch
        nextAssessment = registeredAt + Self.hour + Int64(index % 72) * Self.hour
        schedule(registeredAt, .open)
    }

    var enrolledSupported: Bool { enrolled && profile.supported && profile.orchestration != .vmssUniform }

    /// A new random activity id (a GUID, as Azure gives each assessment and install).
    mutating func activityID() -> String { SimulatedIDs.guid(&activities) }

    mutating func chance(_ percentTimesTen: Int) -> Bool { Int.random(in: 0..<1000, using: &random) < percentTimesTen }

    /// An off-peak moment (22:00 to 04:00 in the VM's time zone, UTC if unknown) on
    /// the day `dayStart` begins.
    mutating func offPeak(_ dayStart: Int64) -> Int64 {
        let local = Int64(22 + Int.random(in: 0..<6, using: &random)) * Self.hour + Int64.random(in: 0..<60, using: &random) * 60_000_000_000
        let offset = Int64(profile.timezone?.offsetHours ?? 0) * Self.hour
        return dayStart + local - offset
    }

    mutating func schedule(_ t: Int64, _ a: Action) {
        pending.append((t, a))
        if t < earliest { earliest = t }
    }

    /// Plans month `m` (`start..<end`): its assessments, its install, and now and
    /// then an on-demand assessment, a power-off or enrolment turned off. Called when
    /// the simulation reaches the month's start (month 0: before anything).
    mutating func plan(month m: Int, from start: Int64, until end: Int64) {
        let month = calendar.months[m]
        while nextAssessment < end {
            schedule(nextAssessment, .assess(.periodic))
            nextAssessment += 3 * Self.day + Int64.random(in: -6...6, using: &random) * Self.hour
        }
        if chance(50) { schedule(start + Int64.random(in: 0..<(end - start), using: &random), .assess(.onDemand)) }
        let ptDay = month.patchTuesday.nanoseconds - month.patchTuesday.nanoseconds % Self.day
        let delay = Int64(profile.platform == .azureStackHCI ? Int.random(in: 5..<20, using: &random) : Int.random(in: 1..<25, using: &random))
        schedule(offPeak(ptDay + delay * Self.day), .install(month: m, attempt: 1))
        if chance(20) { schedule(start + Int64.random(in: 0..<25, using: &random) * Self.day + 9 * Self.hour, .powerOff(days: Int.random(in: 3...10, using: &random))) }
        if enrolled && profile.supported && chance(5) {
            schedule(start + Int64.random(in: 0..<25, using: &random) * Self.day + 10 * Self.hour, .enrolment(false))
        }
    }

    /// Performs, in time order, every pending action before `until` (and those they
    /// schedule before it), appending their events; each event has its action's time.
    mutating func advance(until: Int64, into events: inout [Event]) {
        guard earliest < until else { return }
        while true {
            var best = -1, bestTime = Int64.max
            for i in pending.indices where pending[i].0 < bestTime { (best, bestTime) = (i, pending[i].0) }
            guard best >= 0, bestTime < until else { earliest = bestTime; return }
            let (t, action) = pending.remove(at: best)
            perform(action, at: t, into: &events)
        }
    }

    mutating func perform(_ action: Action, at t: Int64, into events: inout [Event]) {
        let time = Timestamp(nanoseconds: t)
        switch action {
        case .open:
            events.append(Event(id: "", time: time, vm: profile.id, body: .vmRegistered(VMRegistration(
                subscription: profile.subscription, image: profile.image, platform: profile.platform, patchMode: profile.patchMode,
                hotpatch: profile.hotpatch, timezone: profile.timezone?.name, orchestration: profile.orchestration))))
            schedule(t + 5 * 60_000_000_000, .initialInstall)
        case .initialInstall:
            // The baseline the image came with.
            installed.insert(baseline)
            events.append(Event(id: "", time: time, vm: profile.id, body: .install(Install(
                activityId: activityID(), trigger: .onDemand, status: .succeeded, rebootStatus: .completed,
                patches: [InstalledPatch(kb: baseline, classifications: ["Critical", "Security"], state: .installed, kind: .baseline)]))))
        case let .assess(trigger):
            guard powered else { return }
            events.append(Event(id: "", time: time, vm: profile.id, body: .assessment(Assessment(
                activityId: activityID(), trigger: trigger, status: chance(10) ? .completedWithWarnings : .succeeded,
                rebootPending: pendingReboot, available: available(at: t)))))
        case let .install(m, attempt):
            guard powered else { schedule(t + Self.day, .install(month: m, attempt: attempt)); return }
            install(month: m, attempt: attempt, at: t, into: &events)
        case let .reboot(reason, attempt):
            guard powered else { return }
            let failed = attempt < 3 && chance(30)
            events.append(Event(id: "", time: time, vm: profile.id, body: .reboot(Reboot(reason: reason, status: failed ? .failed : .completed))))
            if failed { schedule(t + Self.hour, .reboot(reason, attempt: attempt + 1)) } else { pendingReboot = false }
        case let .powerOff(days):
            guard powered else { return }
            powered = false
            events.append(Event(id: "", time: time, vm: profile.id, body: .vmPower(.deallocated)))
            schedule(t + Int64(days) * Self.day, .powerOn)
        case .powerOn:
            powered = true
            events.append(Event(id: "", time: time, vm: profile.id, body: .vmPower(.running)))
            // A VM that was off is assessed at the next periodic assessment after power-on.
            schedule(t + 2 * Self.hour, .assess(.periodic))
        case let .enrolment(on):
            guard enrolled != on else { return }
            enrolled = on
            reenrolAtNextBaseline = !on
            events.append(Event(id: "", time: time, vm: profile.id, body: .vmHotpatch(enabled: on)))
        case let .rollback(uninstall, restore):
            guard powered, installed.contains(uninstall) else { return }
            installed.remove(uninstall)
            installed.insert(restore)
            baseline = restore
            pendingReboot = true
            events.append(Event(id: "", time: time, vm: profile.id, body: .rollback(Rollback(uninstalled: [uninstall], restoredBaseline: restore))))
            schedule(t + 15 * 60_000_000_000, .reboot(.rollback, attempt: 1))
        }
    }

    /// What an assessment finds: this and last month's updates that apply and are not
    /// installed, and the latest definition update.
    mutating func available(at t: Int64) -> [AvailablePatch] {
        var out: [AvailablePatch] = []
        for month in calendar.months where month.patchTuesday.nanoseconds <= t && month.patchTuesday.nanoseconds > t - 62 * Self.day {
            for (kb, kind, classes, behaviour) in offered(month) where !installed.contains(kb) && !out.contains(where: { $0.kb == kb }) {
                out.append(AvailablePatch(kb: kb, classifications: classes, rebootBehavior: behaviour, kind: kind))
            }
        }
        if let latest = calendar.months.last(where: { $0.patchTuesday.nanoseconds + Self.hour <= t }) {
            out.append(AvailablePatch(kb: latest.definition, classifications: ["Definition"], rebootBehavior: .neverReboots, kind: .other))
        }
        return out
    }

    /// The updates a month offers this VM.
    func offered(_ month: ReleaseCalendar.Month) -> [(KB, PatchKind, [String], RebootBehavior)] {
        var list: [(KB, PatchKind, [String], RebootBehavior)] = []
        if enrolledSupported {
            if let b = month.newBaseline { list.append((b, .baseline, ["Critical", "Security"], .alwaysRequiresReboot)) }
            else if let h = month.hotpatch, baseline == month.baseline { list.append((h, .hotpatch, ["Security"], .neverReboots)) }
            else { list.append((month.baseline, .baseline, ["Critical", "Security"], .alwaysRequiresReboot)) }
        } else {
            list.append((month.cumulative, month.newBaseline == nil ? .other : .baseline, ["Critical", "Security"], .alwaysRequiresReboot))
        }
        if let d = month.dotnet { list.append((d, .other, ["Security"], .canRequestReboot)) }
        return list
    }

    mutating func install(month m: Int, attempt: Int, at t: Int64, into events: inout [Event]) {
        let month = calendar.months[m]
        let wanted = offered(month).filter { !installed.contains($0.0) }
        guard !wanted.isEmpty else { return }
        let activity = activityID()
        let trigger: InstallTrigger = profile.platform == .azureStackHCI ? .onDemand : .platform
        if attempt < 3 && chance(20) {
            events.append(Event(id: "", time: Timestamp(nanoseconds: t), vm: profile.id, body: .install(Install(
                activityId: activity, trigger: trigger, status: .failed, rebootStatus: .notNeeded, maintenanceWindowExceeded: chance(300),
                patches: wanted.map { InstalledPatch(kb: $0.0, classifications: $0.2, state: .failed, kind: $0.1, rebootBehavior: $0.3) }))))
            schedule(offPeak(t - t % Self.day + Int64.random(in: 2...5, using: &random) * Self.day), .install(month: m, attempt: attempt + 1))
            return
        }
        var needsReboot = false
        for (kb, kind, _, behaviour) in wanted {
            installed.insert(kb)
            if kind == .baseline {
                previousBaseline = baseline
                baseline = kb
                if reenrolAtNextBaseline && month.newBaseline == kb {
                    schedule(t + 6 * Self.hour, .enrolment(true))
                }
            }
            if kind == .baseline || (kind == .other && behaviour != .neverReboots) { needsReboot = true }
        }
        events.append(Event(id: "", time: Timestamp(nanoseconds: t), vm: profile.id, body: .install(Install(
            activityId: activity, trigger: trigger, status: .succeeded, rebootStatus: needsReboot ? .required : .notNeeded,
            maintenanceWindowExceeded: false,
            patches: wanted.map { InstalledPatch(kb: $0.0, classifications: $0.2, state: .installed, kind: $0.1, rebootBehavior: $0.3) }))))
        if needsReboot {
            pendingReboot = true
            let late = chance(50)
            let wait = late ? Int64.random(in: 1...3, using: &random) * Self.day : Int64.random(in: 10...60, using: &random) * 60_000_000_000
            let reason: RebootReason = wanted.contains { $0.1 == .baseline } ? .baseline : .update
            schedule(t + wait, .reboot(reason, attempt: 1))
            // Now and then a new baseline misbehaves and is rolled back to the last good one.
            if reason == .baseline && previousBaseline != baseline && chance(8) {
                schedule(t + wait + Int64.random(in: 1...3, using: &random) * Self.day, .rollback(uninstall: baseline, restore: previousBaseline))
            }
        }
    }
}
