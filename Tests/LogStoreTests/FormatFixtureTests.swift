import Foundation
import Testing
@testable import LogStore
import TestSupport

/// Logs written by an earlier build stay readable: `Fixtures/format2/raw-log` was
/// written by patchlog at commit 4fd8e6c (format 2, before block layout 2: ids
/// front-coded, payloads whole, a `.ids` file per segment), two segments (the second
/// with a dictionary), ids of every shape. `raw-log.records.tsv` lists what it holds:
/// sequence, time in nanoseconds, stream, id, payload.
@Suite struct FormatFixtureTests {
    static let fixtures = TestSupport.fixture("format2")

    static func expected() throws -> [StoredRecord] {
        let text = try String(contentsOfFile: fixtures + "/raw-log.records.tsv", encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let f = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            return StoredRecord(sequence: UInt64(f[0])!, time: Int64(f[1])!, stream: f[2], id: f[3], payload: Array(f[4].utf8))
        }
    }

    /// A copy of the fixture log (opening as the writer may change files).
    static func copy(into dir: TemporaryDirectory) -> String {
        let path = dir.at("log")
        copyDirectory(fixtures + "/raw-log", to: path)
        return path
    }

    @Test func aFormat2LogReadsBackEveryRecord() throws {
        let dir = TemporaryDirectory()
        let path = Self.copy(into: dir)
        let expected = try Self.expected()
        #expect(expected.count == 189)
        let log = try FileLog.open(at: path, access: .reader)
        #expect(log.recovery.rebuiltIndexes.isEmpty)
        #expect(try log.readAll() == expected)
        for stream in Set(expected.map(\.stream)) {
            #expect(try log.read(stream: stream) == expected.filter { $0.stream == stream })
        }
        for r in expected.prefix(40) { #expect(try log.read(r.sequence...r.sequence) == [r]) }
        let report = try FileLog.verify(directory: path)
        #expect(report.problem == nil)
        #expect(report.records == 189)
    }

    @Test func aFormat2LogTakesNewBlocksAndReadsBackBoth() throws {
        let dir = TemporaryDirectory()
        let path = Self.copy(into: dir)
        let expected = try Self.expected()
        let more = SampleRecords.make(count: 300, vms: 7, seed: 9, idPrefix: "more")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".ids") }.count == 2)
        do {
            let log = try FileLog.open(at: path)
            // The fingerprint files of builds before block flag bit 2 are removed:
            // the fingerprints are read from the blocks.
            #expect(try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".ids") }.isEmpty)
            // The same records again are no-ops; new ones are appended after them.
            let again = try log.append(expected.map(\.unsequenced))
            #expect(again == expected.map { .duplicate($0.sequence) })
            _ = try log.append(more)
        }
        let log = try FileLog.open(at: path, access: .reader)
        let all = try log.readAll()
        #expect(Array(all.prefix(189)) == expected)
        #expect(all.dropFirst(189).map(\.unsequenced) == more)
        #expect(try FileLog.verify(directory: path).problem == nil)
    }
}
