import Foundation
import SystemIO
import Testing
import TestSupport

/// What people at a terminal see (issue 16, item 6): VMs by name in tables, `--vm`
/// by name, the report's default moment, and the tools' shell scripts.
@Suite struct TerminalCLITests {
    static let rgA = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/"
    static let rgB = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-b/providers/Microsoft.Compute/virtualMachines/"

    /// A log of `Fixtures/import/same-names.jsonl`: app-01 in two resource groups, db-01 in one.
    static func log() throws -> String {
        let log = CLITests.temporaryDirectory() + "/log"
        #expect(try CLITests.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLITests.patchlog(["import", "--log", log, TestSupport.fixture("import/same-names.jsonl")]).status == 0)
        return log
    }

    @Test func tablesShowVMsByNameAndResourceGroupWhereNamesRepeat() throws {
        let log = try Self.log()
        let table = try CLITests.patchlog(["fleet", "--log", log, "--at", "2025-02-01"]).stdout
        #expect(table.contains("rg-a/app-01 ") && table.contains("rg-b/app-01 ") && table.contains("\ndb-01 "))
        #expect(!table.contains("/subscriptions/"))
        let wide = try CLITests.patchlog(["fleet", "--log", log, "--at", "2025-02-01", "--wide"]).stdout
        #expect(wide.contains(Self.rgA + "app-01 ") && wide.contains(Self.rgB + "app-01 ") && wide.contains(Self.rgA + "db-01 "))
        let csv = try CLITests.patchlog(["fleet", "--log", log, "--at", "2025-02-01", "--format", "csv"]).stdout
        #expect(csv.contains("\n" + Self.rgA + "db-01,"))
        let json = try CLITests.patchlog(["when", "--log", log, "--kb", "KB5001000", "--format", "json"]).stdout
        #expect(json.contains("\"vm\":\"" + Self.rgA + "app-01\""))
        let when = try CLITests.patchlog(["when", "--log", log, "--kb", "KB5001000"]).stdout
        #expect(when.contains("rg-a/app-01 ") && when.contains("db-01 ") && !when.contains("/subscriptions/"))
    }

    @Test func auditTablesShowVMsByNameAndTheirJSONAndCSVByWholeId() throws {
        let log = try Self.log()
        // db-01's reboot is still pending on 2025-03-01: a finding, and a baseline window by VM.
        for args in [["findings"], ["exposure", "--by", "vm"]] {
            let base = args + ["--log", log, "--at", "2025-03-01"]
            let table = try CLITests.patchlog(base).stdout
            #expect(table.contains("\ndb-01 ") && !table.contains("/subscriptions/"), "\(args): \(table)")
            let wide = try CLITests.patchlog(base + ["--wide"]).stdout
            #expect(wide.contains("\n" + Self.rgA + "db-01 "), "\(args) --wide: \(wide)")
            let csv = try CLITests.patchlog(base + ["--format", "csv"]).stdout
            #expect(csv.contains("\n" + Self.rgA + "db-01,"), "\(args) csv: \(csv)")
            let json = try CLITests.patchlog(base + ["--format", "json"]).stdout
            #expect(json.contains(":\"" + Self.rgA + "db-01\""), "\(args) json: \(json)")
        }
    }

    @Test func vmTakesAUniqueNameAndListsTheVMsOfAnAmbiguousOne() throws {
        let log = try Self.log()
        let db = try CLITests.patchlog(["state", "--log", log, "--vm", "DB-01", "--at", "2025-02-01", "--format", "json"])
        #expect(db.status == 0 && db.stdout.contains("\"vm\":\"" + Self.rgA + "db-01\"") && db.stdout.contains("\"pendingReboot\":true"))
        let app = try CLITests.patchlog(["state", "--log", log, "--vm", "app-01", "--at", "2025-02-01"])
        #expect(app.status == 1)
        #expect(app.stderr.contains("--vm app-01 is the name of 2 VMs in the log; give one's whole resource id:\n  " + Self.rgA + "app-01\n  " + Self.rgB + "app-01"))
        let whole = try CLITests.patchlog(["history", "--log", log, "--vm", (Self.rgB + "app-01").uppercased()])
        #expect(whole.status == 0 && whole.stdout.hasPrefix("history of rg-b/app-01\n"))
        let export = try CLITests.patchlog(["export", "--log", log, "--vm", "db-01"])
        #expect(export.status == 0 && export.stdout.split(separator: "\n").count == 2)
    }

    @Test func theReportAuditsTheLogsLastEventByDefault() throws {
        let log = try Self.log()
        let out = CLITests.temporaryDirectory() + "/r.html"
        let report = try CLITests.patchlog(["report", "--log", log, "--out", out])
        #expect(report.status == 0)
        // db-01's reboot has been pending since 2025-01-21T23:00Z: not yet 7 days at
        // the last event, so no finding then; today it would be one.
        let atLast = try CLITests.patchlog(["findings", "--log", log, "--at", "2025-01-21T23:00:00Z", "--format", "json"]).stdout
        let today = try CLITests.patchlog(["findings", "--log", log, "--format", "json"]).stdout
        let count = { (json: String) in json.components(separatedBy: "\"rule\"").count - 1 }
        #expect(count(today) > count(atLast))
        #expect(report.stderr.contains("wrote \(out): \(count(atLast)) findings"))
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("2025-01-21T23:00:00Z"))
    }

    /// The repository's `tools` directory.
    static let tools = URL(fileURLWithPath: TestSupport.fixtures).deletingLastPathComponent().appendingPathComponent("tools").path

    @Test func ensureDepsKeepsTheNoninteractiveFrontendThroughSudo() throws {
        // Stubs: not root, liblz4 missing, sudo that clears the environment as sudo
        // does, apt-get that records the frontend it was given.
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stubs: [String: String] = [
            "id": "echo 1000",
            "pkg-config": "exit 1",
            "dpkg": "exit 1",
            "sudo": "exec /usr/bin/env -i PATH=\"$PATH\" \"$@\"",
            "apt-get": "echo \"$1 DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset}\" >> \"\(dir)/apt.log\"",
        ]
        for (name, body) in stubs {
            try ("#!/bin/sh\n" + body + "\n").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/" + name)
        }
        let p = try ChildProcess.start("/bin/bash", [Self.tools + "/ensure-deps"], environment: ["PATH": dir + ":/usr/bin:/bin"], stdout: .pipe, stderr: .discard).finish()
        #expect(p.status == 0)
        let log = try String(contentsOfFile: dir + "/apt.log", encoding: .utf8)
        #expect(log == "update DEBIAN_FRONTEND=noninteractive\ninstall DEBIAN_FRONTEND=noninteractive\n")
    }

    @Test func theDemoRefusesToRemoveADirectoryItDidNotMake() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "keep me\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let p = try ProcessRun.run("/bin/bash", [Self.tools + "/demo", dir])
        let message = p.stderr
        #expect(p.status == 1)
        #expect(message.contains("\(dir) was not made by tools/demo"))
        #expect(FileManager.default.fileExists(atPath: dir + "/notes.txt"))
    }
}
