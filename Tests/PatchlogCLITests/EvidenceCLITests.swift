import Foundation
import Testing

/// Tamper evidence as an auditor uses it: keygen, checkpoint, verify against the
/// checkpoint, prove, verify-proof — and logs forged in every way the issue names.
@Suite struct EvidenceCLITests {
    typealias CLI = CLITests
    let dir = CLITests.temporaryDirectory()
    var log: String { dir + "/log" }
    var lines: [String] {
        let text = try! String(contentsOfFile: CLI.fixtures + "/demo/sample-history.jsonl", encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    /// A log of the sample history, a key pair and a checkpoint of the log.
    func setUp() throws {
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", log, CLI.fixtures + "/demo/sample-history.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["keygen", "--out", dir + "/k"]).status == 0)
        #expect(try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--out", dir + "/cp"]).status == 0)
    }

    /// Replaces the log by one holding `edited` lines, with valid checksums and hash
    /// chain and the original log id: a forgery only the checkpoint can expose.
    func forge(_ edited: [String]) throws {
        let forged = dir + "/forged"
        try (edited.joined(separator: "\n") + "\n").write(toFile: dir + "/edited.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["init", "--log", forged]).status == 0)
        // The forger takes the log's identity first: the hash chain starts from it.
        try FileManager.default.removeItem(atPath: forged + "/LOG")
        try FileManager.default.copyItem(atPath: log + "/LOG", toPath: forged + "/LOG")
        #expect(try CLI.patchlog(["import", "--log", forged, dir + "/edited.jsonl"]).status == 0)
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.moveItem(atPath: forged, toPath: log)
        #expect(try CLI.patchlog(["verify", "--log", log]).status == 0, "the forgery passes checksums and chain")
    }

    func verifyAgainstCheckpoint() throws -> CLI.Run {
        try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp", "--key", dir + "/k.pub"])
    }

    @Test func anUnchangedAndAGrownLogMatchTheirCheckpoint() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        var r = try verifyAgainstCheckpoint()
        #expect(r.status == 0 && r.stdout.contains("the log matches the checkpoint"))
        let extra = #"{"id":"late-1","type":"vm.power","time":"2025-06-01T00:00:00Z","vm":"web-01","state":"Stopped"}"#
        try (extra + "\n").write(toFile: dir + "/more.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["import", "--log", log, dir + "/more.jsonl"]).status == 0)
        r = try verifyAgainstCheckpoint()
        #expect(r.status == 0 && r.stdout.contains("1 records were appended after it"))
    }

    @Test func anEditedRecordIsReportedAtItsSequenceWithExitFour() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        var edited = lines
        edited[11] = edited[11].replacingOccurrences(of: "2025-", with: "2024-")
        try forge(edited)
        let r = try verifyAgainstCheckpoint()
        #expect(r.status == 4)
        #expect(r.stdout.contains("first differs at sequence 12 (a record was changed, or records reordered"), "\(r.stdout)")
    }

