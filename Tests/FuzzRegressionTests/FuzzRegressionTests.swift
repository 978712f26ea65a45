import Foundation
import FuzzTargets
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
