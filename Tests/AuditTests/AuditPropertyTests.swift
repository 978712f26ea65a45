import Audit
import EventLog
import Events
import Foundation
import LogStore
import Replay
import Simulator
import Testing

/// The audit of a simulated fleet does not depend on the order events were appended
/// in, and the answer for a past moment is the answer of a log that stopped there.
@Suite struct AuditPropertyTests {
    /// Findings and windows without sequence numbers (which depend on append order).
    static func shape(_ r: AuditResult) -> [String] {
        r.findings.map { "\($0.vm) \($0.rule.rawValue) \($0.kb?.description ?? "-") \($0.start) \($0.end?.description ?? "open")" }
            + r.exposures.map { "\($0.vm) \($0.kb) \($0.category.rawValue) \($0.start) \($0.end?.description ?? "open") \($0.closure.rawValue)" }
    }

    static func log(_ events: [Event]) throws -> HotpatchLog {
        let log = HotpatchLog(store: InMemoryLog())
        _ = try log.append(events)
        return log
    }

    static func events(late: Double) throws -> [Event] {
        var out: [Event] = []
        FleetSimulator(SimulationConfig(vms: 40, months: 6, seed: 7, late: late)).run { out.append($0) }
        return out
    }

    @Test func lateAppendsGiveTheSameAudit() throws {
        let at = try Timestamp(parsing: "2025-06-20")
        let inOrder = try Audit.run(Replayer(log: Self.log(Self.events(late: 0))), at: at, policy: AuditPolicy())
        let shuffled = try Audit.run(Replayer(log: Self.log(Self.events(late: 0.2))), at: at, policy: AuditPolicy())
        #expect(!inOrder.exposures.isEmpty)
        #expect(Self.shape(inOrder) == Self.shape(shuffled))
        #expect(inOrder.vms == shuffled.vms)
    }

    @Test func aPastMomentIsAnsweredAsALogThatStoppedThere() throws {
        let all = try Self.events(late: 0)
        let at = try Timestamp(parsing: "2025-04-01")
        let full = try Audit.run(Replayer(log: Self.log(all)), at: at, policy: AuditPolicy())
        let prefix = try Audit.run(Replayer(log: Self.log(all.filter { $0.time <= at })), at: at, policy: AuditPolicy())
        #expect(Self.shape(full) == Self.shape(prefix))
        #expect(full.findings.contains { $0.end == nil } || full.exposures.contains { $0.closure == .open })
    }

    /// The audit of one VM (what `report --vm` draws) reads only its stream; it must
    /// be the fleet's audit restricted to that VM, finding for finding and window for
    /// window, with late appends, at past moments, as recorded earlier, under both
    /// policies.
    @Test(arguments: [0.0, 0.2])
    func oneVMsAuditIsTheFleetsAuditOfThatVM(late: Double) throws {
        let events = try Self.events(late: late)
        let log = try Self.log(events)
        let replayer = Replayer(log: log)
        var compared = 0
        for at in ["2025-03-01", "2025-06-20", "2026-01-01"] {
            let moment = try Timestamp(parsing: at)
            for asRecorded in [UInt64.max, UInt64(events.count / 2)] {
                for scope in [PolicyScope.documents, .allVMs] {
                    var policy = AuditPolicy()
                    policy.scope = scope
                    let fleet = try Audit.run(replayer, at: moment, asRecorded: asRecorded, policy: policy)
                    for vm in log.vms {
                        let whole = fleet.only(vm: vm)
                        let one = try Audit.run(replayer, vm: vm.uppercased(), at: moment, asRecorded: asRecorded, policy: policy)
                        #expect(one.findings == whole.findings, "\(vm) at \(at) as recorded at \(asRecorded)")
                        #expect(one.exposures == whole.exposures, "\(vm) at \(at)")
                        #expect(one.vms == whole.vms, "\(vm) at \(at)")
                        compared += whole.findings.count + whole.exposures.count
                    }
                }
            }
        }
        #expect(compared > 500)
    }

    @Test func percentilesAreNearestRank() {
        let p = Percentiles((1...10).map { Int64($0) }.reversed())
        #expect(p.count == 10 && p.p50 == 5 && p.p90 == 9 && p.max == 10)
        #expect(Percentiles([7]).p50 == 7 && Percentiles([7]).p90 == 7)
        let none = Percentiles([])
        #expect(none.count == 0 && none.p50 == 0 && none.p90 == 0 && none.max == 0)
        #expect(Percentiles([3, 1, 2]) == Percentiles([2, 3, 1]) && Percentiles([1, 2]) != Percentiles([1, 3]))
    }

    @Test func offPeakWindowsSpanMidnightOrNot() {
        let night = OffPeakWindow.default
        #expect(night.contains(minuteOfDay: 23 * 60) && night.contains(minuteOfDay: 0) && !night.contains(minuteOfDay: 6 * 60) && !night.contains(minuteOfDay: 12 * 60))
        let day = OffPeakWindow(parsing: "09:30-17")!
        #expect(day.contains(minuteOfDay: 9 * 60 + 30) && !day.contains(minuteOfDay: 17 * 60) && day.description == "09:30-17:00")
        #expect(OffPeakWindow(parsing: "25:00-06:00") == nil && OffPeakWindow(parsing: "22:00") == nil && OffPeakWindow(parsing: "06-06") == nil)
        #expect(TimeZones.offsetMinutes("tokyo standard time") == 540 && TimeZones.offsetMinutes("Mars/Olympus") == nil)
        #expect(TimeZones.label(offsetMinutes: 330) == "UTC+05:30" && TimeZones.label(offsetMinutes: -300) == "UTC-05:00")
    }
}
