import EventLog
import Foundation
@testable import JSONLines
import LogStore
import Replay
import TestSupport
import Testing

/// An event log written by an earlier build (`Fixtures/format2/event-log`: patchlog at
/// commit 4fd8e6c, format 2 before block layout 2, a simulated fleet of six VMs with
/// GUID activity ids, opaque ids and late events, imported in two runs) exports to the
/// JSON Lines it was imported from, byte for byte.
@Suite struct FormatFixtureExportTests {
    static let fixtures = TestSupport.fixture("format2")

    @Test func aFormat2EventLogExportsWhatWasImported() throws {
        let dir = NSTemporaryDirectory() + "patchlog-format2-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Self.fixtures + "/event-log", toPath: dir)
        let expected = try String(contentsOfFile: Self.fixtures + "/event-log.jsonl", encoding: .utf8)
        func exported() throws -> String {
            let store = try FileLog.open(at: dir, access: .reader)
            var out = ""
            try Exporter(log: HotpatchLog(store: store)).export(format: .jsonl, filter: ExportFilter()) { out += $0 }
            return out
        }
        #expect(try exported() == expected)
        // Importing it again through a writer appends nothing, and changes nothing.
        do {
            let store = try FileLog.open(at: dir)
            let path = dir + "/../format2-\(UUID().uuidString).jsonl"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try expected.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Importer(log: HotpatchLog(store: store)).importFile(path)
            #expect(store.count == 198)
            _ = result
        }
        #expect(try exported() == expected)
    }
}
