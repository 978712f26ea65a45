import Foundation
import LogStore
import Testing
import TestSupport

/// Runs the built `patchlog` binary as a user would and checks its output and exit
/// codes.
@Suite struct CLITests {
    static let fixtures = TestSupport.fixtures

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("patchlog").path
    }

    @discardableResult
    static func patchlog(_ args: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> Run {
        let r = try ProcessRun.run(binary, args, environment: environment, cwd: cwd)
        return Run(status: r.status, stdout: r.text, stderr: r.stderr)
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "patchlog-cli-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func helpListsEveryCommand() throws {
        let r = try Self.patchlog(["--help"])
        #expect(r.status == 0)
        // Every subcommand, each on a line of its own in the SUBCOMMANDS list (written
        // out here, not read from the command's configuration, so that a command
        // dropped from the list fails this test).
        let commands = ["init", "import", "sync", "export", "state", "when", "history", "diff", "fleet", "simulate", "findings", "exposure",
                        "report", "images", "follow", "serve", "info", "verify", "keygen", "checkpoint", "prove", "verify-proof", "show", "salvage", "raw"]
        let listed = r.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return line.hasPrefix("  ") && !words.isEmpty ? String(words[0]) : nil
        }
        for command in commands { #expect(listed.contains(command), "\(command) is not in --help") }
        #expect(commands.count == 25)
        #expect(r.stdout.contains("PATCHLOG_DIR"))
    }

    @Test func appendedRecordsReadBackAndReappendingAddsNothing() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        let sample = Self.fixtures + "/demo/sample-history.tsv"
        #expect(try Self.patchlog(["init", "--log", log]).status == 0)
        let first = try Self.patchlog(["raw", "append", "--log", log, sample])
        #expect(first.status == 0 && first.stdout.contains("appended 29 records, 0 already in the log"))
        let again = try Self.patchlog(["raw", "append", "--log", log, sample])
        #expect(again.stdout.contains("appended 0 records, 29 already in the log; last sequence 29"))
        let read = try Self.patchlog(["raw", "read", "--log", log])
        let lines = read.stdout.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1)[1] }
        let input = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n")
        #expect(lines == input.map { $0[...] })
        let info = try Self.patchlog(["info", "--log", log])
        #expect(info.stdout.contains("records      29 in 4 streams"))
        #expect(try Self.patchlog(["verify", "--log", log]).stdout.hasPrefix("ok: 29 records"))
    }

    @Test func logDirectoryDefaultsToTheEnvironmentThenTheWorkingDirectory() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.patchlog(["init"], environment: ["PATCHLOG_DIR": dir + "/env-log"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/env-log/LOG"))
        #expect(try Self.patchlog(["init"], cwd: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/patchlog.log/LOG"))
    }

    @Test func aBadLineNamesFileAndLineAndAppendsNothing() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try Self.patchlog(["init", "--log", log])
        let missing = Self.fixtures + "/raw/missing-field.tsv"
        let r = try Self.patchlog(["raw", "append", "--log", log, missing])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(missing):2: expected 4 tab-separated fields (time, stream, id, payload), found 2"))
        let bad = Self.fixtures + "/raw/impossible-date.tsv"
        let t = try Self.patchlog(["raw", "append", "--log", log, bad])
        #expect(t.status == 1)
        #expect(t.stderr.contains("\(bad):2: field time: \"2025-02-30T00:00:00Z\" is not an RFC 3339 time (day 30)"))
        #expect(try Self.patchlog(["raw", "read", "--log", log]).stdout.isEmpty)
    }

    @Test func verifyExitsThreeNamingTheFirstDamagedRecord() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try Self.patchlog(["init", "--log", log])
        try Self.patchlog(["raw", "append", "--log", log, Self.fixtures + "/demo/sample-history.tsv"])
        let segment = log + "/00000000000000000001.seg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[200] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: segment))
        let r = try Self.patchlog(["verify", "--log", log])
        #expect(r.status == 3)
        #expect(r.stdout.contains("DAMAGED: 00000000000000000001.seg at offset"))
        #expect(r.stdout.contains("records from sequence 1 on"))
        let s = try Self.patchlog(["salvage", "--log", log])
        #expect(s.status == 0 && s.stdout.contains("skipped: 00000000000000000001.seg"))
    }

    @Test func salvageCopiesEveryIntactRecordIntoANewLog() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try Self.patchlog(["init", "--log", log])
        // Three appends: three blocks; the middle one gets damaged.
        let lines = try String(contentsOfFile: Self.fixtures + "/demo/sample-history.tsv", encoding: .utf8).split(separator: "\n")
        for (n, part) in [lines[0..<10], lines[10..<20], lines[20...]].enumerated() {
            let path = dir + "/part\(n).tsv"
            try (part.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try Self.patchlog(["raw", "append", "--log", log, path]).status == 0)
        }
        #expect(try FileLog.verify(directory: log).isIntact)
        let segment = log + "/00000000000000000001.seg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        let before = try FileLog.salvage(directory: log) { _ in }
        #expect(before.skipped.isEmpty && before.recovered == 29)
        // Damage a byte in the middle of the file: inside the second block, for this
        // fixture (the layout is deterministic).
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: segment))
        let rescued = dir + "/rescued"
        let r = try Self.patchlog(["salvage", "--log", log, "--into", rescued])
        #expect(r.status == 0)
        #expect(r.stdout.contains("recovered 19 records; skipped 1 damaged stretch(es); written to \(rescued)"))
        let copy = try Self.patchlog(["raw", "read", "--log", rescued])
        #expect(copy.stdout.split(separator: "\n").count == 19)
        #expect(try Self.patchlog(["verify", "--log", rescued]).status == 0)
    }

    @Test func aSecondWriterIsToldWhoHoldsTheLock() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try FileLog.create(at: dir + "/log")
        let r = try Self.patchlog(["raw", "append", "--log", dir + "/log", Self.fixtures + "/demo/sample-history.tsv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("log \(dir)/log is locked by another writer (process \(getpid()))"))
        writer.close()
    }

    @Test func notALogAndContradictoryOptionsAreClearErrors() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.patchlog(["info", "--log", dir])
        #expect(r.status == 1 && r.stderr.contains("\(dir) is not a patchlog log: it has no LOG file"))
        let v = try Self.patchlog(["raw", "read", "--log", dir, "--from", "5", "--to", "2"])
        #expect(v.status == 64 && v.stderr.contains("--to 2 is before --from 5"))
    }
}

