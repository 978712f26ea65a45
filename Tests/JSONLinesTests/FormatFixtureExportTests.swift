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

    /// Logs whose indexes are layout 1 (`Fixtures/index-layout1`: patchlog at commit
    /// 679166a, the defined streams front-coded in number order) and layout 2
    /// (`Fixtures/index-layout2`: 0ca9448, sorted streams, varint block lists) export
    /// what they held when written, VM by VM as well as whole, without their indexes
    /// being rebuilt.
    @Test(arguments: ["index-layout1", "index-layout2"])
    func anOlderIndexedLogExportsWhatItHeld(fixture: String) throws {
        let fixtures = TestSupport.fixture(fixture)
        let expected = try String(contentsOfFile: fixtures + "/event-log.jsonl", encoding: .utf8)
        let store = try FileLog.open(at: fixtures + "/event-log", access: .reader)
        #expect(store.recovery.rebuiltIndexes.isEmpty)
        let log = HotpatchLog(store: store)
        var out = ""
        try Exporter(log: log).export(format: .jsonl, filter: ExportFilter()) { out += $0 }
        #expect(out == expected)
        let lines = expected.split(separator: "\n")
        let vm = "/subscriptions/6a2f1c1e-8a4d-4f0e-9c7b-000000000000/resourceGroups/rg-app-0/providers/Microsoft.Compute/virtualMachines/vm00017"
        var one = ""
        try Exporter(log: log).export(format: .jsonl, filter: ExportFilter(vm: vm)) { one += $0 }
        let want = lines.filter { $0.contains("\"vm\":\"\(vm)\"") }
        #expect(!want.isEmpty)
        #expect(one.split(separator: "\n") == want)
    }
}
