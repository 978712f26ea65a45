import Foundation
@testable import FuzzTargets
import Testing

/// Every input a fuzzer once crashed on (`Fixtures/fuzz/<target>/`, named after what
/// it found) and every seed runs through its target again: a crash fixed stays fixed.
@Suite struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz").path

    /// The files in `Fixtures/fuzz/<directory>`, sorted (none if it does not exist).
    static func files(_ directory: String) -> [String] {
        let path = fixtures + "/" + directory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    @Test("crashing inputs found by fuzzing no longer crash", arguments: FuzzTarget.allCases)
    func crashingInputsNoLongerCrash(_ target: FuzzTarget) throws {
        for path in Self.files(target.name) {
            target.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
    }

    @Test("seed inputs run through their target", arguments: FuzzTarget.allCases)
    func seedsRun(_ target: FuzzTarget) throws {
        let seeds = FuzzSeeds.seeds(for: target)
        #expect(!seeds.isEmpty)
        for seed in seeds { target.run(seed.bytes) }
        for path in Self.files("seeds/" + target.name) {
            target.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
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