    @Test func deletedInsertedAndReorderedRecordsAreReportedWhereTheyBegin() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        let original = lines
        let cases: [(String, [String])] = [
            ("first differs at sequence 6 (a record was deleted", Array(original[..<5] + original[6...])),
            ("first differs at sequence 3 (a record was inserted", Array(original[..<2] + [#"{"id":"x","type":"vm.power","time":"2025-01-01T00:00:00Z","vm":"web-01","state":"Stopped"}"#] + original[2...])),
            ("first differs at sequence 8 (a record was changed, or records reordered", Array(original[..<7] + [original[8], original[7]] + original[9...])),
        ]
        for (expected, edited) in cases {
            try forge(edited)
            let r = try verifyAgainstCheckpoint()
            #expect(r.status == 4 && r.stdout.contains(expected), "\(r.stdout)")
        }
    }

    @Test func aTruncatedLogExitsFiveNamingTheMissingRecords() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        try forge(Array(lines.prefix(20)))
        let r = try verifyAgainstCheckpoint()
        #expect(r.status == 5)
        #expect(r.stdout.contains("TRUNCATED: the log was truncated: it holds 20 records, the checkpoint covers 29; records 21-29 are missing"), "\(r.stdout)")
    }

    @Test func anAlteredCheckpointOrAnotherKeyExitsSix() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        let text = try String(contentsOfFile: dir + "/cp", encoding: .utf8)
        let root = text.split(separator: "\n").first { $0.hasPrefix("root: ") }!
        try text.replacingOccurrences(of: root, with: "root: " + String(repeating: "ab", count: 32))
            .write(toFile: dir + "/cp-altered", atomically: true, encoding: .utf8)
        var r = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp-altered", "--key", dir + "/k.pub"])
        #expect(r.status == 6 && r.stdout.contains("its signature does not verify"), "\(r.stdout)")
        #expect(try CLI.patchlog(["keygen", "--out", dir + "/other"]).status == 0)
        r = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp", "--key", dir + "/other.pub"])
        #expect(r.status == 6 && r.stdout.contains("it was signed with key"))
        // A checkpoint of another log, signed with the right key.
        #expect(try CLI.patchlog(["init", "--log", dir + "/other-log"]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", dir + "/other-log", CLI.fixtures + "/demo/sample-history.jsonl"]).status == 0)
        r = try CLI.patchlog(["verify", "--log", dir + "/other-log", "--checkpoint", dir + "/cp", "--key", dir + "/k.pub"])
        #expect(r.status == 6 && r.stdout.contains("it is a checkpoint of log"), "\(r.stdout)")
        r = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp"])
        #expect(r.status == 64 && r.stderr.contains("--checkpoint and --key go together"))
        r = try CLI.patchlog(["keygen", "--out", dir + "/k"])
        #expect(r.status == 1 && r.stderr.contains("cannot write \(dir)/k.key"), "keygen never overwrites a key")
    }

    @Test func inclusionAndConsistencyProofsCheckWithoutTheLog() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        var r = try CLI.patchlog(["prove", "--log", log, "--seq", "7", "--checkpoint", dir + "/cp", "--out", dir + "/p7"])
        #expect(r.status == 0)
        try FileManager.default.moveItem(atPath: log, toPath: dir + "/elsewhere")
        r = try CLI.patchlog(["verify-proof", dir + "/p7", "--key", dir + "/k.pub", "--checkpoint", dir + "/cp"])
        #expect(r.status == 0 && r.stdout.contains("proven: record 7"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("event: {\"id\":\"\(lines[6].split(separator: "\"")[3])\""), "the proven event is printed from the proof's own fields: \(r.stdout)")
        #expect(r.stdout.contains("comment lines are not covered"))
        // A proof whose record was edited does not prove anything.
        let proof = try String(contentsOfFile: dir + "/p7", encoding: .utf8)
        let payloadLine = proof.split(separator: "\n").first { $0.hasPrefix("payload: ") }!
        try proof.replacingOccurrences(of: payloadLine, with: payloadLine.dropLast(2) + (payloadLine.hasSuffix("00") ? "ff" : "00")).write(toFile: dir + "/p7-forged", atomically: true, encoding: .utf8)
        r = try CLI.patchlog(["verify-proof", dir + "/p7-forged", "--key", dir + "/k.pub", "--checkpoint", dir + "/cp"])
        #expect(r.status == 4 && r.stdout.contains("NOT PROVEN"))
        // The log grows; a consistency proof links the two checkpoints.
        try FileManager.default.moveItem(atPath: dir + "/elsewhere", toPath: log)
        let extra = #"{"id":"late-2","type":"vm.power","time":"2025-06-01T00:00:00Z","vm":"web-01","state":"Running"}"#
        try (extra + "\n").write(toFile: dir + "/more.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["import", "--log", log, dir + "/more.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--out", dir + "/cp2"]).status == 0)
        #expect(try CLI.patchlog(["prove", "--log", log, "--from", dir + "/cp", "--to", dir + "/cp2", "--out", dir + "/c"]).status == 0)
        r = try CLI.patchlog(["verify-proof", dir + "/c", "--key", dir + "/k.pub", "--old", dir + "/cp", "--checkpoint", dir + "/cp2"])
        #expect(r.status == 0 && r.stdout.contains("begins with exactly the 29 records"), "\(r.stdout)\(r.stderr)")
        // Swapped checkpoints do not verify.
        r = try CLI.patchlog(["verify-proof", dir + "/c", "--key", dir + "/k.pub", "--old", dir + "/cp2", "--checkpoint", dir + "/cp"])
        #expect(r.status == 4)
        r = try CLI.patchlog(["prove", "--log", log, "--seq", "7"])
        #expect(r.status == 64 && r.stderr.contains("an inclusion proof needs both --seq and --checkpoint"))
    }
}
