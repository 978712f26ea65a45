import Foundation
import Testing

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

    @Test func standardInputAndTheVMOptionWorkForABareBody() throws {
        let (dir, log) = try newLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let body = Self.azure + "/variants/assess-body-mixed.json"
        let missing = try CLITests.patchlog(["import", "--from", "azure", "--log", log, body])
        #expect(missing.status == 1 && missing.stderr.contains("does not say which VM it is about") && missing.stderr.contains("--vm"))
        let vm = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/web-01"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "'\(CLITests.binary)' import --from azure --log '\(log)' --vm '\(vm)' - < '\(body)'"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && stdout.contains("imported standard input from Azure: 1 items in"))
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
        #expect(r.stderr.contains("\(file): data[3].properties.kbId: expected digits (or \"KB\" and digits), got \"KB-five\" (not imported)"))
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
}
