import Foundation
import LogStore
import Testing
import TestSupport

/// `patchlog import --from azure` and `patchlog show`, run as a user would.
@Suite struct AzureImportCLITests {
    static let azure = CLITests.fixtures + "/azure"

    func newLog() throws -> (dir: String, log: String) {
        let dir = CLITests.temporaryDirectory()
        let log = dir + "/log"
        #expect(try CLITests.patchlog(["init", "--log", log]).status == 0)
        return (dir, log)
    }

    @Test func importedEventsShowTheirOriginalPayloadByteForByteAndReimportingAppendsNothing() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = Self.azure + "/samples/VirtualMachine_InstallPatches.json"
        let first = try CLITests.patchlog(["import", "--from", "azure", "--log", log, file])
        #expect(first.status == 0)
        #expect(first.stdout.contains("  in: responses.200.body: azure:install:68f8b292-dfc2-4646-9781-33cc88631968:"))
        #expect(first.stdout.contains("1 items in, 0 rejected; 2 events appended, 0 already in the log; payload kept as sha256:3a68cea0df9f58f6"))
        let again = try CLITests.patchlog(["import", "--from", "azure", "--log", log, file])
        #expect(again.stdout.contains("0 events appended, 2 already in the log"))
        let raw = try CLITests.patchlog(["show", "--log", log, "--seq", "2", "--raw"])
        #expect(raw.status == 0 && Array(raw.stdout.utf8) == Array(FileManager.default.contents(atPath: file)!))
        let event = try CLITests.patchlog(["show", "--log", log, "--seq", "2"])
        #expect(event.stdout.hasPrefix(#"{"id":"azure:reboot:68f8b292-dfc2-4646-9781-33cc88631968:"#))
        #expect(event.stdout.contains(#""type":"reboot","time":"2020-04-24T21:02:04.255615400Z""#))
        let verify = try CLITests.patchlog(["verify", "--log", log]).stdout
        #expect(verify.hasPrefix("ok: 2 records") && verify.contains("ok: sources/: 1 payload records in 1 blocks"))
        #expect(try CLITests.patchlog(["export", "--log", log]).stdout.split(separator: "\n").count == 2)
        let past = try CLITests.patchlog(["show", "--log", log, "--seq", "3"])
        #expect(past.status == 1 && past.stderr.contains("--seq 3 is past the end of the log: it has 2 events (1...2)"))
    }

    /// A log with `VirtualMachine_InstallPatches.json` imported (2 events citing one payload), and the payload's name.
    func importedInstall() throws -> (dir: String, log: String, name: String, file: String) {
        let (dir, log) = try newLog()
        let file = Self.azure + "/samples/VirtualMachine_InstallPatches.json"
        #expect(try CLITests.patchlog(["import", "--from", "azure", "--log", log, file]).status == 0)
        let sources = try FileLog.open(at: log + "/sources", access: .reader)
        defer { sources.close() }
        return (dir, log, try sources.readAll()[0].id, file)
    }

    @Test func aKeptPayloadEditedWithConsistentChecksumsIsDamageForVerifyAndShowRawRefusesIt() throws {
        let (dir, log, name, _) = try importedInstall()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Rewrite sources/ as a new store that is consistent in itself (valid CRCs and
        // hash chain): the same record id, the payload's bytes edited.
        let sources = log + "/sources"
        let old = try FileLog.open(at: sources, access: .reader)
        var records = try old.readAll().map(\.unsequenced)
        old.close()
        #expect(records.count == 1)
        records[0].payload = Array(String(decoding: records[0].payload, as: UTF8.self).replacingOccurrences(of: "Succeeded", with: "Failed").utf8)
        try FileManager.default.removeItem(atPath: sources)
        let forged = try FileLog.create(at: sources)
        _ = try forged.append(records)
        forged.close()
        let verify = try CLITests.patchlog(["verify", "--log", log])
        #expect(verify.status == 3)
        #expect(verify.stdout.contains("ok: sources/: 1 payload records in 1 blocks; every checksum and hash-chain link matches"))
        #expect(verify.stdout.contains("DAMAGED: sources/: \(name): its bytes (1 part) now hash to sha256:"))
        #expect(verify.stdout.contains("the payload was altered; cited by the events at sequences 1, 2 (the first is azure:install:68f8b292-dfc2-4646-9781-33cc88631968:"))
        let raw = try CLITests.patchlog(["show", "--log", log, "--seq", "2", "--raw"])
        #expect(raw.status == 1 && raw.stdout.isEmpty)
        #expect(raw.stderr.contains("event 2 came from payload \(name) in \(sources), but the bytes kept as \(name) now hash to sha256:"))
        #expect(try CLITests.patchlog(["show", "--log", log, "--seq", "2"]).status == 0)
    }

    @Test func anEventCitingAPayloadThatIsNotKeptIsDamage() throws {
        let (dir, log, name, _) = try importedInstall()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: log + "/sources")
        let verify = try CLITests.patchlog(["verify", "--log", log])
        #expect(verify.status == 3)
        #expect(verify.stdout.contains("DAMAGED: sources/: \(name): not kept in sources/; cited by the events at sequences 1, 2"))
        // A store that exists but holds another payload only.
        let other = try FileLog.create(at: log + "/sources")
        _ = try other.append(NewRecord(time: 0, stream: "source", id: "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", payload: []))
        other.close()
        let again = try CLITests.patchlog(["verify", "--log", log])
        #expect(again.status == 3 && again.stdout.contains("DAMAGED: sources/: \(name): not kept in sources/"))
        #expect(try CLITests.patchlog(["show", "--log", log, "--seq", "1", "--raw"]).status == 1)
    }

    @Test func salvageCopiesTheKeptPayloadsSoTheCopiedEventsStillFindThem() throws {
        let (dir, log, _, file) = try importedInstall()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rescued = dir + "/rescued"
        let r = try CLITests.patchlog(["salvage", "--log", log, "--into", rescued])
        #expect(r.status == 0 && r.stdout.contains("recovered 2 records; skipped 0 damaged stretch(es); written to \(rescued)"))
        #expect(r.stdout.contains("sources/: recovered 1 payload records; skipped 0 damaged stretch(es); written to \(rescued)/sources"))
        let verify = try CLITests.patchlog(["verify", "--log", rescued])
        #expect(verify.status == 0 && verify.stdout.contains("ok: sources/: 1 payloads each hash to their sha256: name; the 2 events that cite one all find it"))
        let raw = try CLITests.patchlog(["show", "--log", rescued, "--seq", "2", "--raw"])
        #expect(raw.status == 0 && Array(raw.stdout.utf8) == Array(FileManager.default.contents(atPath: file)!))
    }

    @Test func standardInputAndTheVMOptionWorkForABareBody() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let body = Self.azure + "/variants/assess-body-mixed.json"
        let missing = try CLITests.patchlog(["import", "--from", "azure", "--log", log, body])
        #expect(missing.status == 1 && missing.stderr.contains("does not say which VM it is about") && missing.stderr.contains("--vm"))
        let vm = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/web-01"
        let p = try ProcessRun.run("/bin/sh", ["-c", "'\(CLITests.binary)' import --from azure --log '\(log)' --vm '\(vm)' - < '\(body)'"])
        let stdout = p.text, stderr = p.stderr
        #expect(p.status == 0 && stdout.contains("imported standard input from Azure: 1 items in"))
        #expect(stderr.contains("availablePatches[1]: \"libssl3\" has no kbId (a Linux package?): ignored"))
        let state = try CLITests.patchlog(["state", "--log", log, "--vm", vm, "--at", "2026-01-01", "--format", "json"])
        #expect(state.stdout.contains(#""missing":["KB5058500","KB5099998"]"#))
        #expect(try CLITests.patchlog(["import", "--log", log, "--vm", vm, body]).status == 64)
    }

    @Test func aPartlyValidExportSaysWhichItemsWentInAndExitsOne() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = Self.azure + "/variants/rg-partly-valid.json"
        let r = try CLITests.patchlog(["import", "--from", "azure", "--log", log, file])
        #expect(r.status == 1)
        #expect(r.stdout.contains("  in: data[0]: azure:install:3f2504e0-4f89-11d3-9a0c-0305e82c3301:"))
        #expect(r.stdout.contains("1 items in, 1 rejected; 1 events appended"))
        #expect(r.stderr.contains("\(file): data[3].properties.kbId: expected digits (or \"KB\" and digits), got \"KB-five\"; so none of run "))
        #expect(r.stderr.contains("fix that row and import the file again (not imported)"))
    }

    @Test func anUnrecognisedFileNamesItselfAndLeavesTheLogAsItWas() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLITests.patchlog(["import", "--from", "azure", "--log", log, Self.azure + "/variants/rg-installations-1.json"]).status == 0)
        let file = Self.azure + "/samples/Updates_List.json"
        let r = try CLITests.patchlog(["import", "--from", "azure", "--log", log, file])
        #expect(r.status == 1 && r.stderr.contains("\(file): responses.200.body.value[0]: expected an AssessPatches or InstallPatches result"))
        #expect(try CLITests.patchlog(["info", "--log", log]).stdout.contains("records      1 in"))
        let plain = try CLITests.patchlog(["show", "--log", log, "--seq", "1"])
        #expect(plain.stdout.contains(#""sourceItem":"[0].properties""#))
    }

    @Test func showRawOfAnEventNotImportedFromAzureSaysSo() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLITests.patchlog(["import", "--log", log, CLITests.fixtures + "/demo/sample-history.jsonl"])
        let r = try CLITests.patchlog(["show", "--log", log, "--seq", "1", "--raw"])
        #expect(r.status == 1 && r.stderr.contains("event 1 (id \"") && r.stderr.contains("names no source payload"))
        #expect(try CLITests.patchlog(["--help"]).stdout.contains("show"))
    }

    @Test func aDryRunPrintsWhatWouldBeAppendedAndLeavesTheLogDirectoryByteForByte() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLITests.patchlog(["import", "--from", "azure", "--log", log, Self.azure + "/shapes/rg-assessment-no-name-day1.json"]).status == 0)
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for name in try FileManager.default.subpathsOfDirectory(atPath: log) {
                var isDirectory: ObjCBool = false
                FileManager.default.fileExists(atPath: log + "/" + name, isDirectory: &isDirectory)
                if !isDirectory.boolValue { out[name] = FileManager.default.contents(atPath: log + "/" + name) }
            }
            return out
        }
        let before = try snapshot()
        let r = try CLITests.patchlog(["import", "--from", "azure", "--dry-run", "--log", log, Self.azure + "/shapes/rg-install-started-by-user.json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("  would append: {\"id\":\"azure:install:7d1c0a52-6b0e-4c55-9d1e-2f0a3b4c5d61:"))
        #expect(r.stdout.contains("1 events would be appended, 0 already in the log; the log was not changed"))
        let again = try CLITests.patchlog(["import", "--from", "azure", "--dry-run", "--log", log, Self.azure + "/shapes/rg-assessment-with-name-day1.json"])
        #expect(again.stdout.contains("0 events would be appended, 1 already in the log"))
        #expect(try snapshot() == before)
        // --observed-at and --dry-run belong to --from azure.
        #expect(try CLITests.patchlog(["import", "--dry-run", "--log", log, Self.azure + "/shapes/rg-empty.json"]).status == 64)
    }
}
