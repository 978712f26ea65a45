import EventLog
import Foundation
import JSONLines
import LogStore
import TestSupport
import Testing

/// `Importer.importBytes` (what the jsonl-import fuzz target calls) does what
/// `importFile` does with the same lines: same report, same log, same errors.
@Suite struct ImportBytesTests {
    static let fixtures = TestSupport.fixtures

    @Test func bytesImportLikeTheFile() throws {
        let path = Self.fixtures + "/demo/sample-history.jsonl"
        let fromFile = InMemoryLog()
        let fromBytes = InMemoryLog()
        let fileReport = try Importer(log: HotpatchLog(store: fromFile)).importFile(path)
        var importer = Importer(log: HotpatchLog(store: fromBytes))
        importer.batchSize = 16
        let bytesReport = try importer.importBytes(Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: "sample")
        #expect(bytesReport == fileReport)
        #expect(try fromBytes.readAll() == fromFile.readAll())
    }

    @Test func aBadLateLineTakesBackEveryBatchAndNamesTheLine() throws {
        let path = Self.fixtures + "/import/good-then-bad.jsonl"
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let store = InMemoryLog()
        var importer = Importer(log: HotpatchLog(store: store))
        importer.batchSize = 1
        #expect(throws: EventInputError(line: 4, field: "state", message: "expected one of Running, Deallocated, Stopped, got \"Sleeping\"", file: "in memory")) {
            _ = try importer.importBytes(bytes, name: "in memory")
        }
        #expect(store.count == 0)
    }
}
