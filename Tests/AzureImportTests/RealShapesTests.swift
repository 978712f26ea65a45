@testable import AzureImport
import Events
import LogStore
import Replay
import Testing

/// The shapes Azure's own tools write (issue 14, "What was seen"), one test per point.
@Suite struct RealShapesTests {
    static let web01 = AzureFixture.web01

    @Test func aUserStartedInstallWithAnEmptyMaintenanceRunIdIsOnDemandInRESTAndInResourceGraph() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("cli-install-patches-hotpatch.json"), vm: Self.web01)
        guard case let .install(rest) = try #require(try f.only(.install)).body else { Issue.record("not an install"); return }
        #expect(rest.trigger == .onDemand)
        #expect(AzureFixture.extra(try #require(try f.only(.install)), "maintenanceRunId") == nil)
        let g = AzureFixture()
        try g.importing(AzureFixture.shape("rg-install-started-by-user.json"))
        guard case let .install(graph) = try #require(try g.only(.install)).body else { Issue.record("not an install"); return }
        #expect(graph.trigger == .onDemand)
    }

    @Test func aCountGivenAsAStringIsRefusedNamingItsPath() throws {
        let f = AzureFixture()
        let error = try #require(throws: AzureImportError.self) {
            try f.importing(AzureFixture.shape("install-count-as-string.json"), vm: Self.web01)
        }
        #expect(error.description.contains("installedPatchCount: expected a whole number, got"))
        #expect(f.log.store.count == 0)
    }

    @Test func anUnfinishedAssessmentThatListsNothingLeavesWhatIsMissing() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("assess-succeeded-one-missing.json"), vm: Self.web01)
        let report = try f.importing(AzureFixture.shape("assess-in-progress-empty.json"), vm: Self.web01)
        #expect(report.appended == 0)
        #expect(report.notes.contains { $0.contains("InProgress and lists nothing") })
        #expect(report.notes.contains { $0.contains("Failed and lists nothing") })
        let state = try Replayer(log: f.log).state(ofVM: Self.web01, at: .at("2025-03-22"))
        #expect(state.missing == [KB("KB5053636")!])
    }
}
