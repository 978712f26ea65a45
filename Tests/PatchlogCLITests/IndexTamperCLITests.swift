import Foundation
import Testing
@testable import LogStore

/// Issue 13, item 1, as an auditor runs it: an index file rewritten with its
/// checksums so that queries lie (a VM's block hidden, a KB's block hidden, the kept
/// payloads' block hidden in `sources/`) made `verify` exit 0. Now exit 3, naming the
/// index file.
@Suite struct IndexTamperCLITests {
    typealias CLI = CLITests

    /// A log of the sample history imported in two parts (two blocks), and the
    /// history's lines.
    func twoBlockLog() throws -> (dir: String, log: String) {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/log"
        let text = try String(contentsOfFile: CLI.fixtures + "/demo/sample-history.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        let half = lines.count / 2
        try (lines[..<half].joined(separator: "\n") + "\n").write(toFile: dir + "/a.jsonl", atomically: true, encoding: .utf8)
        try (lines[half...].joined(separator: "\n") + "\n").write(toFile: dir + "/b.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", log, dir + "/a.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", log, dir + "/b.jsonl"]).status == 0)
        return (dir, log)
    }

    /// Rewrites the first segment's index in `path` (checksums and all) after
    /// `change` edited its stream lists (stream key → blocks) or key lists.
    func rewriteIndex(_ path: String, keys: Bool = false, _ change: (inout [String: [UInt32]]) -> Void) throws {
        let log = try FileLog.open(at: path)
        let segment = log.state.withLock { log.segments[0] }
        var lists: [String: [UInt32]] = [:]
        if keys {
            segment.keyPostings.forEachList { lists["\($0)"] = $1 }
        } else {
            segment.streamPostings.forEachList { lists[log.streamKey(StreamID(rawValue: $0))!] = $1 }
        }
        change(&lists)
        var rewritten = BlockPostings()
        for (name, blocks) in lists {
            let value = keys ? UInt32(name)! : log.streamID(name)!.rawValue
            for b in blocks { rewritten.add(value, block: b) }
        }
        if keys { segment.keyPostings = rewritten } else { segment.streamPostings = rewritten }
        try SegmentIndexFile.write(segment, directory: path)
        log.close()
    }

    @Test func anIndexHidingABlockOfAVMIsDamageNamingTheIndexFile() throws {
        let (dir, log) = try twoBlockLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A VM with events in both blocks.
        let names = try FileLog.open(at: log, access: .reader)
        let stream = try #require((0..<UInt32(20)).compactMap { names.streamKey(StreamID(rawValue: $0)) }
            .first { $0.hasPrefix("vm:") && $0.hasSuffix("web-02") })
        names.close()
        let vm = String(stream.dropFirst(3))
        let before = try CLI.patchlog(["history", "--log", log, "--vm", vm]).stdout
        try rewriteIndex(log) { lists in
            #expect(lists[stream]! == [0, 1])
            lists[stream]!.removeLast()
        }
        // The lie works: the VM's history loses its later events.
        #expect(try CLI.patchlog(["history", "--log", log, "--vm", vm]).stdout != before)
        let verify = try CLI.patchlog(["verify", "--log", log])
        #expect(verify.status == 3)
        #expect(verify.stdout.contains("DAMAGED: 00000000000000000001.idx at offset 0: the index disagrees with the records of 00000000000000000001.seg: its block list for stream \(stream) is block 0, the records are in blocks 0, 1"))
    }

    @Test func anIndexHidingABlockOfAKBIsDamageNamingTheIndexFile() throws {
        let (dir, log) = try twoBlockLog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try rewriteIndex(log, keys: true) { lists in
            let key = lists.first { $0.value.count == 2 }!.key
            lists[key]!.removeFirst()
        }
        let verify = try CLI.patchlog(["verify", "--log", log])
        #expect(verify.status == 3)
        #expect(verify.stdout.contains("DAMAGED: 00000000000000000001.idx at offset 0: the index disagrees with the records of 00000000000000000001.seg: its block list for key"))
    }

    @Test func anIndexOfTheKeptPayloadsHidingTheirBlockIsDamage() throws {
        let dir = CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        let file = CLI.fixtures + "/azure/samples/VirtualMachine_InstallPatches.json"
        #expect(try CLI.patchlog(["import", "--from", "azure", "--log", log, file]).status == 0)
        try rewriteIndex(log + "/sources") { lists in lists["source"] = nil }
        // The lie works: the payload cannot be shown.
        #expect(try CLI.patchlog(["show", "--log", log, "--seq", "1", "--raw"]).status == 1)
        let verify = try CLI.patchlog(["verify", "--log", log])
        #expect(verify.status == 3)
        #expect(verify.stdout.contains("DAMAGED: sources/: 00000000000000000001.idx at offset 0: the index disagrees with the records of 00000000000000000001.seg: its block list for stream source is no blocks"))
    }
}
