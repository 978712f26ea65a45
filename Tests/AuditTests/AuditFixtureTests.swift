import Audit
import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import Report
import TestSupport
import Testing

/// Each audit rule has a fixture of its own in Fixtures/audit: `NAME.jsonl` (the
/// events, in append order, so sequence numbers are line numbers) and
/// `NAME.expect.jsonl` (a moment, thresholds, and the exact findings: the rule fires
/// on one VM and not on the others, and at earlier moments it is open or absent;
/// optionally `exposures`, the exact windows, as `vm kb category start end closure`
/// with ` reopened` for a window a rollback reopened).
@Suite struct AuditFixtureTests {
    static let directory = TestSupport.fixture("audit")

    static let fixtures: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".expect.jsonl") }
        .map { String($0.dropLast(".jsonl".count)) }
        .sorted()

    /// A log holding the fixture's events.
    static func log(_ name: String) throws -> HotpatchLog {
        let log = HotpatchLog(store: InMemoryLog())
        _ = try Importer(log: log).importFile(directory + "/\(name).jsonl")
        return log
    }

    /// The policy of an expectation line: defaults, with the thresholds it names.
    static func policy(_ q: [String: Any]) throws -> AuditPolicy {
        var p = AuditPolicy()
        let o = q["policy"] as? [String: Any] ?? [:]
        if let v = o["effectiveWithinDays"] as? Int { p.effectiveWithinDays = v }
        if let v = o["rebootPendingDays"] as? Int { p.rebootPendingDays = v }
        if let v = o["rollbackRebootHours"] as? Int { p.rollbackRebootHours = v }
        if let v = o["notAssessedDays"] as? Int { p.notAssessedDays = v }
        if let v = o["offPeak"] as? String { p.offPeak = OffPeakWindow(parsing: v)! }
        if let v = o["scope"] as? String { p.scope = PolicyScope(rawValue: v)! }
        if let list = q["supportedImages"] as? String { p.supportedImages = try SupportedImages(parsing: list, source: "fixture") }
        return p
    }

    @Test func everyRuleHasAFixture() throws {
        #expect(Self.fixtures.count >= 7)
        var covered = Set<String>()
        for name in Self.fixtures {
            let text = try String(contentsOfFile: Self.directory + "/\(name).expect.jsonl", encoding: .utf8)
            for rule in AuditRule.allCases where text.contains("\"\(rule.rawValue)\"") { covered.insert(rule.rawValue) }
        }
        #expect(covered == Set(AuditRule.allCases.map(\.rawValue)))
    }

    @Test(arguments: fixtures)
    func fixtureFindingsAreExactlyTheExpectedOnes(name: String) throws {
        let log = try Self.log(name)
        let expectations = try String(contentsOfFile: Self.directory + "/\(name).expect.jsonl", encoding: .utf8)
        for (n, line) in expectations.split(separator: "\n").enumerated() {
            let q = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let at = try Timestamp(parsing: q["at"] as! String)
            let result = try Audit.run(Replayer(log: log), at: at, policy: Self.policy(q))
            let printed = try JSONSerialization.jsonObject(with: Data(AuditOutput.findingsJSON(result.findings).utf8)) as! [[String: Any]]
            let got = printed.map { f in f.filter { ["vm", "rule", "kb", "start", "end", "evidence"].contains($0.key) } }
            #expect(TestSupport.canonical(got) == TestSupport.canonical(q["findings"]!), "\(name).expect.jsonl line \(n + 1)")
            if let windows = q["exposures"] as? [String] {
                #expect(result.exposures.map(Self.windowLine) == windows, "\(name).expect.jsonl line \(n + 1): exposures")
            }
            // Every printed form copes with the fixture (no span is too long to print).
            for grouping in ExposureSummary.Grouping.allCases {
                let summary = ExposureSummary(result, by: grouping)
                _ = AuditOutput.exposureJSON(summary, at: at, by: grouping) + AuditOutput.exposureRows(summary, by: grouping, csv: false)
            }
            _ = AuditOutput.findingsRows(result.findings, csv: false)
        }
    }

    /// A window as an expectation names it: `vm kb category start end closure [reopened]`.
    static func windowLine(_ w: ExposureWindow) -> String {
        "\(w.vm) \(w.kb) \(w.category.rawValue) \(w.start) \(w.end.map(\.description) ?? "open") \(w.closure.rawValue)" + (w.reopened ? " reopened" : "")
    }

    @Test func aRollbackReopensTheWindowOfWhatItUninstalled() throws {
        let result = try Audit.run(Replayer(log: try Self.log("rollback-exposure")), at: Timestamp(parsing: "2025-05-01"), policy: AuditPolicy())
        let reopened = result.exposures.filter(\.reopened)
        #expect(reopened.map(\.evidence) == [[2, 13, 17], [2, 15, 18]])
        let late = result.findings.filter { $0.rule == .notEffectiveInTime }
        #expect(late.count == 2 && late.allSatisfy { $0.detail.contains("uninstalled by a rollback at 2025-02-20T00:00:00Z") })
        // Five hotpatch windows, two of them reopened: the longest is vm-superseded's 49 days without the hotpatch.
        let hotpatch = ExposureSummary(result, by: .kind).rows.first { $0.category == .hotpatch }!
        #expect(hotpatch.stats.count == 5 && hotpatch.stats.max == 49 * 24 * 3_600_000_000_000)
    }

    @Test func offPeakDetailNamesDaylightSavingAndUTC() throws {
        var policy = AuditPolicy()
        policy.notAssessedDays = 1000
        let result = try Audit.run(Replayer(log: try Self.log("off-peak-dst")), at: Timestamp(parsing: "2025-08-01"), policy: policy)
        let details = Dictionary(result.findings.map { ($0.vm, $0.detail) }, uniquingKeysWith: { a, b in a + " | " + b })
        #expect(details["vm-utc"] == "automatic install at 21:30 UTC (no time zone registered; Azure's default is UTC), outside 22:00-06:00")
        #expect(details["vm-berlin"] == "automatic install at 21:30 local time (W. Europe Standard Time, UTC+01:00), outside 22:00-06:00")
        // In July Sydney keeps standard time; New York's summer install is not a finding.
        #expect(details["vm-sydney"] == "automatic install at 21:30 local time (AUS Eastern Standard Time, UTC+10:00), outside 22:00-06:00")
        let evening = try Audit.run(Replayer(log: try Self.log("off-peak-dst")), at: Timestamp(parsing: "2025-08-01"),
                                    policy: { var p = policy; p.offPeak = OffPeakWindow(parsing: "00:00-12:00")!; return p }())
        let summer = evening.findings.first { $0.vm == "vm-berlin" && $0.start == (try? Timestamp(parsing: "2025-07-10T20:30:00Z")) }
        #expect(summer?.detail == "automatic install at 22:30 local time (W. Europe Standard Time, UTC+02:00 daylight saving time), outside 00:00-12:00")
    }

    @Test func exposureRunsFromPublicationToEffective() throws {
        let log = try Self.log("not-effective-in-time")
        let result = try Audit.run(Replayer(log: log), at: Timestamp(parsing: "2025-03-01"), policy: AuditPolicy())
        let windows = result.exposures.map { "\($0.vm) \($0.kb) \($0.category.rawValue) \($0.start) \($0.end.map(\.description) ?? "open") \($0.closure.rawValue)" }
        #expect(windows == [
            "vm-good KB5001000 baseline 2025-01-14T18:00:00Z 2025-01-20T00:00:00Z effective",
            "vm-late KB5001000 baseline 2025-01-14T18:00:00Z 2025-02-25T00:00:00Z effective",
        ])
        let early = try Audit.run(Replayer(log: log), at: Timestamp(parsing: "2025-02-01"), policy: AuditPolicy())
        #expect(early.exposures.map(\.closure) == [.effective, .open])
        #expect(early.exposures[1].duration(at: early.at) == (17 * 24 + 6) * 3_600_000_000_000)
    }

    @Test func rebootlessInstallsCountHotpatchesOnly() throws {
        let result = try Audit.run(Replayer(log: try Self.log("baseline-mismatch")), at: Timestamp(parsing: "2025-05-01"), policy: AuditPolicy())
        #expect(result.vms.map { "\($0.vm) \($0.rebootlessInstalls)" } == ["vm-right 1", "vm-wrong 1"])
        let summary = ExposureSummary(result, by: .vm)
        #expect(summary.rebootsAvoided == 2 && summary.vmsWithHotpatches == 2)
    }

    @Test func sinceAndUntilKeepTheSpansThatMeetTheRange() throws {
        let result = try Audit.run(Replayer(log: try Self.log("reboots-and-rollbacks")), at: Timestamp(parsing: "2025-03-01"), policy: AuditPolicy())
        let rules = { (since: String?, until: String?) throws -> [String] in
            try result.findings(since: since.map { try Timestamp(parsing: $0) }, until: until.map { try Timestamp(parsing: $0) })
                .filter { $0.vm == "vm-slow" }.map(\.rule.rawValue)
        }
        #expect(try rules("2025-01-25", nil).contains("rollback-without-reboot"))
        #expect(try !rules("2025-01-25", nil).contains("reboot-pending"))
        #expect(try rules(nil, "2025-01-18").contains("reboot-pending"))
        #expect(try !rules(nil, "2025-01-18").contains("rollback-without-reboot"))
    }
}

