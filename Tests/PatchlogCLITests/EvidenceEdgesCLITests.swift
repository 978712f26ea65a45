import Foundation
import Testing

/// Issue 13, smaller points: what reaches the terminal, where `--out` writes, and the
/// exit codes of an altered checkpoint and of a proof asked of a changed log.
@Suite struct EvidenceEdgesCLITests {
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

    @Test func controlCharactersInAVMIdAreEscapedInTablesAndExactInJSONAndCSV() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let registration = lines.first { $0.contains("\"vm.registered\"") }!
        let vmStart = registration.range(of: "\"vm\":\"")!.upperBound
        let vmEnd = registration[vmStart...].firstIndex(of: "\"")!
        let original = String(registration[vmStart..<vmEnd])
        let evil = original + "\u{1B}[2J\u{1B}[31mX\rY"
        let line = registration.replacingOccurrences(of: "\"vm\":\"" + original + "\"", with: "\"vm\":\"" + original + "\\u001b[2J\\u001b[31mX\\rY\"")
            .replacingOccurrences(of: "\"id\":\"reg-", with: "\"id\":\"evil-reg-")
        #expect(line != registration)
        try (line + "\n").write(toFile: dir + "/evil.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        let imported = try CLI.patchlog(["import", "--log", log, dir + "/evil.jsonl"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let table = try CLI.patchlog(["fleet", "--log", log, "--at", "2025-06-01"])
        #expect(table.status == 0)
        #expect(!table.stdout.contains("\u{1B}") && !table.stdout.contains("\r"), "no raw control character reaches the terminal")
        #expect(table.stdout.contains("\\u{1B}[2J\\u{1B}[31mX\\u{D}Y"), "\(table.stdout)")
        let state = try CLI.patchlog(["state", "--log", log, "--vm", evil, "--at", "2025-06-01"])
        #expect(state.status == 0 && !state.stdout.contains("\u{1B}") && state.stdout.contains("\\u{1B}[31mX\\u{D}Y"), "\(state.stdout)")

        let json = try CLI.patchlog(["fleet", "--log", log, "--at", "2025-06-01", "--format", "json"])
        #expect(!json.stdout.contains("\u{1B}"), "JSON escapes control characters")
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.compactMap { $0["vm"] as? String } == [evil], "JSON keeps the exact id: \(json.stdout)")
        let csv = try CLI.patchlog(["fleet", "--log", log, "--at", "2025-06-01", "--format", "csv"])
        #expect(csv.stdout.contains("\u{1B}[31mX\rY"), "CSV keeps the exact value")
    }

    @Test func outNeverFollowsALinkNorReplacesACheckpointNorLeavesAHalfWrittenFile() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        let checkpoint = try String(contentsOfFile: dir + "/cp", encoding: .utf8)
        // A symbolic link: refused, its target untouched.
        try "precious\n".write(toFile: dir + "/target", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/target")
        var r = try CLI.patchlog(["export", "--log", log, "--format", "csv", "--out", dir + "/link"])
        #expect(r.status != 0 && r.stderr.contains("\(dir)/link is a symbolic link"), "\(r.stderr)")
        #expect(try String(contentsOfFile: dir + "/target", encoding: .utf8) == "precious\n")
        r = try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--out", dir + "/link"])
        #expect(r.status != 0 && r.stderr.contains("\(dir)/link is a symbolic link"))
        #expect(try String(contentsOfFile: dir + "/target", encoding: .utf8) == "precious\n")
        // An existing checkpoint: never overwritten, by `checkpoint` or anything else.
        r = try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--out", dir + "/cp"])
        #expect(r.status != 0 && r.stderr.contains("\(dir)/cp already exists"), "\(r.stderr)")
        r = try CLI.patchlog(["prove", "--log", log, "--seq", "1", "--checkpoint", dir + "/cp", "--out", dir + "/cp"])
        #expect(r.status != 0 && r.stderr.contains("\(dir)/cp is a checkpoint"), "\(r.stderr)")
        r = try CLI.patchlog(["export", "--log", log, "--format", "csv", "--out", dir + "/cp"])
        #expect(r.status != 0 && r.stderr.contains("\(dir)/cp is a checkpoint"))
        #expect(try String(contentsOfFile: dir + "/cp", encoding: .utf8) == checkpoint)
        // A command that fails part way leaves no output file and no temporary file.
        let parts = dir + "/parts"
        #expect(try CLI.patchlog(["init", "--log", parts]).status == 0)
        var ends: [Int] = []
        for (n, slice) in [lines[0..<10], lines[10..<20], lines[20...]].enumerated() {
            try (slice.joined(separator: "\n") + "\n").write(toFile: dir + "/part\(n).jsonl", atomically: true, encoding: .utf8)
            #expect(try CLI.patchlog(["import", "--log", parts, dir + "/part\(n).jsonl"]).status == 0)
            ends.append((try FileManager.default.attributesOfItem(atPath: parts + "/00000000000000000001.seg")[.size] as! NSNumber).intValue)
        }
        let segment = parts + "/00000000000000000001.seg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[(ends[0] + ends[1]) / 2] ^= 0x40 // inside the second block
        try bytes.write(to: URL(fileURLWithPath: segment))
        r = try CLI.patchlog(["export", "--log", parts, "--format", "csv", "--out", dir + "/out.csv"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"), "no half-written output")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.hasSuffix(".tmp") })
        // And a command that succeeds writes the whole file.
        r = try CLI.patchlog(["export", "--log", log, "--format", "csv", "--out", dir + "/out.csv"])
        #expect(r.status == 0)
        let written = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
        #expect(written == (try CLI.patchlog(["export", "--log", log, "--format", "csv"])).stdout)
    }

    @Test func anEditedSequenceOrTreeSizeLineMakesTheCheckpointNotValid() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        let text = try String(contentsOfFile: dir + "/cp", encoding: .utf8)
        for field in ["sequence", "tree-size"] {
            let line = text.split(separator: "\n").first { $0.hasPrefix(field + ": ") }!
            try text.replacingOccurrences(of: line + "\n", with: field + ": 28\n")
                .write(toFile: dir + "/cp-\(field)", atomically: true, encoding: .utf8)
            let r = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp-\(field)", "--key", dir + "/k.pub"])
            #expect(r.status == 6 && r.stdout.contains("CHECKPOINT NOT VALID: \(dir)/cp-\(field)"), "\(field): \(r.status) \(r.stdout) \(r.stderr)")
        }
        // A file that is no checkpoint at all is still a plain error.
        try "hello\n".write(toFile: dir + "/not-cp", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/not-cp", "--key", dir + "/k.pub"]).status == 1)
    }

    @Test func proveExitsFourOnALogThatNoLongerMatchesTheCheckpoint() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        #expect(try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--size", "10", "--out", dir + "/cp10"]).status == 0)
        // A forgery with valid checksums and chain: record 12 edited.
        var edited = lines
        edited[11] = edited[11].replacingOccurrences(of: "2025-", with: "2024-")
        let forged = dir + "/forged"
        try (edited.joined(separator: "\n") + "\n").write(toFile: dir + "/edited.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["init", "--log", forged]).status == 0)
        try FileManager.default.removeItem(atPath: forged + "/LOG")
        try FileManager.default.copyItem(atPath: log + "/LOG", toPath: forged + "/LOG")
        #expect(try CLI.patchlog(["import", "--log", forged, dir + "/edited.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["verify", "--log", forged, "--checkpoint", dir + "/cp", "--key", dir + "/k.pub"]).status == 4)
        var r = try CLI.patchlog(["prove", "--log", forged, "--seq", "1", "--checkpoint", dir + "/cp", "--out", dir + "/p"])
        #expect(r.status == 4 && r.stdout.contains("CHANGED"), "\(r.status) \(r.stdout) \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/p"))
        r = try CLI.patchlog(["prove", "--log", forged, "--from", dir + "/cp10", "--to", dir + "/cp"])
        #expect(r.status == 4 && r.stdout.contains("CHANGED"), "\(r.status) \(r.stdout)")
        // On the log itself both proofs are made.
        #expect(try CLI.patchlog(["prove", "--log", log, "--seq", "1", "--checkpoint", dir + "/cp"]).status == 0)
        #expect(try CLI.patchlog(["prove", "--log", log, "--from", dir + "/cp10", "--to", dir + "/cp"]).status == 0)
    }

    /// The log's creation time (in `LOG`, under a CRC anyone can recompute) was covered
    /// by nothing: edited with its CRC redone, every check passed. A checkpoint signs
    /// it now, and `verify --checkpoint` exits 4 naming it.
    @Test func anEditedCreationTimeIsFoundByTheCheckpoint() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try setUp()
        let checkpoint = try String(contentsOfFile: dir + "/cp", encoding: .utf8)
        #expect(checkpoint.split(separator: "\n")[2].hasPrefix("log-created: "))
        // Move the creation time one second back and recompute the CRC.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: log + "/LOG")))
        var created = Int64(littleEndian: bytes[28..<36].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
        created -= 1_000_000_000
        withUnsafeBytes(of: created.littleEndian) { bytes.replaceSubrange(28..<36, with: $0) }
        let crc = CRC32CForTests.checksum(bytes[0..<36])
        withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange(36..<40, with: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: log + "/LOG"))
        #expect(try CLI.patchlog(["verify", "--log", log]).status == 0, "the CRC alone is no evidence")
        let r = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp", "--key", dir + "/k.pub"])
        #expect(r.status == 4, "\(r.stdout)")
        #expect(r.stdout.contains("CHANGED: the log's creation time is") && r.stdout.contains("/LOG was altered"))
        // prove hands out no proof for a log that is not the one the checkpoint signed.
        let proof = try CLI.patchlog(["prove", "--log", log, "--seq", "1", "--checkpoint", dir + "/cp"])
        #expect(proof.status == 4 && proof.stdout.contains("CHANGED: ") && proof.stdout.contains("/LOG was altered"), "\(proof.stdout)")
        // The line is signed: removing it (to dodge the check) is an alteration.
        // (Checkpoints made without the line, as before it existed, are read and
        // checked as ever: CheckpointTests.)
        let old = checkpoint.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("log-created: ") }.joined(separator: "\n")
        try old.write(toFile: dir + "/old-cp", atomically: true, encoding: .utf8)
        let oldRun = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/old-cp", "--key", dir + "/k.pub"])
        #expect(oldRun.status == 6, "its signature covered the line: removing it is an alteration")
    }

    /// A failing `keygen` (its .pub already there) wrote the private key and then
    /// stopped, leaving half its output behind. Both files or neither.
    @Test func keygenThatCannotWriteBothFilesLeavesNeither() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "someone else's\n".write(toFile: dir + "/k.pub", atomically: true, encoding: .utf8)
        let r = try CLI.patchlog(["keygen", "--out", dir + "/k"])
        #expect(r.status == 1 && r.stderr.contains("\(dir)/k.pub"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/k.key"))
        #expect(try String(contentsOfFile: dir + "/k.pub", encoding: .utf8) == "someone else's\n")
    }

    @Test func verifyNamesTheDamagedBlocksFirstSequence() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        var ends: [Int] = []
        for (n, slice) in [lines[0..<10], lines[10..<20], lines[20...]].enumerated() {
            try (slice.joined(separator: "\n") + "\n").write(toFile: dir + "/part\(n).jsonl", atomically: true, encoding: .utf8)
            #expect(try CLI.patchlog(["import", "--log", log, dir + "/part\(n).jsonl"]).status == 0)
            ends.append((try FileManager.default.attributesOfItem(atPath: log + "/00000000000000000001.seg")[.size] as! NSNumber).intValue)
        }
        let segment = log + "/00000000000000000001.seg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[(ends[0] + ends[1]) / 2] ^= 0x40 // inside the second block: records 11-20
        try bytes.write(to: URL(fileURLWithPath: segment))
        let r = try CLI.patchlog(["verify", "--log", log])
        #expect(r.status == 3)
        #expect(r.stdout.contains("(records from sequence 11 on)"), "\(r.stdout)")
    }
}

/// CRC-32C (Castagnoli), bit by bit: enough for a test to redo a checksum.
enum CRC32CForTests {
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
