import Events
import Interchange
import LogStore
import Replay
import Simulator
import Testing

@Suite struct SimulatorTests {
    static func events(vms: Int = 40, months: Int = 12, seed: UInt64 = 11, late: Double = 0) -> [Event] {
        var out: [Event] = []
        FleetSimulator(SimulationConfig(vms: vms, months: months, seed: seed, late: late)).run { out.append($0) }
        return out
    }

    static func jsonl(_ events: [Event]) -> String { events.map(EventJSONEncoder.encode).joined(separator: "\n") }

    @Test func sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        let a = Self.jsonl(Self.events(seed: 5))
        #expect(a == Self.jsonl(Self.events(seed: 5)))
        #expect(a != Self.jsonl(Self.events(seed: 6)))
        #expect(a.utf8.count > 100_000)
    }

    @Test func releasesFollowTheCalendar() throws {
        let calendar = FleetSimulator(SimulationConfig(vms: 1, months: 12, seed: 3)).calendar
        let tuesdays = calendar.months.map { $0.patchTuesday.description }
        #expect(tuesdays == ["2025-01-14", "2025-02-11", "2025-03-11", "2025-04-08", "2025-05-13", "2025-06-10",
                             "2025-07-08", "2025-08-12", "2025-09-09", "2025-10-14", "2025-11-11", "2025-12-09"].map { $0 + "T18:00:00Z" })
        for (i, month) in calendar.months.enumerated() {
            if i % 3 == 0 { #expect(month.newBaseline != nil, "month \(i + 1) has a planned baseline") }
            #expect((month.newBaseline == nil) == (month.hotpatch != nil), "month \(i + 1): a baseline or a hotpatch, never both")
        }
        #expect(calendar.months.filter { $0.hotpatch != nil }.count >= 4)
        // Every hotpatch is built on the baseline most recently released before it.
        var current: KB?
        for case let .release(r) in calendar.releases.sorted(by: { $0.time < $1.time }).map(\.body) {
            if r.kind == .baseline { current = r.kb }
            if r.kind == .hotpatch { #expect(r.baseline == current) }
        }
    }

    @Test func noHotpatchIsInstalledOnAVMWhoseBaselineDiffers() throws {
        let events = Self.events(vms: 60)
        var catalog = ReleaseCatalog()
        var hotpatchBase: [KB: KB] = [:]
        for (i, e) in events.enumerated() {
            catalog.add(e, sequence: UInt64(i + 1))
            if case let .release(r) = e.body, r.kind == .hotpatch { hotpatchBase[r.kb] = r.baseline }
        }
        var states: [String: VMState] = [:]
        var hotpatchInstalls = 0
        for (i, e) in events.enumerated() {
            guard let vm = e.vm else { continue }
            var state = states[vm] ?? VMState(vm: vm)
            if case let .install(install) = e.body {
                for p in install.patches where p.state == .installed && catalog.kind(of: p.kb) == .hotpatch {
                    hotpatchInstalls += 1
                    #expect(state.baseline == hotpatchBase[p.kb], "\(vm) got \(p.kb) on baseline \(state.baseline?.description ?? "none")")
                }
            }
            state.apply(e, sequence: UInt64(i + 1), catalog: catalog)
            states[vm] = state
        }
        #expect(hotpatchInstalls > 100)
        #expect(events.contains { if case .rollback = $0.body { true } else { false } }, "the history has rollbacks")
    }

    @Test func everyInstallThatNeedsARebootGetsOneOrIsReportedPending() throws {
        let events = Self.events(vms: 60)
        let log = HotpatchLog(store: InMemoryLog())
        _ = try log.append(events)
        let fleet = try Replayer(log: log).fleet()
        var waiting = 0
        for state in fleet {
            for p in state.periods where p.effectiveAt == nil && p.uninstalledAt == nil {
                waiting += 1
                #expect(state.pendingReboot, "\(state.vm): \(p.kb) waits for a reboot the fleet view does not report")
            }
            // Every period that needed a reboot and was not still waiting got one.
            for p in state.periods where p.effectiveAt != nil {
                #expect(p.effectiveAt! >= p.installedAt)
            }
        }
        #expect(fleet.count == 60)
        #expect(fleet.filter(\.pendingReboot).count == fleet.filter { s in s.installed.contains { $0.effectiveAt == nil } || s.rollbackPending }.count)
        _ = waiting
    }

    @Test func lateEventsChangeTheOrderButNotTheAnswers() throws {
        let inOrder = Self.events(vms: 30, seed: 9)
        let withLate = Self.events(vms: 30, seed: 9, late: 0.1)
        #expect(Set(inOrder.map(\.id)) == Set(withLate.map(\.id)))
        let outOfOrder = zip(withLate, withLate.dropFirst()).filter { $0.1.time < $0.0.time }.count
        #expect(outOfOrder > 0)
        let a = HotpatchLog(store: InMemoryLog()), b = HotpatchLog(store: InMemoryLog())
        _ = try a.append(inOrder)
        _ = try b.append(withLate)
        let ra = Replayer(log: a), rb = Replayer(log: b)
        for month in [2, 6, 12] {
            let at = Timestamp(nanoseconds: 1_735_689_600_000_000_000 + Int64(month) * 30 * 86_400_000_000_000)
            let fa = try ra.fleet(at: at), fb = try rb.fleet(at: at)
            func view(_ s: [VMState]) -> [[String]] {
                s.map { $0.installed.map { "\($0.kb) \($0.kind.name) \($0.installedAt) \($0.effectiveAt?.description ?? "-")" } }
            }
            #expect(view(fa) == view(fb))
            #expect(fa.map(\.baseline) == fb.map(\.baseline))
            #expect(fa.map(\.pendingReboot) == fb.map(\.pendingReboot))
        }
    }
}
