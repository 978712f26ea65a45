import Foundation
import Testing

/// `patchlog findings`, `exposure` and `report` run as a user would run them.
@Suite struct AuditCLITests {
    static func logWith(_ fixture: String, in dir: String) throws -> String {
        let log = dir + "/log"
        #expect(try CLITests.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLITests.patchlog(["import", "--log", log, CLITests.fixtures + "/audit/\(fixture).jsonl"]).status == 0)
        return log
    }

    @Test func findingsPrintEveryFormatAndTakeThresholds() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try Self.logWith("reboots-and-rollbacks", in: dir)
        let table = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000"])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("as of 2025-03-01T00:00:00Z: 2 findings: reboot-pending 1, rollback-without-reboot 1"))
        let json = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(rows.map { $0["rule"] as! String } == ["reboot-pending", "rollback-without-reboot"])
        #expect(rows.map { $0["evidence"] as! [Int] } == [[5, 6], [9, 11]])
        let lenient = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000",
                                             "--reboot-pending-days", "14", "--rollback-reboot-hours", "72", "--format", "csv"])
        #expect(lenient.stdout == "vm,rule,kb,start,end,evidence,detail,basis\r\n")
        let until = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000", "--until", "2025-01-18", "--format", "csv"])
        #expect(until.stdout.contains("reboot-pending") && !until.stdout.contains("rollback-without-reboot"))
        // What the log knew before the completed reboot was appended: the rollback's
        // finding is open, and so is the reboot it left pending (past 7 days by then).
        let known = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000", "--as-recorded", "10", "--format", "json"])
        let knownRows = try JSONSerialization.jsonObject(with: Data(known.stdout.utf8)) as! [[String: Any]]
        // Nor did it know the release of the baseline the rollbacks restored (appended
        // last): as far as it knew, the VMs never had it.
        let rollbackRows = knownRows.filter { $0["rule"] as? String != "rollback-restores-unknown-baseline" }
        #expect(knownRows.count == rollbackRows.count + 2)
        #expect(rollbackRows.map { $0["rule"] as! String } == ["reboot-pending", "rollback-without-reboot", "reboot-pending"])
        #expect(rollbackRows[1]["open"] as? Bool == true && rollbackRows[1]["evidence"] as? [Int] == [9])
        #expect(rollbackRows[2]["start"] as? String == "2025-02-08T00:00:00Z" && rollbackRows[2]["open"] as? Bool == true)
        let bad = try CLITests.patchlog(["findings", "--log", log, "--off-peak", "25:00-06:00"])
        #expect(bad.status == 64 && bad.stderr.contains("22:00-06:00"))
    }

    @Test func policyAllVMsHoldsEveryVMToTheThirtyDayStandard() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try Self.logWith("platform-and-patch-mode", in: dir)
        let late = { (extra: [String]) throws -> [String] in
            let out = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000", "--format", "json"] + extra)
            let rows = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as! [[String: Any]]
            return rows.filter { $0["rule"] as? String == "not-effective-in-time" }.map { $0["vm"] as! String }
        }
        #expect(try late([]) == ["vm-azure"])
        #expect(try late(["--policy", "documents"]) == ["vm-azure"])
        #expect(try late(["--policy", "all-vms"]) == ["vm-azure", "vm-byos", "vm-hci", "vm-manual"])
        let exposure = try CLITests.patchlog(["exposure", "--log", log, "--at", "2025-03-01", "--policy", "all-vms"])
        #expect(exposure.status == 0)
        let bad = try CLITests.patchlog(["findings", "--log", log, "--policy", "some-vms"])
        #expect(bad.status == 64 && bad.stderr.contains("all-vms"))
    }

    @Test func thresholdsAreBoundedAndOldEventsDoNotTrap() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try Self.logWith("old-pending-reboot", in: dir)
        // 1,000,000 days in nanoseconds overflows Int64: refused as a usage error, naming the option.
        for (option, value) in [("--reboot-pending-days", "1000000"), ("--effective-within-days", "36501"),
                                ("--not-assessed-days", "200000"), ("--rollback-reboot-hours", "876001")] {
            let r = try CLITests.patchlog(["findings", "--log", log, option, value])
            #expect(r.status == 64 && r.stderr.contains(option) && r.stderr.contains("100 years"), "\(option): \(r.stderr)")
        }
        #expect(try CLITests.patchlog(["findings", "--log", log, "--at", "2026-06-01", "--not-assessed-days", "36500", "--format", "csv"]).status == 0)
        // A reboot pending since 1986: 40 years, printed in every form.
        let table = try CLITests.patchlog(["findings", "--log", log, "--at", "2026-06-01", "--not-assessed-days", "36500"])
        #expect(table.status == 0 && table.stdout.contains("reboot pending from 1986-01-01T00:00:00Z to 2026-01-01T00:00:00Z (14610.0 d)"))
        for format in ["json", "csv", "table"] {
            let r = try CLITests.patchlog(["exposure", "--log", log, "--at", "2026-06-01", "--by", "vm", "--format", format])
            #expect(r.status == 0, "exposure --format \(format): \(r.stderr)")
        }
        let report = try CLITests.patchlog(["report", "--log", log, "--at", "2026-06-01", "--out", dir + "/old.html"])
        #expect(report.status == 0, "\(report.stderr)")
    }

    @Test func exposureGroupsAndCountsRebootsAvoided() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try Self.logWith("baseline-mismatch", in: dir)
        let json = try CLITests.patchlog(["exposure", "--log", log, "--at", "2025-05-01", "--format", "json", "--by", "vm"])
        #expect(json.status == 0)
        let o = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(o["rebootsAvoided"] as? Int == 2 && o["by"] as? String == "vm")
        let rows = o["rows"] as! [[String: Any]]
        #expect(Set(rows.map { $0["group"] as! String }) == ["vm-right", "vm-wrong"])
        let table = try CLITests.patchlog(["exposure", "--log", log, "--at", "2025-05-01", "--by", "month"])
        #expect(table.stdout.contains("2025-01") && table.stdout.contains("reboots avoided by hotpatch: 2 reboot-less installs on 2 VMs"))
    }

    @Test func reportWritesOneSelfContainedFile() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try Self.logWith("not-effective-in-time", in: dir)
        let r = try CLITests.patchlog(["report", "--log", log, "--at", "2025-03-01", "--not-assessed-days", "1000", "--out", dir + "/r.html"])
        #expect(r.status == 0 && r.stderr.contains("1 findings, 2 timelines"))
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.contains("<svg ") && html.contains("vm-late") && !html.contains("<script"))
        let one = try CLITests.patchlog(["report", "--log", log, "--at", "2025-03-01", "--vm", "VM-GOOD", "--not-assessed-days", "1000", "--out", dir + "/one.html"])
        #expect(one.status == 0 && one.stderr.contains("0 findings, 1 timelines"))
        #expect(try CLITests.patchlog(["report", "--log", log, "--vm", "nope", "--out", dir + "/x.html"]).status == 1)
        #expect(try CLITests.patchlog(["report", "--log", log, "--vm", "vm-good", "--fleet", "--out", dir + "/x.html"]).status == 64)
    }
}
