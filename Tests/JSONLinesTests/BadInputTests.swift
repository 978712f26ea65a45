import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import TestSupport
import Testing

/// Every kind of bad input line, with the exact message a user reads.
@Suite struct BadInputTests {
    static let t = "\"time\":\"2025-01-01T00:00:00Z\""

    static let cases: [(String, String?, String)] = [
        ("{\"id\":\"a\",\"type\":\"vm.sleep\",\(t)}", "type",
         "expected one of feature.registration, provider.registration, release, vm.registered, vm.hotpatch, vm.power, assessment, install, reboot, rollback, supported.images, got \"vm.sleep\""),
        ("{\"id\":\"a\",\"type\":\"reboot\",\(t),\"vm\":\"v\",\"reason\":\"Manual\"}", "status", "missing (reboot events have one)"),
        ("{\"id\":\"a\",\"type\":\"reboot\",\"time\":\"2025-02-30T00:00:00Z\",\"vm\":\"v\",\"reason\":\"Manual\",\"status\":\"Completed\"}", "time",
         "\"2025-02-30T00:00:00Z\" is not an RFC 3339 time (day 30); expected e.g. 2025-02-19T02:13:45Z or 2025-02-19"),
        ("{\"id\":\"a\",\"type\":\"reboot\",\"time\":\"2025-01-01T00:00:00\",\"vm\":\"v\",\"reason\":\"Manual\",\"status\":\"Completed\"}", "time",
         "\"2025-01-01T00:00:00\" is not an RFC 3339 time (missing offset (Z or ±HH:MM)); expected e.g. 2025-02-19T02:13:45Z or 2025-02-19"),
        ("{\"id\":\"a\",\"type\":\"reboot\",\"time\":1735689600,\"vm\":\"v\",\"reason\":\"Manual\",\"status\":\"Completed\"}", "time",
         "expected an RFC 3339 time string, got 1735689600"),
        ("{\"id\":\"a\",\"type\":\"reboot\",\(t),\"vm\":\"v\",\"reason\":\"Whim\",\"status\":\"Completed\"}", "reason",
         "expected one of Baseline, Update, Rollback, Manual, Unplanned, got \"Whim\""),
        ("{\"id\":\"a\",\"type\":\"release\",\(t),\"kb\":\"KBx1\",\"kind\":\"hotpatch\",\"classifications\":[]}", "kb",
         "expected \"KB\" followed by digits, or digits alone, got \"KBx1\""),
        ("{\"id\":\"a\",\"type\":\"install\",\(t),\"vm\":\"v\",\"activityId\":\"x\",\"trigger\":\"Platform\",\"status\":\"Succeeded\",\"rebootStatus\":\"NotNeeded\",\"patches\":[{\"kb\":\"KB1\",\"classifications\":[],\"state\":\"Installed\"},{\"kb\":\"5034129a\",\"classifications\":[],\"state\":\"Installed\"}]}",
         "patches[1].kb", "expected \"KB\" followed by digits, or digits alone, got \"5034129a\""),
        ("{\"id\":\"a\",\"type\":\"vm.power\",\(t),\"state\":\"Running\"}", "vm", "missing (vm.power events belong to a VM)"),
        ("{\"id\":\"\(String(repeating: "x", count: 129))\",\"type\":\"vm.power\",\(t),\"vm\":\"v\",\"state\":\"Running\"}", "id",
         "expected 1 to 128 characters, got 129"),
        ("{\"type\":\"vm.power\",\(t),\"vm\":\"v\",\"state\":\"Running\"}", "id", "missing (every event has one)"),
        ("{\"id\":\"a\",\"type\":\"vm.registered\",\(t),\"vm\":\"v\",\"subscription\":\"s\",\"image\":{\"publisher\":\"p\",\"offer\":\"o\",\"sku\":\"s\"},\"platform\":\"Azure\",\"patchMode\":\"Manual\",\"hotpatch\":\"yes\"}",
         "hotpatch", "expected true or false, got \"yes\""),
        ("{\"id\":\"a\",\"type\":\"vm.registered\",\(t),\"vm\":\"v\",\"subscription\":\"s\",\"image\":{\"publisher\":\"p\",\"offer\":\"o\"},\"platform\":\"Azure\",\"patchMode\":\"Manual\",\"hotpatch\":true}",
         "image.sku", "missing (an image has one)"),
        ("{\"id\":\"a\",\"type\":\"vm.power\",\(t),\"vm\":\"v\",\"state\":\"Running\",\"state\":\"Stopped\"}", "state", "appears more than once"),
        ("{\"id\":\"a\",\"type\":\"vm.power\",", nil, "not valid JSON: column 29: expected a member name in double quotes"),
        ("[1,2]", nil, "expected a JSON object"),
        ("{\"id\":\"a\",\"type\":\"vm.power\",\(t),\"vm\":\"v\",\"state\":\"Running\"} trailing", nil, "not valid JSON: column 87: unexpected text after the JSON value"),
    ]

