import AzureImport
import Events
import Foundation
import LogStore
import PostgresLog
import EventLog
import SharedLog
import Testing

/// `import --from azure --to postgres://…`: the events and the kept payload in the
/// shared log, as a local import makes them.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct SharedAzureImportTests {
    static let samples = TestDatabase.root + "/Fixtures/azure/samples/"
    static let observedAt = try! Timestamp(parsing: "2026-01-15T12:00:00Z")

    static func importing(_ name: String, into location: SharedLogLocation) async throws -> AzureImportReport {
        let db = try await SharedLogConnection.connect(location, forWriting: true)
        defer { Task { await db.close() } }
        return try await onThread {
            try SharedAzureImporter(connection: db) { log, sources in AzureImporter(log: log, sources: sources, observedAt: observedAt) }
                .importFile(samples + name)
        }
    }

    @Test func anAzurePayloadGoesInOnceWithItsPayloadKept() async throws {
        let location = try await TestDatabase.fresh()
        let first = try await Self.importing("VirtualMachine_InstallPatches.json", into: location)
        #expect(first.appended > 0 && first.rejected.isEmpty)
        let again = try await Self.importing("VirtualMachine_InstallPatches.json", into: location)
        #expect(again.appended == 0)
        _ = try await Self.importing("VirtualMachine_AssessPatches.json", into: location)

        // The same files imported locally give the same records and payloads.
        let local = HotpatchLog(store: InMemoryLog())
        let localSources = RawPayloadStore(store: InMemoryLog())
        for name in ["VirtualMachine_InstallPatches.json", "VirtualMachine_InstallPatches.json", "VirtualMachine_AssessPatches.json"] {
            _ = try AzureImporter(log: local, sources: localSources, observedAt: Self.observedAt).importFile(Self.samples + name)
        }
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        let shared = try await db.records(after: 0, limit: 1000)
        let sharedSources = try await db.sources(after: 0, limit: 100)
        await db.close()
        #expect(shared == (try local.store.readAll()))
        #expect(sharedSources.map(\.id) == (try localSources.store.readAll().map(\.id)))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.samples + "VirtualMachine_InstallPatches.json")))
        #expect(sharedSources.first?.payload == bytes)
    }
}
