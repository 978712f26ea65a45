import EventLog
import Events
import Foundation
@testable import JSONLines
import LogStore
import Replay
import TestSupport
import Testing
import TextFormats

@Suite struct ExportTests {
    static let fixtures = TestSupport.fixtures

    func importing(_ paths: [String]) throws -> HotpatchLog {
        let log = HotpatchLog(store: InMemoryLog())
        for p in paths { _ = try Importer(log: log).importFile(p) }
        return log
    }

    func export(_ log: HotpatchLog, _ format: ExportFormat, _ filter: ExportFilter = ExportFilter()) throws -> String {
        var out = ""
        try Exporter(log: log).export(format: format, filter: filter) { out += $0 }
        return out
    }

    @Test func jsonlExportReimportsToALogThatAnswersEveryQueryTheSame() throws {
        let inputs = ["demo/sample-history.jsonl", "replay/late-events-count.jsonl", "replay/baseline-and-rollback.jsonl",
                      "replay/when-at.jsonl", "replay/vm-case-insensitive.jsonl", "import/extra-members.jsonl"].map { Self.fixtures + "/" + $0 }
        let original = try importing(inputs)
        let text = try export(original, .jsonl)
        let path = NSTemporaryDirectory() + "patchlog-export-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let copy = try importing([path])
        #expect(copy.store.count == original.store.count)
        #expect(try export(copy, .jsonl) == text)
        let a = Replayer(log: original), b = Replayer(log: copy)
        for day in stride(from: 1, through: 120, by: 7) {
            let at = Timestamp(nanoseconds: 1_735_689_600_000_000_000 + Int64(day) * 86_400_000_000_000)
            for n in [UInt64(5), 20, .max] {
                #expect(try a.fleet(at: at, asRecorded: n) == b.fleet(at: at, asRecorded: n))
                for vm in original.vms { #expect(try a.state(ofVM: vm, at: at, asRecorded: n) == b.state(ofVM: vm, at: at, asRecorded: n)) }
                for kb in [KB(5_050_003), KB(5_002_000), KB(777)] {
                    #expect(try a.installs(of: kb, at: at, asRecorded: n) == b.installs(of: kb, at: at, asRecorded: n))
                }
            }
        }
    }

    @Test func unlistedMembersAndFullPrecisionTimesSurviveExport() throws {
        let text = try export(try importing([Self.fixtures + "/import/extra-members.jsonl"]), .jsonl)
        #expect(text == #"{"id":"x1","type":"reboot","time":"2025-01-01T00:00:00.123456700Z","vm":"vm-a","reason":"Manual","status":"Completed","ticket":"CHG-1234","operator":{"name":"Ana","team":"ops"}}"# + "\n")
    }

    @Test func csvQuotesAsRFC4180AndDefusesFormulas() throws {
        let csv = try export(try importing([Self.fixtures + "/import/formula-cells.jsonl"]), .csv)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "sequence,time,type,vm,event_id,kb,patch_kind,patch_state,classifications,reboot_behavior,status,reboot_status,trigger,activity_id,detail")
        #expect(lines[1] == #"1,2025-01-01T00:00:00Z,vm.registered,"'@vm, ""quoted""","'=HYPERLINK(""http://x"")",,,,,,,,,,'+p/o/s; Azure; Manual; hotpatch off"#)
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(CSVWriter.field("-1") == "'-1")
        #expect(CSVWriter.field("\tx") == "'\tx")
        #expect(CSVWriter.field("a\nb") == "\"a\nb\"")
        #expect(CSVWriter.field("plain") == "plain")
    }

    @Test func csvHasOneRowPerEventAndPatch() throws {
        let log = try importing([Self.fixtures + "/replay/kind-and-reboot-rules.jsonl"])
        let csv = try export(log, .csv).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        // header + 2 releases + registration + 5 patches of one install + reboot
        #expect(csv.count == 1 + 2 + 1 + 5 + 1)
        #expect(csv.filter { $0.contains(",install,") }.count == 5)
    }

    @Test func filtersNarrowByVMKBTypeAndTime() throws {
        let log = try importing([Self.fixtures + "/replay/baseline-and-rollback.jsonl"])
        func ids(_ f: ExportFilter) throws -> [String] {
            try export(log, .jsonl, f).split(separator: "\n").map { String($0.split(separator: "\"")[3]) }
        }
        #expect(try ids(ExportFilter(vm: "VM-B")) == ["b-i1", "b-rb", "b-r1"])
        #expect(try ids(ExportFilter(kb: KB(5_000_000))) == ["r-b0", "b-rb"])
        #expect(try ids(ExportFilter(type: .reboot)) == ["a-r1", "a-r2", "a-r3", "b-r1"])
        #expect(try ids(ExportFilter(since: try Timestamp(parsing: "2025-03-20"), until: try Timestamp(parsing: "2025-03-20T23:59:59Z"))) == ["a-rb", "a-r3"])
        #expect(try ids(ExportFilter(vm: "no-such-vm")).isEmpty)
        let csv = try export(log, .csv, ExportFilter(kb: KB(5_002_000)))
        #expect(!csv.contains("KB5001000"))
    }
}

