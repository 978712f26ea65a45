import Foundation
import Testing
@testable import LogStore

/// Issue 13, item 1: `verify` recomputes every list of every index file from the
/// records. An index rewritten as an attacker would (its checksums recomputed) so
/// that it hides a VM's block or a KB's block, or lists one twice, made queries lie
/// while `verify` passed; now it is damage naming the index file.
@Suite struct IndexVerifyTests {
    let small = LogOptions(segmentBytes: 64 << 10, blockBytes: 1 << 10, sync: .none)

    /// Records of `vms` VMs, each carrying one or two KB-like keys.
    func records(_ count: Int, vms: Int) -> [NewRecord] {
        SampleRecords.make(count: count, vms: vms).enumerated().map { i, r in
            NewRecord(time: r.time, stream: r.stream, id: r.id, payload: r.payload,
                      keys: i % 3 == 0 ? [5_050_000 + UInt32(i % 7)] : [5_050_000 + UInt32(i % 7), 5_060_000])
        }
    }

    /// Rewrites the index of segment `number` (checksums and all) after `change` has
    /// edited its stream lists (or key lists), as a script that knows the format can.
    func rewriteIndex(_ path: String, segment number: Int = 0, keys: Bool = false, _ change: (inout [UInt32: [UInt32]]) -> Void) throws {
        let log = try FileLog.open(at: path, options: small)
        let segment = log.state.withLock { log.segments[number] }
        var lists: [UInt32: [UInt32]] = [:]
        (keys ? segment.keyPostings : segment.streamPostings).forEachList { lists[$0] = $1 }
        change(&lists)
        var rewritten = BlockPostings()
        for (value, blocks) in lists {
            // `add` keeps a list as given unless a block repeats the one before it.
            for b in blocks { rewritten.add(value, block: b) }
        }
        if keys { segment.keyPostings = rewritten } else { segment.streamPostings = rewritten }
        try SegmentIndexFile.write(segment, directory: path)
        log.close()
    }

    func makeLog(_ dir: TemporaryDirectory, count: Int = 1_500, vms: Int = 12) throws -> (String, [NewRecord]) {
        let path = dir.at("log")
        let all = records(count, vms: vms)
        let log = try FileLog.create(at: path, options: small)
        for start in stride(from: 0, to: all.count, by: 100) { _ = try log.append(Array(all[start..<min(start + 100, all.count)])) }
        log.close()
        #expect(segmentFiles(path).count >= 2)
        #expect(try FileLog.verify(directory: path).isIntact)
        return (path, all)
    }

    @Test func anIndexHidingOneBlockOfAStreamIsDamageNamingTheIndexFile() throws {
        let dir = TemporaryDirectory()
        let (path, all) = try makeLog(dir)
        let stream = all[0].stream
        let number = try #require(try FileLog.open(at: path, options: small, access: .reader).streamID(stream)?.rawValue)
        try rewriteIndex(path) { lists in lists[number]!.removeFirst() }
        // The lie works on a reader: the VM loses records.
        let reader = try FileLog.open(at: path, options: small, access: .reader)
        #expect(try reader.read(stream: stream).count < all.filter { $0.stream == stream }.count)
        let report = try FileLog.verify(directory: path)
        let problem = try #require(report.problem)
        #expect(problem.file == LogFormat.indexName(base: 1))
        #expect(problem.reason.contains(stream))
    }

    @Test func anIndexHidingOneBlockOfAKeyIsDamageNamingTheIndexFile() throws {
        let dir = TemporaryDirectory()
        let (path, _) = try makeLog(dir)
        try rewriteIndex(path, keys: true) { lists in lists[5_060_000]!.removeLast() }
        let problem = try #require(try FileLog.verify(directory: path).problem)
        #expect(problem.file == LogFormat.indexName(base: 1))
        #expect(problem.reason.contains("key 5060000"))
    }

    @Test func anIndexListingABlockTwiceOrOneThatHoldsNoneOfTheStreamIsDamage() throws {
        let dir = TemporaryDirectory()
        let (path, _) = try makeLog(dir)
        let pristine = dir.at("pristine")
        copyDirectory(path, to: pristine)
        // A block listed twice (out of order, which `add` keeps as given).
        try rewriteIndex(path) { lists in
            let first = lists.keys.min()!
            lists[first]!.append(lists[first]![0])
        }
        #expect(try FileLog.verify(directory: path).problem?.file == LogFormat.indexName(base: 1))
        // A block that holds none of the stream's records, listed for it.
        copyDirectory(pristine, to: path)
        try rewriteIndex(path) { lists in
            let first = lists.keys.min()!
            let stray = Set(lists.values.joined()).subtracting(lists[first]!).min()!
            lists[first] = (lists[first]! + [stray]).sorted()
        }
        #expect(try FileLog.verify(directory: path).problem?.file == LogFormat.indexName(base: 1))
    }

    /// The stream lists of a segment with more than 128 streams are in several
    /// chunks after the index's checksum (layout 1): a list in a later chunk is
    /// checked too.
    @Test func aListInALaterChunkIsChecked() throws {
        let dir = TemporaryDirectory()
        let (path, _) = try makeLog(dir, count: 1_500, vms: 400)
        // The segment with the most streams (the first is sealed early, to give the
        // next a dictionary).
        let (number, base) = try {
            let log = try FileLog.open(at: path, options: small, access: .reader)
            var best = (0, UInt64(1), 0)
            for (i, s) in log.segments.enumerated() {
                var lists = s.streamPostings
                try lists.loadChunks()
                if lists.values.count > best.2 { best = (i, s.base, lists.values.count) }
            }
            #expect(best.2 > 2 * ChunkedPostings.entriesPerChunk)
            return (best.0, best.1)
        }()
        try rewriteIndex(path, segment: number) { lists in lists[lists.keys.sorted()[ChunkedPostings.entriesPerChunk + 20]] = nil }
        let problem = try #require(try FileLog.verify(directory: path).problem)
        #expect(problem.file == LogFormat.indexName(base: base))
        #expect(problem.reason.contains("no blocks"))
    }

    @Test func anIntactIndexCoveringAPrefixOfItsSegmentPasses() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let all = records(300, vms: 12)
        let log = try FileLog.create(at: path, options: LogOptions(segmentBytes: 8 << 20, blockBytes: 1 << 10, sync: .none))
        _ = try log.append(Array(all[0..<150]))
        log.close()
        // Appended after the index was written: the index covers the first blocks only.
        let more = try FileLog.open(at: path, options: LogOptions(segmentBytes: 8 << 20, blockBytes: 1 << 10, sync: .none))
        _ = try more.append(Array(all[150...]))
        let report = try FileLog.verify(directory: path)
        #expect(report.isIntact)
        more.close()
        #expect(try FileLog.verify(directory: path).isIntact)
    }
}
