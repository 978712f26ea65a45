import EventLog
import Events
import Evidence
import Foundation
@testable import FuzzTargets
import LogStore
import Replay
import Testing
import TestSupport
import JSONLines

/// Every input a fuzzer once crashed on (`Fixtures/fuzz/<target>/`, named after what
/// it found) and every seed runs through its target again: a crash fixed stays fixed.
@Suite struct FuzzRegressionTests {
    static let fixtures = TestSupport.fixture("fuzz")

    /// The files in `Fixtures/fuzz/<directory>`, sorted (none if it does not exist).
    static func files(_ directory: String) -> [String] {
        let path = fixtures + "/" + directory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    /// Every target has regression inputs, each runs through its target without a
    /// crash, and each (all malformed, see `Fixtures/fuzz/README.md`) is refused with
    /// an error by the code it once crashed or was written against.
    @Test("crashing inputs found by fuzzing no longer crash", arguments: FuzzTarget.allCases)
    func crashingInputsNoLongerCrash(_ target: FuzzTarget) throws {
        let files = Self.files(target.name)
        #expect(!files.isEmpty, "Fixtures/fuzz/\(target.name) holds no regression input")
        for path in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            target.run(bytes, everything: true)
            #expect(try Self.isRefused(target, bytes, path: path), "\(path) was accepted")
        }
    }

    /// Whether the code under `target` refuses `bytes` (the file at `path`) with an error.
    static func isRefused(_ target: FuzzTarget, _ bytes: [UInt8], path: String) throws -> Bool {
        switch target {
        case .eventCodec:
            return (try? EventCodec.decode(bytes[...], id: "regression", time: Timestamp(nanoseconds: 0), vm: "vm")) == nil
        case .jsonlImport:
            return (try? Importer(log: HotpatchLog(store: InMemoryLog())).importFile(path)) == nil
        case .evidenceText:
            let text = String(decoding: bytes, as: UTF8.self)
            return (try? Checkpoint(text: text, file: path)) == nil && (try? InclusionProof(text: text, file: path)) == nil
                && (try? ConsistencyProof(text: text, file: path)) == nil
        case .recordReader where bytes.starts(with: Array("PLOGIDX".utf8)):
            // The bytes as the index of the template's segment: verify does not load
            // it (damaged: rebuilt when the log is next opened) or finds it lies.
            let directory = NSTemporaryDirectory() + "patchlog-fuzz-regression-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let template = RecordReaderTarget.template
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let segment = directory + "/" + RecordReaderTarget.segmentName(base: 1)
            try Data(template.identity).write(to: URL(fileURLWithPath: directory + "/LOG"))
            try Data(template.segment).write(to: URL(fileURLWithPath: segment))
            try Data(bytes).write(to: URL(fileURLWithPath: String(segment.dropLast(4)) + ".idx"))
            let report = try FileLog.verify(directory: directory)
            return report.problem != nil || report.notes.contains { $0.contains(".idx: damaged") }
        case .recordReader:
            // The bytes as the only segment of a new log: verify finds damage.
            let directory = NSTemporaryDirectory() + "patchlog-fuzz-regression-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileLog.create(at: directory, options: LogOptions(sync: .none)).close()
            let base = bytes.count >= 20 ? bytes[12..<20].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : 1
            let digits = String(base)
            let name = String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".seg"
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
            return (try? FileLog.verify(directory: directory))?.problem != nil
        }
    }

    @Test("seed inputs run through their target", arguments: FuzzTarget.allCases)
    func seedsRun(_ target: FuzzTarget) throws {
        let seeds = FuzzSeeds.seeds(for: target)
        #expect(!seeds.isEmpty)
        for seed in seeds { target.run(seed.bytes, everything: true) }
        for path in Self.files("seeds/" + target.name) {
            target.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))), everything: true)
        }
    }

    @Test("the regression fixtures are there to run")
    func fixturesExist() {
        #expect(Self.files("seeds/event-codec").count > 0)
    }
}

/// Issue 13, item 9: the record reader's checksum fixup made the chain links of
/// stored blocks only, so a mutated compressed block stopped at its link and the
/// decoders behind it were fuzzed less. It makes them for compressed blocks too.
@Suite struct ChecksumFixupTests {
    @Test func theFixupRedoesTheChainLinksOfCompressedBlocks() {
        let template = RecordReaderTarget.template
        let logID = Array(template.identity[12..<28])
        var broken = template.segment
        var offset = 36 + ChecksumFixup.u32(broken, 28) + 4
        var compressed = 0
        while offset + 56 <= broken.count {
            if broken[offset + 1] & 1 == 1 { compressed += 1 }
            for i in (offset + 20)..<(offset + 52) { broken[i] = 0 }
            offset += 56 + ChecksumFixup.u32(broken, offset + 8) + 4
        }
        #expect(compressed > 0)
        #expect(broken != template.segment)
        #expect(ChecksumFixup.segment(broken, logID: logID) == template.segment)
    }
}

/// Issue 13, item 9: the record reader runs on every fuzz input; the other readers
/// and the writer (several times its cost) on a sample chosen by the input's CRC,
/// so that a replay of an input runs what the fuzzer ran.
@Suite struct RecordReaderSamplingTests {
    @Test func otherReadersOnOneInputInEightAndTheWriterOnOneInThirtyTwo() {
        var others = 0, writer = 0, wrong = 0
        for n in 0..<32_768 {
            let bytes = withUnsafeBytes(of: UInt32(n).littleEndian) { Array($0) }
            let paths = RecordReaderTarget.paths(bytes)
            let again = RecordReaderTarget.paths(bytes)
            // The writer's inputs are among the others'; the choice is the same each time.
            if paths.writer && !paths.others { wrong += 1 }
            if again.others != paths.others || again.writer != paths.writer { wrong += 1 }
            if paths.others { others += 1 }
            if paths.writer { writer += 1 }
        }
        #expect(wrong == 0)
        #expect((3_600...4_600).contains(others))
        #expect((800...1_250).contains(writer))
    }
}
