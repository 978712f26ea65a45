import Foundation
import Testing

/// `history --format json` and `diff --format json`: the shapes docs/events.md gives
/// (what `GET /v1/history` and `GET /v1/diff` answer, byte for byte).
@Suite struct HistoryDiffJSONCLITests {
    @Test func historyAsJSONListsTheTimelineWithLateEventsMarked() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try CLITests.patchlog(["init", "--log", log])
        try CLITests.patchlog(["import", "--log", log, CLITests.fixtures + "/replay/late-events-count.jsonl"])
        let r = try CLITests.patchlog(["history", "--log", log, "--vm", "VM-A", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("}\n"))
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(o["vm"] as? String == "vm-a", "the id as first written")
        #expect(o["since"] is NSNull && o["until"] is NSNull)
        let events = o["events"] as! [[String: Any]]
        #expect(events.map { $0["time"] as! String } == ["2025-01-01T00:00:00Z", "2025-01-20T10:00:00Z", "2025-01-21T00:00:00.250Z", "2025-01-25T00:00:00Z"])
        #expect(events.map { $0["sequence"] as! Int } == [2, 3, 5, 4])
        #expect(events.map { $0["late"] as! Bool } == [false, false, true, false])
        #expect(events[2]["sequence"] as? Int == 5 && events[2]["type"] as? String == "reboot")
        #expect((events[2]["summary"] as! String).contains("reboot (Baseline) Completed"))

        let since = try CLITests.patchlog(["history", "--log", log, "--vm", "VM-A", "--since", "2025-01-20", "--until", "2025-01-22", "--format", "json"])
        let o2 = try JSONSerialization.jsonObject(with: Data(since.stdout.utf8)) as! [String: Any]
        #expect(o2["since"] as? String == "2025-01-20T00:00:00Z" && o2["until"] as? String == "2025-01-22T00:00:00Z")
        #expect((o2["events"] as! [Any]).count == 2)
        let csv = try CLITests.patchlog(["history", "--log", log, "--vm", "VM-A", "--format", "csv"])
        #expect(csv.status == 64 && csv.stderr.contains("table or json"))
    }

    @Test func diffAsJSONGivesEveryChangeAndNullForWhatDidNotChange() throws {
        let (dir, log) = try EventCommandTests.logWithSample()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let vm = EventCommandTests.vm
        let r = try CLITests.patchlog(["diff", "--log", log, "--vm", "web-02", "--from", "2025-03-15", "--to", "2025-03-21", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(o["vm"] as? String == vm)
        #expect(o["from"] as? String == "2025-03-15T00:00:00Z" && o["to"] as? String == "2025-03-21T00:00:00Z")
        let uninstalled = o["uninstalled"] as! [[String: Any]]
        #expect(uninstalled.map { $0["kb"] as! String } == ["KB5050003"])
        #expect(uninstalled[0]["uninstalledAt"] as? String == "2025-03-20T08:00:00Z")
        #expect(uninstalled[0]["kind"] is String && uninstalled[0]["installedAt"] is String)
        #expect(o["installed"] is [Any] && o["becameEffective"] is [Any])
        #expect(o["hotpatchEnabled"] is NSNull)
        #expect(o["asRecorded"] == nil)
        // The text form says the same.
        let text = try CLITests.patchlog(["diff", "--log", log, "--vm", vm, "--from", "2025-03-15", "--to", "2025-03-21"])
        #expect(text.stdout.contains("uninstalled       KB5050003 at 2025-03-20T08:00:00Z"))
        let nothing = try CLITests.patchlog(["diff", "--log", log, "--vm", vm, "--from", "2025-03-22", "--to", "2025-03-23", "--format", "json", "--as-recorded", "10"])
        let n = try JSONSerialization.jsonObject(with: Data(nothing.stdout.utf8)) as! [String: Any]
        #expect((n["installed"] as! [Any]).isEmpty && (n["uninstalled"] as! [Any]).isEmpty && n["baseline"] is NSNull && n["pendingReboot"] is NSNull)
        #expect(n["asRecorded"] as? Int == 10)
    }
}