/// The Hotpatch commands, run as a user would.
@Suite struct EventCommandTests {
    static let sample = CLITests.fixtures + "/demo/sample-history.jsonl"
    static let vm = "/subscriptions/6a2f1c1e-8a4d-4f0e-9c7b-2d1e0f3a4b5c/resourceGroups/rg-hotpatch-prod/providers/Microsoft.Compute/virtualMachines/web-02"

    static func logWithSample() throws -> (String, String) {
        let dir = CLITests.temporaryDirectory()
        let log = dir + "/log"
        try CLITests.patchlog(["init", "--log", log])
        let r = try CLITests.patchlog(["import", "--log", log, sample])
        #expect(r.status == 0 && r.stdout.contains("29 events appended, 0 already in the log"))
        return (dir, log)
    }

    @Test func importTwiceStateWhenFleetHistoryDiffAndExportWork() throws {
        let (dir, log) = try Self.logWithSample()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLITests.patchlog(["import", "--log", log, Self.sample]).stdout.contains("0 events appended, 29 already in the log"))

        let state = try CLITests.patchlog(["state", "--log", log, "--vm", Self.vm.uppercased(), "--at", "2025-03-20T08:10:00+00:00", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as! [String: Any]
        #expect(json["vm"] as? String == Self.vm)
        #expect(json["baseline"] as? String == "KB5050001")
        #expect(json["pendingReboot"] as? Bool == true)
        #expect((json["installed"] as! [[String: Any]]).map { $0["kb"] as! String } == ["KB5050001", "KB5050002"])

        let table = try CLITests.patchlog(["state", "--log", log, "--vm", Self.vm, "--at", "2025-03-20T08:10:00Z"])
        #expect(table.stdout.contains("reboot        PENDING"))

        let when = try CLITests.patchlog(["when", "--log", log, "--kb", "5050003", "--format", "csv"])
        #expect(when.stdout.hasPrefix("vm,installedAt,effectiveAt,uninstalledAt\r\n"))
        #expect(when.stdout.contains("web-02,2025-03-13T17:02:00Z,2025-03-13T17:02:00Z,2025-03-20T08:00:00Z\r\n"))

        let fleet = try CLITests.patchlog(["fleet", "--log", log, "--at", "2025-03-21", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(fleet.stdout.utf8)) as! [Any]).count == 3)

        let history = try CLITests.patchlog(["history", "--log", log, "--vm", Self.vm, "--since", "2025-03-01"])
        #expect(history.stdout.contains("rollback: uninstalled KB5050003; restored KB5050001"))
        #expect(!history.stdout.contains("2025-02-13"))

        let diff = try CLITests.patchlog(["diff", "--log", log, "--vm", Self.vm, "--from", "2025-03-15", "--to", "2025-03-21"])
        #expect(diff.stdout.contains("uninstalled       KB5050003 at 2025-03-20T08:00:00Z"))

        let out = dir + "/timeline.csv"
        let export = try CLITests.patchlog(["export", "--log", log, "--format", "csv", "--out", out, "--type", "install"])
        #expect(export.status == 0 && export.stderr.contains("wrote 9 events to \(out)"))
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 10)
    }

    @Test func badImportLineFailsWithItsPlaceAndLeavesTheLogAsItWas() throws {
        let (dir, log) = try Self.logWithSample()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = CLITests.fixtures + "/import/good-then-bad.jsonl"
        let r = try CLITests.patchlog(["import", "--log", log, bad])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(bad):4: field state: expected one of Running, Deallocated, Stopped, got \"Sleeping\""))
        #expect(try CLITests.patchlog(["info", "--log", log]).stdout.contains("records      29 in"))
    }

    @Test func impossibleTimesAndContradictoryOptionsAreUsageErrors() throws {
        let (dir, log) = try Self.logWithSample()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let badTime = try CLITests.patchlog(["state", "--log", log, "--vm", "x", "--at", "2025-02-30"])
        #expect(badTime.status == 64 && badTime.stderr.contains("\"2025-02-30\" is not an RFC 3339 time (day 30)"))
        let backwards = try CLITests.patchlog(["diff", "--log", log, "--vm", "x", "--from", "2025-03-02", "--to", "2025-03-01"])
        #expect(backwards.status == 64 && backwards.stderr.contains("--to 2025-03-01T00:00:00Z is before --from 2025-03-02T00:00:00Z"))
        let badKB = try CLITests.patchlog(["when", "--log", log, "--kb", "K123"])
        #expect(badKB.status == 64 && badKB.stderr.contains("\"K123\" is not a KB"))
        let zero = try CLITests.patchlog(["state", "--log", log, "--vm", "x", "--as-recorded", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--as-recorded counts from 1"))
        let type = try CLITests.patchlog(["export", "--log", log, "--type", "boot"])
        #expect(type.status == 64 && type.stderr.contains("--type boot is not an event type"))
        let unknown = try CLITests.patchlog(["state", "--log", log, "--vm", "vm-nope", "--at", "2025-03-01", "--format", "json"])
        #expect(unknown.status == 0 && unknown.stderr.contains("the log has no events of VM vm-nope"))
        #expect(unknown.stdout.contains("\"registered\":false"))
    }

    /// The supported image list is data kept in the log (issue 13: a file dropped in
    /// the log directory changed answers while `verify --checkpoint` passed).
    @Test func theSupportedImageListIsKeptInTheLogAndAFileOnlyTriesAnother() throws {
        let (dir, log) = try Self.logWithSample()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = dir + "/images.txt"
        try "# only the core SKU\nMicrosoftWindowsServer/WindowsServer/2022-datacenter-azure-edition-core\n".write(toFile: list, atomically: true, encoding: .utf8)
        func supported(at: String, _ extra: [String] = []) throws -> Bool? {
            let r = try CLITests.patchlog(["state", "--log", log, "--vm", Self.vm, "--at", at, "--format", "json"] + extra)
            return r.stdout.contains("\"supportedImage\":true") ? true : r.stdout.contains("\"supportedImage\":false") ? false : nil
        }
        // Tried on the side: the answer changes, the log does not.
        #expect(try supported(at: "2025-03-01", ["--supported-images", list]) == false)
        #expect(try supported(at: "2025-03-01") == true)
        // Dropped in the log directory: read by nothing, and said so.
        try FileManager.default.copyItem(atPath: list, toPath: log + "/supported-images.txt")
        let dropped = try CLITests.patchlog(["state", "--log", log, "--vm", Self.vm, "--at", "2025-03-01", "--format", "json"])
        #expect(dropped.stdout.contains("\"supportedImage\":true") && dropped.stderr.contains("supported-images.txt is not read"))
        try FileManager.default.removeItem(atPath: log + "/supported-images.txt")
        // Set in the log from 2025-02-01: it holds from then on, and not as recorded before.
        let set = try CLITests.patchlog(["images", "set", "--log", log, list, "--time", "2025-02-01"])
        #expect(set.status == 0 && set.stdout.contains("appended supported-images@2025-02-01T00:00:00Z as sequence 30: 1 images"))
        let again = try CLITests.patchlog(["images", "set", "--log", log, list, "--time", "2025-02-01"])
        #expect(again.status == 0 && again.stdout.contains("nothing appended"))
        #expect(try supported(at: "2025-03-01") == false)
        #expect(try supported(at: "2025-01-31") == true)
        #expect(try supported(at: "2025-03-01", ["--as-recorded", "29"]) == true)
        let show = try CLITests.patchlog(["images", "show", "--log", log, "--at", "2025-03-01"])
        #expect(show.stdout == "# supported images at 2025-03-01T00:00:00Z: event \"supported-images@2025-02-01T00:00:00Z\" (sequence 30), in force from 2025-02-01T00:00:00Z\nmicrosoftwindowsserver/windowsserver/2022-datacenter-azure-edition-core\n")
        let fleet = try CLITests.patchlog(["fleet", "--log", log, "--at", "2025-03-01", "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(fleet.stdout.utf8)) as? [[String: Any]]) ?? []
        #expect(rows.first { $0["vm"] as? String == Self.vm }?["supportedImage"] as? Bool == false)
        // The list travels with the events: exported and imported again, it still holds.
        let exported = try CLITests.patchlog(["export", "--log", log])
        #expect(exported.stdout.contains("{\"id\":\"supported-images@2025-02-01T00:00:00Z\",\"type\":\"supported.images\",\"time\":\"2025-02-01T00:00:00Z\",\"images\":[{\"publisher\":\"microsoftwindowsserver\",\"offer\":\"windowsserver\",\"sku\":\"2022-datacenter-azure-edition-core\"}]}"))
        // A conflicting list under the same id is refused, and the log keeps the first.
        try "MicrosoftWindowsServer/WindowsServer/2022-datacenter-azure-edition-hotpatch\n".write(toFile: list, atomically: true, encoding: .utf8)
        let conflict = try CLITests.patchlog(["images", "set", "--log", log, list, "--time", "2025-02-01"])
        #expect(conflict.status == 1 && conflict.stderr.contains("is already in the log (sequence 30) with another list"))
        #expect(try supported(at: "2025-03-01") == false)
        try "not a list\n".write(toFile: list, atomically: true, encoding: .utf8)
        let bad = try CLITests.patchlog(["state", "--log", log, "--vm", Self.vm, "--supported-images", list])
        #expect(bad.status == 1 && bad.stderr.contains("\(list):1: expected publisher/offer/sku, got \"not a list\""))
    }
}

extension EventCommandTests {
    @Test func aRecordThatIsNotAnEventIsNamedBySequence() throws {
        let (dir, log) = try Self.logWithSample()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let raw = dir + "/raw.tsv"
        try "2025-01-01T00:00:00Z\tvm:x\tnot-an-event\tp\n".write(toFile: raw, atomically: true, encoding: .utf8)
        #expect(try CLITests.patchlog(["raw", "append", "--log", log, raw]).status == 0)
        let r = try CLITests.patchlog(["export", "--log", log])
        #expect(r.status == 1)
        #expect(r.stderr.contains("record 30 (id \"not-an-event\") is not a readable event"))
    }
}

extension EventCommandTests {
    @Test func historyIsInTimeOrderAndMarksLateEvents() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try CLITests.patchlog(["init", "--log", log])
        try CLITests.patchlog(["import", "--log", log, CLITests.fixtures + "/replay/late-events-count.jsonl"])
        let lines = try CLITests.patchlog(["history", "--log", log, "--vm", "VM-A"]).stdout.split(separator: "\n")
        let rows = lines.filter { $0.hasPrefix("20") }
        #expect(rows.count == 4)
        #expect(rows.map { $0.prefix(20) } == ["2025-01-01T00:00:00Z", "2025-01-20T10:00:00Z", "2025-01-21T00:00:00.", "2025-01-25T00:00:00Z"])
        #expect(rows[2].contains("5 late") && rows[2].contains("reboot (Baseline) Completed"))
        #expect(!rows[3].contains("late"))
    }
}