/// What a VM's timeline in the report is made of.
@Suite struct VMTimelineTests {
    @Test func timelineHasInstallsRebootsRollbacksAndPendingSpans() throws {
        let log = try AuditFixtureTests.log("reboots-and-rollbacks")
        let t = try VMTimeline(Replayer(log: log), vm: "VM-SLOW", at: Timestamp(parsing: "2025-03-01"))
        #expect(t.vm == "vm-slow")
        #expect(t.marks.map { "\($0.kind.rawValue) \($0.time) \($0.sequence)" } == [
            "install 2025-01-10T00:00:00Z 5", "reboot 2025-01-20T00:00:00Z 6", "effective 2025-01-20T00:00:00Z 6",
            "rollback 2025-02-01T00:00:00Z 9", "failed-reboot 2025-02-01T06:00:00Z 10", "reboot 2025-02-03T00:00:00Z 11",
            "effective 2025-02-03T00:00:00Z 11",
        ])
        #expect(t.pendingReboot.map { "\($0.start) \($0.end?.description ?? "open")" } == [
            "2025-01-10T00:00:00Z 2025-01-20T00:00:00Z", "2025-02-01T00:00:00Z 2025-02-03T00:00:00Z",
        ])
        let parked = try VMTimeline(Replayer(log: AuditFixtureTests.log("not-assessed")), vm: "vm-parked", at: Timestamp(parsing: "2025-02-01"))
        #expect(parked.poweredOff.map { "\($0.start) \($0.end?.description ?? "open")" } == ["2025-01-03T00:00:00Z 2025-01-30T00:00:00Z"])
    }
}

