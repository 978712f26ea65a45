import Answers
import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import TestSupport
import Testing

/// Each rule of docs/events.md has a fixture of its own in Fixtures/replay: `NAME.jsonl`
/// (the events, in append order) and `NAME.expect.jsonl` (queries and the exact
/// JSON answer the contract requires).
@Suite struct RuleFixtureTests {
    static let directory = TestSupport.fixture("replay")

    static let fixtures: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".expect.jsonl") }
        .map { String($0.dropLast(".jsonl".count)) }
        .sorted()

    @Test func everyRuleHasAFixture() {
        #expect(Self.fixtures.count >= 10)
    }

    @Test(arguments: fixtures)
    func fixtureAnswersAsTheContractSays(name: String) throws {
        for store in [InMemoryLog() as any LogStore, try FileLog.create(at: NSTemporaryDirectory() + "patchlog-fixture-\(UUID().uuidString)", options: LogOptions(sync: .none))] {
            let log = HotpatchLog(store: store)
            _ = try Importer(log: log).importFile(Self.directory + "/\(name).jsonl")
            let expectations = try String(contentsOfFile: Self.directory + "/\(name).expect.jsonl", encoding: .utf8)
            for (n, line) in expectations.split(separator: "\n").enumerated() {
                let q = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let asRecorded = (q["asRecorded"] as? Int).map(UInt64.init)
                let images = try (q["supportedImages"] as? String).map { try SupportedImages(parsing: $0, source: "fixture") } ?? .defaultList
                let replayer = Replayer(log: log, supportedImages: images)
                let actual: String
                switch q["query"] as! String {
                case "state":
                    let at = try Timestamp(parsing: q["at"] as! String)
                    let state = try replayer.state(ofVM: q["vm"] as! String, at: at, asRecorded: asRecorded ?? .max)
                    actual = QueryOutput.stateJSON(state, at: at, supportedImage: replayer.supportedImage(state), asRecorded: asRecorded)
                case "when":
                    let at = try (q["at"] as? String).map { try Timestamp(parsing: $0) }
                    actual = QueryOutput.whenJSON(try replayer.installs(of: KB(q["kb"] as! String)!, at: at, asRecorded: asRecorded ?? .max))
                default:
                    Issue.record("unknown query in \(name) line \(n + 1)")
                    continue
                }
                let got = TestSupport.canonical(try JSONSerialization.jsonObject(with: Data(actual.utf8), options: .fragmentsAllowed))
                #expect(got == TestSupport.canonical(q["expect"]!), "\(name).expect.jsonl line \(n + 1)")
            }
        }
    }
}
