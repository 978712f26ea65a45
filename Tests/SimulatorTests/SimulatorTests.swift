import AzureImport
import EventLog
import Events
import JSONLines
import LogStore
import Replay
import Simulator
import Testing

@Suite struct SimulatorTests {
    static func events(vms: Int = 40, months: Int = 12, seed: UInt64 = 11, late: Double = 0, ids: SimulatedEventIDs = .opaque) -> [Event] {
        var out: [Event] = []
        FleetSimulator(SimulationConfig(vms: vms, months: months, seed: seed, late: late, ids: ids)).run { out.append($0) }
        return out
    }

    /// Events with the time each was delivered.
    static func deliveries(vms: Int = 40, months: Int = 12, seed: UInt64 = 11, late: Double) -> [(event: Event, at: Timestamp)] {
        var out: [(event: Event, at: Timestamp)] = []
        FleetSimulator(SimulationConfig(vms: vms, months: months, seed: seed, late: late)).run(withDeliveryTimes: { out.append(($0, $1)) })
        return out
    }

    static let hour: Int64 = 3_600_000_000_000

    static func activityID(_ e: Event) -> String? {
        switch e.body {
        case let .assessment(a): a.activityId
        case let .install(i): i.activityId
        default: nil
        }
    }

    /// Lower-case hex digits, `count` of them.
    static func isHex(_ s: Substring, count: Int) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A lower-case GUID, 8-4-4-4-12.
    static func isGUID(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 5 && zip(parts, [8, 4, 4, 4, 12]).allSatisfy { isHex($0, count: $1) }
    }

    static func jsonl(_ events: [Event]) -> String { events.map(EventJSONEncoder.encode).joined(separator: "\n") }