/// Which rules apply to a VM: its platform, patch mode and enrolment at that moment
/// (docs/audit.md, "Which rules apply to which VM").
@Suite struct RuleBasisTests {
    @Test func findingsSayWhichRulesAppliedAndWhy() throws {
        let log = try AuditFixtureTests.log("platform-and-patch-mode")
        var policy = AuditPolicy()
        policy.notAssessedDays = 1000
        policy.scope = .allVMs
        let result = try Audit.run(Replayer(log: log), at: Timestamp(parsing: "2025-03-01"), policy: policy)
        let late = Dictionary(result.findings.filter { $0.rule == .notEffectiveInTime }.map { ($0.vm, $0.basis?.description ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(late["vm-azure"] == "Azure's automatic VM guest patching (Azure, AutomaticByPlatform, hotpatch on)")
        #expect(late["vm-hci"] == "--policy all-vms (AzureStackHCI, Manual, hotpatch on)")
        #expect(late["vm-byos"] == "--policy all-vms (Azure, AutomaticByOS, hotpatch off)")
        let mode = result.findings.first { $0.vm == "vm-manual" && $0.rule == .hotpatchPatchMode }
        #expect(mode?.detail == "hotpatch enabled on an Azure VM with patch mode Manual, not AutomaticByPlatform (Azure-orchestrated patching)")
        #expect(mode?.basis?.description == "Hotpatch enrolment (Azure, Manual, hotpatch on)")
        // The printed forms carry it.
        let json = try JSONSerialization.jsonObject(with: Data(AuditOutput.findingsJSON(result.findings).utf8)) as! [[String: Any]]
        let basis = json.first { $0["vm"] as? String == "vm-hci" }?["basis"] as? [String: Any]
        #expect(basis?["reason"] as? String == "all-vms" && basis?["platform"] as? String == "AzureStackHCI" && basis?["patchMode"] as? String == "Manual")
        #expect(AuditOutput.findingsRows(result.findings, csv: true).hasPrefix("vm,rule,kb,start,end,evidence,detail,basis\r\n"))
    }
}

/// Leaving Hotpatch, hotpatches on VMs not enrolled, and enrolling again
/// (docs/audit.md, Fixtures/audit/enrolment-changes).
@Suite struct EnrolmentChangeTests {
    @Test func theCumulativeUpdateTakenAfterLeavingSupersedesTheHotpatch() throws {
        let result = try Audit.run(Replayer(log: try AuditFixtureTests.log("enrolment-changes")), at: Timestamp(parsing: "2025-04-15"),
                                   policy: { var p = AuditPolicy(); p.notAssessedDays = 1000; return p }())
        let left = result.exposures.filter { $0.vm == "vm-left" }.map(AuditFixtureTests.windowLine)
        #expect(left.contains("vm-left KB5001100 hotpatch 2025-02-11T18:00:00Z 2025-02-25T01:00:00Z superseded"))
        #expect(result.exposures.first { $0.vm == "vm-left" && $0.kb == KB("KB5001100")! }?.evidence == [2, 5, 8, 9])
        // The one that never took it stays exposed.
        #expect(result.exposures.filter { $0.vm == "vm-kept" && $0.kb == KB("KB5001100")! }.map(\.closure) == [.open])
        // A hotpatch on a VM not enrolled is no reboot avoided.
        #expect(result.vms.map(\.rebootlessInstalls).reduce(0, +) == 0)
        let back = result.findings.first { $0.rule == .reEnrolledBeforeBaseline }
        #expect(back?.detail == "enrolled in Hotpatch again at 2025-03-01T00:00:00Z after leaving it at 2025-02-01T00:00:00Z; the next baseline, KB5002000, was released 2025-04-08T18:00:00Z")
    }
}

/// Evidence the events carry: failed installs, what the platform installed, what a
/// request excluded, the provider's registration (Fixtures/audit/install-evidence).
@Suite struct InstallEvidenceTests {
    @Test func findingsNameWhatTheInstallSays() throws {
        let result = try Audit.run(Replayer(log: try AuditFixtureTests.log("install-evidence")), at: Timestamp(parsing: "2025-02-01"),
                                   policy: { var p = AuditPolicy(); p.notAssessedDays = 1000; return p }())
        let details = Dictionary(result.findings.map { ($0.rule.rawValue, $0.detail) }, uniquingKeysWith: { a, _ in a })
        #expect(details["install-failed"] == "install Failed, maintenance window exceeded; not installed: KB5001000 Failed")
        #expect(details["automatic-install-not-critical-or-security"] == "automatic (Platform) install of KB2267602, classified neither Critical nor Security; automatic VM guest patching installs only those")
        #expect(details["excluded-kb-installed"] == "KB5001000 installed by a OnDemand install whose request excluded it")
        #expect(details["provider-not-registered"] == "hotpatch enrolled in subscription sub-p, whose Microsoft.Compute provider was not registered again after its preview features (last changed 2025-01-01T00:12:00Z)")
    }
}

/// The release catalog against the documents' calendar (Fixtures/audit/release-calendar).
@Suite struct CatalogCheckTests {
    @Test func catalogFindingsNameTheReleasesAndNoVM() throws {
        let result = try Audit.run(Replayer(log: try AuditFixtureTests.log("release-calendar")), at: Timestamp(parsing: "2025-07-01"), policy: AuditPolicy())
        #expect(result.findings.map(\.detail) == [
            "hotpatch KB5001200 published 2025-03-11T18:00:00Z is built on KB4999000, but the latest baseline then was KB5001000 (published 2025-01-14T18:00:00Z)",
            "hotpatch KB5002100 published 2025-05-13T17:00:00Z in 2025-05, the month of unplanned baseline KB5002500 (published 2025-05-13T18:00:00Z), which replaces that month's hotpatch",
        ])
        #expect(result.findings.allSatisfy { $0.vm == Finding.catalogVM && $0.basis == nil })
        #expect(AuditOutput.findingsRows(result.findings, csv: true).contains("the release catalog"))
    }
}
