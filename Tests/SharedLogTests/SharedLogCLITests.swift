import Foundation
import PostgresLog
import Testing

/// The commands, as a user runs them: import into the shared log, sync, then the
/// local commands on the copy.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct SharedLogCLITests {
    @Test func importSyncAndVerifyTheCopy() async throws {
        let location = try await TestDatabase.fresh()
        let url = "\(location)"
        let dir = Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let imported = Shell.run(Shell.patchlog, ["import", "--to", url, SharedImportTests.sample])
        #expect(imported.status == 0 && imported.stdout.contains("29 events appended"), "\(imported.stderr)")
        let azure = Shell.run(Shell.patchlog, ["import", "--from", "azure", "--to", url, "--observed-at", "2026-01-15T12:00:00Z",
                                               SharedAzureImportTests.samples + "VirtualMachine_AssessPatches.json"])
        #expect(azure.status == 0, "\(azure.stderr)")
        let synced = Shell.run(Shell.patchlog, ["sync", "--from", url, "--log", dir + "/copy"])
        #expect(synced.status == 0 && synced.stdout.contains("records appended"), "\(synced.stderr)")
        let verify = Shell.run(Shell.patchlog, ["verify", "--log", dir + "/copy"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let fleet = Shell.run(Shell.patchlog, ["fleet", "--log", dir + "/copy", "--at", "2025-12-31"])
        #expect(fleet.status == 0 && fleet.stdout.contains("web-01"), "\(fleet.stdout) \(fleet.stderr)")
        let raw = Shell.run(Shell.patchlog, ["show", "--log", dir + "/copy", "--seq", "30", "--raw"])
        #expect(raw.status == 0, "\(raw.stderr)")
        let again = Shell.run(Shell.patchlog, ["sync", "--from", url, "--log", dir + "/copy"])
        #expect(again.stdout.contains(" 0 records appended"), "\(again.stdout)")
    }

    @Test func anUnreachableServerIsNamed() {
        let r = Shell.run(Shell.patchlog, ["import", "--to", "postgres://postgres@127.0.0.1:1/x", SharedImportTests.sample])
        #expect(r.status == 1 && r.stderr.contains("127.0.0.1:1"), "\(r.stderr)")
    }
}
