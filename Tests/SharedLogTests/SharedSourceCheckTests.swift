import Foundation
import JSONLines
import PostgresLog
import Testing

/// A JSON Lines event that cites a kept Azure payload goes into the shared log only
/// when the shared log keeps that payload, as locally: else a synced copy would fail
/// `verify`.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct SharedSourceCheckTests {
    @Test func anEventCitingAPayloadTheSharedLogDoesNotKeepIsRefusedNamingLineAndField() async throws {
        let location = try await TestDatabase.fresh()
        let name = "sha256:" + String(repeating: "ab", count: 32)
        let file = SharedImportTests.write([
            #"{"id":"s-1","type":"vm.power","vm":"web-01","state":"Stopped","time":"2025-06-01T00:00:00Z"}"#,
            #"{"id":"s-2","type":"vm.power","vm":"web-01","state":"Running","time":"2025-06-02T00:00:00Z","source":"\#(name)"}"#,
        ])
        do {
            _ = try await SharedImportTests.importFile(file, into: location)
            Issue.record("an event citing a payload nobody kept went in")
        } catch let error as EventInputError {
            #expect(error.line == 2 && error.field == "source" && error.message.contains(name), "\(error)")
        }
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        defer { Task { await db.close() } }
        #expect(try await db.highWaterMark() == 0)
    }

    @Test func eventsExportedFromACopyCitingKeptPayloadsGoBackIn() async throws {
        let location = try await TestDatabase.fresh()
        let url = "\(location)"
        let dir = Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let azure = try await SharedAzureImportTests.importing("VirtualMachine_InstallPatches.json", into: location)
        #expect(azure.appended > 0)
        #expect(Shell.run(Shell.patchlog, ["sync", "--from", url, "--log", dir + "/copy"]).status == 0)
        let exported = Shell.run(Shell.patchlog, ["export", "--log", dir + "/copy", "--format", "jsonl", "--out", dir + "/out.jsonl"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let text = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8)
        #expect(text.contains("\"source\":\"sha256:"))
        let again = try await SharedImportTests.importFile(dir + "/out.jsonl", into: location)
        #expect(again.appended == 0 && again.duplicates == azure.appended)
    }
}