    @Test(arguments: cases.indices)
    func badLineIsRefusedNamingFieldAndExpectation(index: Int) {
        let (line, field, message) = Self.cases[index]
        let bytes = Array(line.utf8)
        #expect(throws: EventInputError(field: field, message: message)) {
            _ = try EventJSONDecoder().decode(bytes, range: 0..<bytes.count)
        }
    }

    static let fixtures = TestSupport.fixtures

    @Test func aBadLineLeavesTheLogUnchangedAndNamesFileAndLine() throws {
        let store = InMemoryLog()
        let log = HotpatchLog(store: store)
        _ = try Importer(log: log).importFile(Self.fixtures + "/demo/sample-history.jsonl")
        let before = try store.readAll()
        let path = Self.fixtures + "/import/good-then-bad.jsonl"
        #expect(throws: EventInputError(line: 4, field: "state", message: "expected one of Running, Deallocated, Stopped, got \"Sleeping\"", file: path)) {
            _ = try Importer(log: log).importFile(path)
        }
        #expect(try store.readAll() == before)
    }

    @Test func aBadLineInAFileLogTakesBackWholeBatchesAcrossSegments() throws {
        let dir = NSTemporaryDirectory() + "patchlog-bad-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var lines = (0..<3000).map { "{\"id\":\"p\($0)\",\"type\":\"vm.power\",\"time\":\"2025-01-01T00:00:00Z\",\"vm\":\"vm-\($0 % 50)\",\"state\":\"Running\"}" }
        lines.append("{\"id\":\"bad\",\"type\":\"vm.power\",\"time\":\"2025-01-01T00:00:00Z\",\"vm\":\"v\",\"state\":\"Off\"}")
        try lines.joined(separator: "\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let store = try FileLog.create(at: dir + "/log", options: LogOptions(segmentBytes: 2048, blockBytes: 512, sync: .none))
        var importer = Importer(log: HotpatchLog(store: store))
        importer.batchSize = 100
        #expect(throws: EventInputError.self) { _ = try importer.importFile(dir + "/in.jsonl") }
        #expect(store.count == 0)
        store.close()
        let reopened = try FileLog.open(at: dir + "/log", access: .reader)
        #expect(reopened.count == 0)
        #expect(try FileLog.verify(directory: dir + "/log").isIntact)
    }

    /// Issue 13, item 3: while an import runs, a reader (and so `checkpoint`) sees
    /// none of its batches; it used to see each one as it was appended, although the
    /// import, whose last line conflicts, was then taken back.
    @Test func aReaderDuringAnImportWhoseLastLineConflictsSeesNoneOfItsBatches() throws {
        let dir = NSTemporaryDirectory() + "patchlog-visible-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let line = { (i: Int, state: String) in "{\"id\":\"p\(i)\",\"type\":\"vm.power\",\"time\":\"2025-01-01T00:00:00Z\",\"vm\":\"vm-\(i % 50)\",\"state\":\"\(state)\"}" }
        try (0..<10).map { line($0, "Running") }.joined(separator: "\n").write(toFile: dir + "/first.jsonl", atomically: true, encoding: .utf8)
        // 500 new events, then one reusing p3 with other content.
        try ((10..<510).map { line($0, "Running") } + [line(3, "Stopped")]).joined(separator: "\n")
            .write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let store = try FileLog.create(at: dir + "/log", options: LogOptions(segmentBytes: 2048, blockBytes: 512, sync: .none))
        _ = try Importer(log: HotpatchLog(store: store)).importFile(dir + "/first.jsonl")
        var importer = Importer(log: HotpatchLog(store: store))
        importer.batchSize = 100
        var seen: [UInt64] = []
        #expect(throws: EventInputError.self) {
            _ = try importer.importFile(dir + "/in.jsonl") { _ in
                seen.append((try? FileLog.open(at: dir + "/log", access: .reader).count) ?? 999)
            }
        }
        #expect(seen == [10, 10, 10, 10, 10])
        #expect(store.count == 10)
        store.close()
        #expect(try FileLog.open(at: dir + "/log", access: .reader).count == 10)
    }

    /// Issue 13, item 8: invalid UTF-8 in a member events.md does not list was stored
    /// with U+FFFD in its place (the evidence silently changed). It is refused, naming
    /// the file, line and member.
    @Test func invalidUTF8InAnUnlistedMemberIsRefusedNamingTheField() throws {
        let dir = NSTemporaryDirectory() + "patchlog-utf8-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let head = Array(#"{"id":"a","type":"vm.power","time":"2025-06-01T00:00:00Z","vm":"web-01","state":"Stopped","#.utf8)
        let message = "is not valid UTF-8 text (kept members are stored as written, so they must be)"
        for (member, field) in [(Array(#""note":"bad "#.utf8) + [0xFF, 0xFE] + Array(#" here"}"#.utf8), "note"),
                                (Array(#""ticket":{"ref":"x"#.utf8) + [0xC3] + Array(#""}}"#.utf8), "ticket")] {
            let path = dir + "/\(field).jsonl"
            let good = Array(#"{"id":"ok","type":"vm.power","time":"2025-06-01T00:00:00Z","vm":"web-01","state":"Running","note":"fine"}"#.utf8)
            FileManager.default.createFile(atPath: path, contents: Data(good + [0x0A] + head + member + [0x0A]))
            let store = InMemoryLog()
            #expect(throws: EventInputError(line: 2, field: field, message: message, file: path)) {
                _ = try Importer(log: HotpatchLog(store: store)).importFile(path)
            }
            #expect(store.count == 0)
        }
    }

    @Test func reusedIDWithOtherContentIsRefusedNamingTheLine() throws {
        let store = InMemoryLog()
        let path = Self.fixtures + "/import/conflicting-id.jsonl"
        #expect(throws: EventInputError(line: 2, field: "id", message: "\"same\" appears earlier in this input with different content", file: path)) {
            _ = try Importer(log: HotpatchLog(store: store)).importFile(path)
        }
        #expect(store.count == 0)
        let log = HotpatchLog(store: store)
        _ = try log.append([Event(id: "same", time: try Timestamp(parsing: "2025-01-01"), vm: "vm-a", body: .vmPower(.deallocated))])
        #expect(throws: EventInputError(line: 1, field: "id", message: "\"same\" is already in the log (sequence 1) with different content", file: path)) {
            _ = try Importer(log: log).importFile(path)
        }
    }

    @Test func reimportingTheSameFileAppendsNothing() throws {
        let store = InMemoryLog()
        let log = HotpatchLog(store: store)
        let path = Self.fixtures + "/demo/sample-history.jsonl"
        let first = try Importer(log: log).importFile(path)
        let second = try Importer(log: log).importFile(path)
        #expect(first.appended == 29 && first.duplicates == 0)
        #expect(second.appended == 0 && second.duplicates == 29)
        #expect(store.count == 29)
    }

    /// The import reads and decodes on one thread while another appends: the error a
    /// user reads is still the first in line order, whichever thread found it.
    @Test func theFirstBadLineInFileOrderIsNamedWhicheverThreadFindsIt() throws {
        let dir = NSTemporaryDirectory() + "patchlog-order-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func power(_ id: String, _ state: String) -> String {
            "{\"id\":\"\(id)\",\"type\":\"vm.power\",\"time\":\"2025-01-01T00:00:00Z\",\"vm\":\"vm-1\",\"state\":\"\(state)\"}"
        }
        // A conflict found by the appending thread (line 7) before a line the reading
        // thread refuses (line 300); then the bad line alone.
        var lines = (0..<400).map { power("p\($0)", "Running") }
        lines[6] = power("p0", "Stopped")
        lines[299] = power("bad", "Off")
        try lines.joined(separator: "\n").write(toFile: dir + "/both.jsonl", atomically: true, encoding: .utf8)
        lines[6] = power("p6", "Running")
        try lines.joined(separator: "\n").write(toFile: dir + "/late.jsonl", atomically: true, encoding: .utf8)
        let store = InMemoryLog()
        var importer = Importer(log: HotpatchLog(store: store))
        importer.batchSize = 3
        #expect(throws: EventInputError(line: 7, field: "id", message: "\"p0\" appears earlier in this input with different content", file: dir + "/both.jsonl")) {
            _ = try importer.importFile(dir + "/both.jsonl")
        }
        #expect(throws: EventInputError(line: 300, field: "state", message: "expected one of Running, Deallocated, Stopped, got \"Off\"", file: dir + "/late.jsonl")) {
            _ = try importer.importFile(dir + "/late.jsonl")
        }
        #expect(store.count == 0)
        lines[299] = power("p299", "Running")
        try lines.joined(separator: "\n").write(toFile: dir + "/good.jsonl", atomically: true, encoding: .utf8)
        let report = try importer.importFile(dir + "/good.jsonl")
        #expect(report.appended == 400 && report.lines == 400)
        #expect(try store.readAll().map(\.id) == (0..<400).map { "p\($0)" })
    }
}