@Suite struct ChunkedExportTests {
    /// An export formats chunks of records two at a time; the output must be that of
    /// one pass in order, whatever the chunk size and filter.
    @Test func chunksAreWrittenInOrderAndMakeTheSameOutput() throws {
        let inputs = ["demo/sample-history.jsonl", "replay/baseline-and-rollback.jsonl", "replay/when-at.jsonl", "replay/late-events-count.jsonl"]
            .map { ExportTests.fixtures + "/" + $0 }
        let log = try ExportTests().importing(inputs)
        for format in [ExportFormat.csv, .jsonl] {
            for filter in [ExportFilter(), ExportFilter(type: .install), ExportFilter(since: Timestamp(nanoseconds: 1_740_000_000_000_000_000))] {
                var outputs: [String] = []
                for size: UInt64 in [1, 2, 3, 7, 16_384] {
                    var exporter = Exporter(log: log)
                    exporter.chunkSize = size
                    var out = ""
                    try exporter.export(format: format, filter: filter) { out += $0 }
                    outputs.append(out)
                }
                #expect(Set(outputs).count == 1, "\(format) \(filter)")
                #expect(outputs[0].utf8.split(separator: 10).count > 10)
            }
        }
    }
}

@Suite struct KeyedExportTests {
    /// Installs and rollbacks of one KB are read through the store's key index; the
    /// answer must be the rows of that type and KB in the export of the whole log (a
    /// plain scan), read back with an independent CSV reader.
    @Test func installsOfOneKBThroughTheKeyIndexEqualAFullScan() throws {
        let inputs = ["demo/sample-history.jsonl", "replay/baseline-and-rollback.jsonl", "replay/when-at.jsonl"].map { ExportTests.fixtures + "/" + $0 }
        let log = try ExportTests().importing(inputs)
        let all = TestSupport.csvRows(try ExportTests().export(log, .csv))
        let header = all[0]
        let type = header.firstIndex(of: "type")!, kbColumn = header.firstIndex(of: "kb")!
        let kbs = Set(all.dropFirst().filter { $0[type] == "install" }.map { $0[kbColumn] })
        #expect(kbs.count >= 3)
        for kb in kbs {
            for eventType in [EventType.install, .rollback] {
                let keyed = TestSupport.csvRows(try ExportTests().export(log, .csv, ExportFilter(kb: KB(kb)!, type: eventType)))
                let scanned = [header] + all.dropFirst().filter { $0[type] == eventType.name && $0[kbColumn] == kb }
                #expect(keyed == scanned, "\(kb) \(eventType)")
                // Handed on after every event, the output and the count are the same.
                var exporter = Exporter(log: log)
                exporter.flushBytes = 1
                var out = ""
                let count = try exporter.export(format: .csv, filter: ExportFilter(kb: KB(kb)!, type: eventType)) { out += $0 }
                #expect(TestSupport.csvRows(out) == keyed)
                #expect(count == keyed.count - 1, "\(kb) \(eventType): one row per event")
                if eventType == .install { #expect(keyed.count > 1, "\(kb)") }
            }
        }
    }
}

@Suite struct OneVMExportTests {
    /// One VM's events are read through its stream (only the blocks holding them) when
    /// many records follow `after`; the answer must be what a scan of the log gives,
    /// and that VM's lines of the whole log's export, whatever the other filters, in
    /// both formats and through ``Exporter/forEachEvent(filter:_:)``, in a log of many
    /// small blocks and segments.
    @Test func aVMsEventsThroughItsStreamEqualAScan() throws {
        let dir = NSTemporaryDirectory() + "patchlog-vm-export-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileLog.create(at: dir + "/log", options: LogOptions(segmentBytes: 8192, blockBytes: 512, sync: .none))
        defer { store.close() }
        let log = HotpatchLog(store: store)
        for name in ["demo/sample-history.jsonl", "replay/baseline-and-rollback.jsonl", "replay/when-at.jsonl", "replay/late-events-count.jsonl"] {
            _ = try Importer(log: log).importFile(ExportTests.fixtures + "/" + name)
        }
        func exporter(stream: Bool) -> Exporter {
            var e = Exporter(log: log)
            e.vmScanLimit = stream ? 0 : .max
            return e
        }
        func lines(_ format: ExportFormat, _ filter: ExportFilter, stream: Bool) throws -> [Substring] {
            var out = ""
            try exporter(stream: stream).export(format: format, filter: filter) { out += $0 }
            return out.split(separator: "\n")
        }
        func events(_ filter: ExportFilter, stream: Bool) throws -> [String] {
            var out: [String] = []
            try exporter(stream: stream).forEachEvent(filter: filter) { sequence, event in out.append("\(sequence) \(event.id)") }
            return out
        }
        let vms = log.vms
        #expect(vms.count >= 4)
        let march = try Timestamp(parsing: "2025-03-01")
        var compared = 0
        for vm in vms {
            var filters = [ExportFilter(vm: vm), ExportFilter(vm: vm, type: .install), ExportFilter(vm: vm, since: march),
                           ExportFilter(vm: vm, until: march), ExportFilter(vm: vm.uppercased()), ExportFilter(vm: vm, after: 20)]
            filters[5].through = 60
            for filter in filters {
                for format in [ExportFormat.jsonl, .csv] {
                    let scanned = try lines(format, filter, stream: false)
                    #expect(try lines(format, filter, stream: true) == scanned, "\(filter) \(format)")
                }
                #expect(try events(filter, stream: true) == (try events(filter, stream: false)), "\(filter) events")
            }
            // And the scan agrees with the whole log's lines of that VM.
            let whole = try lines(.jsonl, ExportFilter(), stream: false).filter { $0.contains("\"vm\":\"\(vm)\"") }
            #expect(try lines(.jsonl, ExportFilter(vm: vm), stream: true) == whole, "\(vm)")
            compared += whole.count
        }
        #expect(compared > 30)
    }
}