    @Test func sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        let a = Self.jsonl(Self.events(seed: 5))
        #expect(a == Self.jsonl(Self.events(seed: 5)))
        #expect(a != Self.jsonl(Self.events(seed: 6)))
        #expect(a.utf8.count > 100_000)
    }

    @Test func sameSeedGivesTheSameBytesWithLateDeliveriesAndActivityIDs() {
        let a = Self.jsonl(Self.events(vms: 20, seed: 5, late: 0.2, ids: .activity))
        #expect(a == Self.jsonl(Self.events(vms: 20, seed: 5, late: 0.2, ids: .activity)))
        #expect(a != Self.jsonl(Self.events(vms: 20, seed: 5, late: 0.2, ids: .opaque)))
        #expect(a != Self.jsonl(Self.events(vms: 20, seed: 5, late: 0.1, ids: .activity)))
        let opaque = Self.jsonl(Self.events(vms: 20, seed: 5, late: 0.2))
        #expect(opaque == Self.jsonl(Self.events(vms: 20, seed: 5, late: 0.2)))
    }

    @Test func everyAssessmentAndInstallHasItsOwnGUIDActivityID() {
        let events = Self.events()
        let activities = events.compactMap(Self.activityID)
        #expect(activities.count > 3_000)
        #expect(activities.allSatisfy(Self.isGUID), "\(activities.first { !Self.isGUID($0) } ?? "")")
        #expect(Set(activities).count == activities.count, "activity ids repeat")
        // Random (version 4) GUIDs, not derived from the event id.
        #expect(activities.allSatisfy { Array($0.utf8)[14] == UInt8(ascii: "4") })
        #expect(!events.contains { Self.activityID($0) == $0.id })
        // Another seed, other activity ids.
        #expect(Set(Self.events(seed: 12).compactMap(Self.activityID)).isDisjoint(with: activities))
    }

    @Test func opaqueIDsAreACounterTellingNothingOfTheVMOrTheActivity() {
        let events = Self.events()
        #expect(Set(events.map(\.id)).count == events.count, "ids repeat")
        for e in events {
            #expect(e.id.hasPrefix("evt-") && Self.isHex(e.id.dropFirst(4), count: 10), "\(e.id)")
        }
        // Generation order, not output order: the ids of a time-ordered history are not sorted.
        let ids = events.map(\.id)
        #expect(ids != ids.sorted())
        // Numbered from 0, with no gaps.
        #expect(Set(ids) == Set((0..<events.count).map { n in
            let h = String(n, radix: 16)
            return "evt-" + String(repeating: "0", count: 10 - h.count) + h
        }))
    }

    @Test func activityIDsMakeTheIDsTheAzureImporterMakes() throws {
        let events = Self.events(vms: 10, months: 3, ids: .activity)
        let opaque = Self.events(vms: 10, months: 3)
        #expect(events.count == opaque.count)
        var azure = 0
        for (e, o) in zip(events, opaque) {
            #expect(e.body == o.body && e.time == o.time && e.vm == o.vm, "the same history, other ids")
            switch e.body {
            case .assessment:
                azure += 1
                // The importer keys an assessment by its VM and start (every shape of a run has both).
                #expect(e.id.hasPrefix("azure:assessment:") && e.id.hasSuffix(":t" + String(UInt64(bitPattern: e.time.nanoseconds), radix: 16)))
            case let .install(i):
                azure += 1
                #expect(e.id.hasPrefix("azure:install:\(i.activityId):"))
            default:
                #expect(e.id == o.id, "events without an activity id keep their opaque id")
            }
            if Self.activityID(e) != nil {
                let parts = e.id.split(separator: ":")
                let key = parts.count == 4 ? (parts[1] == "assessment" ? parts[2] : parts[3]) : ""
                #expect(parts.count == 4 && Self.isHex(key, count: 16), "\(e.id)")
            }
        }
        #expect(azure > 200)
        #expect(Set(events.map(\.id)).count == events.count)

        // What `import --from azure` makes of the same assessment and install results.
        let assessment = try #require(events.first { if case .assessment = $0.body { true } else { false } })
        let install = try #require(events.first { if case .install = $0.body { $0.vm == assessment.vm } else { false } })
        let importer = AzureImporter(log: HotpatchLog(store: InMemoryLog()), sources: RawPayloadStore(store: InMemoryLog()),
                                     observedAt: Timestamp(nanoseconds: 0), vm: assessment.vm)
        let assessBody = #"{"status":"Succeeded","assessmentActivityId":"\#(Self.activityID(assessment)!)","rebootPending":false,"startDateTime":"\#(assessment.time)","availablePatches":[]}"#
        let installBody = #"{"status":"Succeeded","installationActivityId":"\#(Self.activityID(install)!)","rebootStatus":"NotNeeded","startDateTime":"\#(install.time)","patches":[]}"#
        let a = try importer.importBytes(Array(assessBody.utf8), name: "assess.json")
        let i = try importer.importBytes(Array(installBody.utf8), name: "install.json")
        #expect(a.items.flatMap(\.eventIDs) == [assessment.id])
        #expect(i.items.flatMap(\.eventIDs) == [install.id])
    }

    @Test func withoutLateDeliveriesEventsComeInTimeOrderWithTheVMsInterleaved() {
        let events = Self.events(vms: 30)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.0.time <= $0.1.time })
        // VMs interleave: the VM changes from one event to the next most of the time.
        let vmEvents = events.compactMap(\.vm)
        #expect(zip(vmEvents, vmEvents.dropFirst()).filter { $0.0 != $0.1 }.count > vmEvents.count / 2)
    }

    @Test func lateEventsAreDeliveredOneHourToFourWeeksLateAfterEventsThatHappenedLater() {
        let out = Self.deliveries(late: 0.2)
        #expect(zip(out, out.dropFirst()).allSatisfy { $0.0.at <= $0.1.at }, "output order is delivery order")
        let onTime = out.filter { $0.at == $0.event.time }
        #expect(zip(onTime, onTime.dropFirst()).allSatisfy { $0.0.event.time <= $0.1.event.time })
        var late = 0, overtaken = 0
        var latestBefore = Timestamp(nanoseconds: .min)
        for (e, at) in out {
            let delay = at.nanoseconds - e.time.nanoseconds
            if delay != 0 {
                late += 1
                #expect(delay >= Self.hour && delay <= 28 * 24 * Self.hour, "\(e.id): delivered \(delay / Self.hour) h late")
                if latestBefore > e.time { overtaken += 1 }
            }
            latestBefore = max(latestBefore, e.time)
        }
        #expect(late > 500)
        // Late events come after events that happened after them (nearly all: a quiet
        // hour of a 40-VM fleet may pass with no event).
        #expect(overtaken * 10 > late * 9, "\(overtaken) of \(late) late events come after a later event")
    }

    @Test(arguments: [0.02, 0.2]) func theLateFractionIsAboutTheOneAskedForAndDelaysAreLogUniform(fraction: Double) {
        let out = Self.deliveries(vms: 60, late: fraction)
        let delays = out.map { $0.at.nanoseconds - $0.event.time.nanoseconds }.filter { $0 > 0 }.sorted()
        let measured = Double(delays.count) / Double(out.count)
        #expect(abs(measured - fraction) < fraction * 0.25, "\(delays.count) of \(out.count) late: \(measured)")
        // Log-uniform over [1 h, 672 h]: the median is near sqrt(672) = 26 h, a quarter
        // of the delays are under 5 h and a quarter over 130 h.
        let median = Double(delays[delays.count / 2]) / Double(Self.hour)
        #expect(median > 13 && median < 52, "median delay \(median) h")
        if fraction >= 0.2 {
            let q1 = Double(delays[delays.count / 4]) / Double(Self.hour), q3 = Double(delays[delays.count * 3 / 4]) / Double(Self.hour)
            #expect(q1 > 3 && q1 < 8 && q3 > 90 && q3 < 190, "quartiles \(q1) h, \(q3) h")
        }
        #expect(Self.deliveries(vms: 5, months: 2, late: 0).allSatisfy { $0.at == $0.event.time })
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
