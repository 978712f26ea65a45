import Foundation
import JSONLines
import LogStore
import PostgresLog
import EventLog
import SharedLog
import Testing

/// `import --to postgres://…`: the shared log holds what a local import appends, once.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct SharedImportTests {
    static let sample = TestDatabase.root + "/Fixtures/demo/sample-history.jsonl"

    static func importFile(_ path: String, into location: SharedLogLocation) async throws -> ImportReport {
        let db = try await SharedLogConnection.connect(location, forWriting: true)
        do {
            let report = try await onThread { try SharedEventImporter(connection: db).importFile(path) }
            await db.close()
            return report
        } catch {
            await db.close()
            throw error
        }
    }

    static func write(_ lines: [String]) -> String {
        let path = Shell.temporaryDirectory() + "/in.jsonl"
        try! lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func reimportingAppendsNothing() async throws {
        let location = try await TestDatabase.fresh()
        let first = try await Self.importFile(Self.sample, into: location)
        #expect(first.appended == 29 && first.duplicates == 0)
        let again = try await Self.importFile(Self.sample, into: location)
        #expect(again.appended == 0 && again.duplicates == 29)
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        #expect(try await db.highWaterMark() == 29)
        await db.close()
    }

    @Test func sharedRecordsAreTheLocalImportsRecords() async throws {
        let location = try await TestDatabase.fresh()
        _ = try await Self.importFile(Self.sample, into: location)
        let local = InMemoryLog()
        _ = try Importer(log: HotpatchLog(store: local)).importFile(Self.sample)
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        let shared = try await db.records(after: 0, limit: 1000)
        await db.close()
        #expect(shared == (try local.readAll()))
    }

    @Test func sameIDWithOtherContentFailsNamingBothAndAppendsNothing() async throws {
        let location = try await TestDatabase.fresh()
        _ = try await Self.importFile(Self.sample, into: location)
        let line4 = try String(contentsOfFile: Self.sample, encoding: .utf8).split(separator: "\n")[3]
        let changed = line4.replacingOccurrences(of: "Z\"", with: ".5Z\"")
        let other = #"{"id":"fresh-1","type":"vm.power","vm":"web-01","state":"Running","time":"2025-06-01T00:00:00Z"}"#
        let path = Self.write([other, String(line4), changed])
        await #expect {
            _ = try await Self.importFile(path, into: location)
        } throws: { error in
            let text = "\(error)"
            return text.contains(":3:") && text.contains("sequence 4") && text.contains("this input has")
        }
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        #expect(try await db.highWaterMark() == 29)
        await db.close()
    }

    @Test func aBadLineAppendsNothing() async throws {
        let location = try await TestDatabase.fresh()
        let good = #"{"id":"p-1","type":"vm.power","vm":"web-01","state":"Running","time":"2025-06-01T00:00:00Z"}"#
        let path = Self.write([good, #"{"id":"p-2","type":"vm.power","vm":"web-01","state":"Sleeping","time":"2025-06-01T00:00:00Z"}"#])
        await #expect(throws: EventInputError.self) { _ = try await Self.importFile(path, into: location) }
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        #expect(try await db.highWaterMark() == 0)
        await db.close()
    }

    @Test func anIDTwiceInOneInputWithOtherContentNamesBothLines() async throws {
        let location = try await TestDatabase.fresh()
        let a = #"{"id":"p-1","type":"vm.power","vm":"web-01","state":"Running","time":"2025-06-01T00:00:00Z"}"#
        let b = #"{"id":"p-1","type":"vm.power","vm":"web-01","state":"Stopped","time":"2025-06-01T00:00:00Z"}"#
        await #expect {
            _ = try await Self.importFile(Self.write([a, a, b]), into: location)
        } throws: { "\($0)".contains(":3:") && "\($0)".contains("line 1") }
    }

    @Test func aVMSpeltTwoWaysIsOneStreamNamedAsFirstWritten() async throws {
        let location = try await TestDatabase.fresh()
        let a = #"{"id":"p-1","type":"vm.power","vm":"Web-01","state":"Running","time":"2025-06-01T00:00:00Z"}"#
        let b = #"{"id":"p-2","type":"vm.power","vm":"WEB-01","state":"Stopped","time":"2025-06-02T00:00:00Z"}"#
        _ = try await Self.importFile(Self.write([a]), into: location)
        _ = try await Self.importFile(Self.write([b]), into: location)
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        let records = try await db.records(after: 0, limit: 10)
        await db.close()
        #expect(records.map(\.stream) == ["vm:Web-01", "vm:Web-01"])
    }
}
