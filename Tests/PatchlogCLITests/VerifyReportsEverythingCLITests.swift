import Foundation
import LogStore
import Testing

/// Issue 13, item 6: one imported event citing a payload that is not kept made
/// `verify --checkpoint` stop at "not kept in sources/" (exit 3) and never compare the
/// checkpoint, hiding a real edit. Every check now runs and reports; and a JSON Lines
/// event cannot claim a kept payload it did not bring.
@Suite struct VerifyReportsEverythingCLITests {
    typealias CLI = CLITests
    let dir = CLITests.temporaryDirectory()
    var log: String { dir + "/log" }

    @Test func verifyComparesTheCheckpointEvenWhenTheKeptPayloadsAreDamaged() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", log, CLI.fixtures + "/demo/sample-history.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["keygen", "--out", dir + "/k"]).status == 0)
        #expect(try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--out", dir + "/cp"]).status == 0)
        // A forgery with consistent checksums and chain: record 12 edited.
        var lines = try String(contentsOfFile: CLI.fixtures + "/demo/sample-history.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        lines[11] = lines[11].replacingOccurrences(of: "2025-", with: "2024-")
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/edited.jsonl", atomically: true, encoding: .utf8)
        let forged = dir + "/forged"
        #expect(try CLI.patchlog(["init", "--log", forged]).status == 0)
        try FileManager.default.removeItem(atPath: forged + "/LOG")
        try FileManager.default.copyItem(atPath: log + "/LOG", toPath: forged + "/LOG")
        #expect(try CLI.patchlog(["import", "--log", forged, dir + "/edited.jsonl"]).status == 0)
        // And a kept payload whose bytes do not hash to its name.
        let sources = try FileLog.create(at: forged + "/sources")
        _ = try sources.append(NewRecord(time: 0, stream: "source", id: "sha256:" + String(repeating: "0", count: 64), payload: [1, 2, 3]))
        sources.close()
        let r = try CLI.patchlog(["verify", "--log", forged, "--checkpoint", dir + "/cp", "--key", dir + "/k.pub"])
        #expect(r.status == 4)
        #expect(r.stdout.contains("DAMAGED: sources/: sha256:0000"))
        #expect(r.stdout.contains("CHANGED: ") && r.stdout.contains("first differs at sequence 12"))
        // Without the checkpoint the damage alone decides.
        #expect(try CLI.patchlog(["verify", "--log", forged]).status == 3)
    }

    @Test func aJSONLinesEventCannotClaimAKeptPayloadItDidNotBring() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        let claim = #"{"id":"claims","type":"vm.power","time":"2025-06-01T00:00:00Z","vm":"web-01","state":"Stopped","source":"sha256:"# + String(repeating: "ab", count: 32) + #""}"#
        let fine = #"{"id":"fine","type":"vm.power","time":"2025-06-01T00:00:00Z","vm":"web-01","state":"Running"}"#
        try ([fine, claim].joined(separator: "\n") + "\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let r = try CLI.patchlog(["import", "--log", log, dir + "/in.jsonl"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("in.jsonl:2: field source: names the Azure payload sha256:abab"))
        #expect(r.stderr.contains("which this log does not keep in sources/"))
        #expect(try CLI.patchlog(["info", "--log", log]).stdout.contains("0 records") || (try FileLog.open(at: log, access: .reader).count == 0))
        #expect(try CLI.patchlog(["verify", "--log", log]).status == 0)

        // Events that cite a payload the log keeps (exported from it) go in: here, as
        // duplicates; into another log, which does not keep it, they are refused.
        let azure = dir + "/azure"
        #expect(try CLI.patchlog(["init", "--log", azure]).status == 0)
        #expect(try CLI.patchlog(["import", "--from", "azure", "--log", azure, CLI.fixtures + "/azure/samples/VirtualMachine_InstallPatches.json"]).status == 0)
        #expect(try CLI.patchlog(["export", "--log", azure, "--format", "jsonl", "--out", dir + "/exported.jsonl"]).status == 0)
        let again = try CLI.patchlog(["import", "--log", azure, dir + "/exported.jsonl"])
        #expect(again.status == 0 && again.stdout.contains("0 events appended, 2 already in the log"))
        let elsewhere = try CLI.patchlog(["import", "--log", log, dir + "/exported.jsonl"])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("field source: names the Azure payload sha256:"))
    }
}
