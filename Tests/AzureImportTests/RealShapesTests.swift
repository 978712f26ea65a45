@testable import AzureImport
import Answers
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

/// Issue 14, points 2–6 and 9–12, and issue 15 point 6.
@Suite struct RealShapesMoreTests {
    static let web01 = AzureFixture.web01

    @Test func azVMGetInstanceViewRecordsItsSummariesNotOnlyTheRegistration() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("az-vm-get-instance-view.json"))
        let types = try f.events().map(\.type)
        #expect(types.contains(.vmRegistered) && types.contains(.install) && types.contains(.assessment))
    }

    @Test func resourceGraphRunsWithoutTheNameColumnAreKeyedByTheirStartAndOverlapWithoutConflict() throws {
        let f = AzureFixture()
        #expect(try f.importing(AzureFixture.shape("rg-assessment-no-name-day1.json")).appended == 1)
        let day2 = try f.importing(AzureFixture.shape("rg-assessment-no-name-day2.json"))
        #expect(day2.appended == 1 && day2.conflicts.isEmpty)
        // The same run exported with its name column: the same fact, not a second copy.
        let named = try f.importing(AzureFixture.shape("rg-assessment-with-name-day1.json"))
        #expect(named.appended == 0 && named.conflicts.isEmpty)
        #expect(try f.events().filter { $0.type == .assessment }.count == 2)
    }

    @Test func rowsProjectedToIdAndPropertiesAndTheAsyncOperationResultAreRead() throws {
        let f = AzureFixture()
        #expect(try f.importing(AzureFixture.shape("rg-install-projected.json")).appended == 1)
        let g = AzureFixture()
        #expect(try g.importing(AzureFixture.shape("async-operation-install.json"), vm: Self.web01).appended == 1)
        // Both are the same run as the CLI's output.
        #expect(try f.events().map(\.body) == g.events().map(\.body))
    }

    @Test func azPowerShellAssessmentOutputListsItsPatches() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("ps-assessment.json"), vm: Self.web01)
        guard case let .assessment(a) = try #require(try f.only(.assessment)).body else { Issue.record("no assessment"); return }
        #expect(a.available.map(\.kb) == [KB("KB5053636")!] && a.status == .succeeded)
    }

    @Test func aDatedFeatureRegistrationIsKeptAfterAnUndatedOneInEitherOrder() throws {
        for order in [["az-feature-show.json", "feature-registration-dated.json"], ["feature-registration-dated.json", "az-feature-show.json"]] {
            let f = AzureFixture()
            for file in order { #expect(try f.importing(AzureFixture.shape(file)).conflicts.isEmpty) }
            let dated = try f.events().filter { $0.type == .featureRegistration }.map(\.time)
            #expect(dated.contains(.at("2024-11-02T09:30:00Z")), "\(order)")
        }
        // Undated after dated tells nothing new: nothing appended.
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("feature-registration-dated.json"))
        #expect(try f.importing(AzureFixture.shape("az-feature-show.json")).appended == 0)
    }

    @Test func theSameRunFromRESTAndResourceGraphIsNoConflictAndARealConflictGivesBothValues() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("assess-rest-same-run.json"), vm: Self.web01)
        let graph = try f.importing(AzureFixture.shape("rg-assessment-with-name-day1.json"))
        #expect(graph.appended == 0 && graph.conflicts.isEmpty && graph.alreadyKnown.count + graph.duplicates == 1)
        try f.importing(AzureFixture.shape("rg-install-started-by-user.json"))
        let changed = try f.importing(AzureFixture.shape("rg-install-changed.json"))
        #expect(changed.appended == 0 && changed.conflicts.count == 1)
        let text = changed.conflicts[0].description
        #expect(text.contains("patches differs") && text.contains(#""state":"Installed""#) && text.contains(#""state":"Failed""#))
    }

    @Test func aHotpatchInstalledThroughRESTIsEffectiveAtInstallWhicheverFileCameFirst() throws {
        for order in [true, false] {
            let f = AzureFixture()
            let rest = { try f.importing(AzureFixture.shape("cli-install-patches-hotpatch.json"), vm: Self.web01) }
            let graph = { try f.importing(AzureFixture.shape("rg-install-started-by-user.json")) }
            if order { try rest(); try graph() } else { try graph(); try rest() }
            let rows = try Replayer(log: f.log).installs(of: KB("KB5053636")!)
            #expect(rows.count == 1 && rows[0].effectiveAt == rows[0].installedAt, "REST first: \(order)")
            #expect(try f.events().filter { $0.type == .install }.count == 1)
        }
    }

    @Test func messagesSayWhatTheFileIs() throws {
        let f = AzureFixture()
        let empty = try f.importing(AzureFixture.shape("rg-empty.json"))
        #expect(empty.appended == 0 && empty.notes.contains { $0.contains("data is an empty list") })
        #expect(try f.importing(AzureFixture.shape("install-utf8-bom.json"), vm: Self.web01).appended == 1)
        let g = AzureFixture()
        let utf16 = try g.importing(AzureFixture.shape("install-utf16le.json"), vm: Self.web01)
        #expect(utf16.appended == 1 && utf16.notes.contains { $0.contains("UTF-16") })
        // The kept payload is the file's own bytes.
        #expect(utf16.source == RawPayloadStore.name(of: AzureFixture.bytes(AzureFixture.shape("install-utf16le.json"))))
        let table = try #require(throws: AzureImportError.self) { try f.importing(AzureFixture.shape("az-table.txt")) }
        #expect(table.description.contains("this is a table (az … -o table"))
        let tsv = try #require(throws: AzureImportError.self) { try f.importing(AzureFixture.shape("az-tsv.txt")) }
        #expect(tsv.description.contains("tab-separated text (az … -o tsv)"))
    }

    @Test func aGalleryImageVMIsImportedAndAUniformScaleSetIsRecognised() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("vm-gallery-image-uniform.json"))
        let event = try #require(try f.only(.vmRegistered))
        guard case let .vmRegistered(r) = event.body else { return }
        #expect(r.image.publisher == "CustomImage" && r.image.offer == "ws2022-hardened" && r.image.version == "1.4.0")
        #expect(r.orchestration == .vmssUniform && r.platform == .azure)
        #expect(AzureFixture.extra(event, "imageId")?.hasSuffix("/galleries/corpGallery/images/ws2022-hardened/versions/1.4.0") == true)
        #expect(try !Replayer(log: f.log).supportedImage(Replayer(log: f.log).state(ofVM: event.vm!, at: .at("2027-01-01"))))
    }

    @Test func anArcMachineOnHCIKeepsItsPlatformAndIsEnrolledFromItsLicencesEnrollmentDate() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.shape("arc-hci-license-profile.json"))
        let event = try #require(try f.only(.vmRegistered))
        guard case let .vmRegistered(r) = event.body else { return }
        #expect(r.platform == .azureStackHCI && event.time == .at("2025-03-20T12:00:00Z"))
        let enrolled = try #require(try f.only(.vmHotpatch))
        #expect(enrolled.body == .vmHotpatch(enabled: true) && enrolled.time == .at("2025-01-12T09:30:00Z"))
        let state = try Replayer(log: f.log).state(ofVM: event.vm!, at: .at("2025-02-01"))
        #expect(state.hotpatchEnabled)
        #expect(QueryOutput.stateJSON(state, at: .at("2025-02-01"), supportedImage: false, asRecorded: nil).contains(#""arc":true"#))
        #expect(try f.importing(AzureFixture.shape("arc-hci-license-profile.json")).appended == 0)
    }
}
