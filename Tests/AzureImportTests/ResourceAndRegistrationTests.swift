@testable import AzureImport
import Events
import LogStore
import Replay
import Testing

/// VM and Arc machine resources, features and providers → events.
@Suite struct ResourceAndRegistrationTests {
    @Test func aHotpatchVMCreateRegistersTheVMWithItsPatchSettingsAndImage() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("VirtualMachine_Create_WindowsVmWithPatchSettingModeOfAutomaticByPlatformAndEnableHotPatchingTrue.json"))
        let event = try #require(try f.only(.vmRegistered))
        #expect(event.vm == "/subscriptions/{subscription-id}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM")
        #expect(event.body == .vmRegistered(VMRegistration(
            subscription: "{subscription-id}",
            image: ImageReference(publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2016-Datacenter", version: "latest"),
            platform: .azure, patchMode: .automaticByPlatform, hotpatch: true)))
        // No time in the payload: the time it was observed, and the event says so.
        #expect(event.time == AzureFixture.observedAt && AzureFixture.extra(event, "timeObserved") == "true")
        // The sample's 2016 image is not a Hotpatch image: the supported list decides, not the import.
        #expect(try !Replayer(log: f.log).supportedImage(Replayer(log: f.log).state(ofVM: event.vm!, at: .at("2027-01-01"))))
    }

    @Test func everyVMCreateSampleGivesItsPatchModeAndAssessmentMode() throws {
        let cases: [(String, PatchMode, Bool, String?)] = [
            ("VirtualMachine_Create_WindowsVmWithPatchSettingModeOfManual.json", .manual, false, nil),
            ("VirtualMachine_Create_WindowsVmWithPatchSettingModeOfAutomaticByOS.json", .automaticByOS, false, nil),
            ("VirtualMachine_Create_WindowsVmWithPatchSettingModesOfAutomaticByPlatform.json", .automaticByPlatform, false, "AutomaticByPlatform"),
            ("VirtualMachine_Create_WindowsVmWithAutomaticByPlatformSettings.json", .automaticByPlatform, false, "AutomaticByPlatform"),
        ]
        for (file, mode, hotpatch, assessmentMode) in cases {
            let f = AzureFixture()
            try f.importing(AzureFixture.sample(file))
            let event = try #require(try f.only(.vmRegistered), "\(file)")
            guard case let .vmRegistered(r) = event.body else { continue }
            #expect(r.patchMode == mode && r.hotpatch == hotpatch, "\(file)")
            #expect(AzureFixture.extra(event, "assessmentMode") == assessmentMode, "\(file)")
        }
    }

    @Test func eachSnapshotIsARegistrationAtItsObservationTimeAndTheSameSnapshotAgainAddsNothing() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.variant("vm-get-hotpatch-on.json"))
        let registered = try #require(try f.only(.vmRegistered))
        // No time of its own: observed at the import, timeCreated kept as an added member.
        #expect(registered.time == AzureFixture.observedAt && AzureFixture.extra(registered, "timeObserved") == "true")
        #expect(AzureFixture.extra(registered, "timeCreated") == "2025-02-01T09:15:42.123456700Z")
        guard case let .vmRegistered(r) = registered.body else { return }
        #expect(r.hotpatch && r.timezone == "W. Europe Standard Time" && r.image.sku == "2022-datacenter-azure-edition-hotpatch")
        // The same VM, its id in other cases, enrolment turned off: a second registration.
        let off = try f.importing(AzureFixture.variant("vm-get-hotpatch-off.json"))
        #expect(off.appended == 1)
        #expect(try f.importing(AzureFixture.variant("vm-get-hotpatch-off.json")).appended == 0)
        // The older snapshot again is the same observation: nothing new, and it does not win (issue 14, point 2).
        let again = try f.importing(AzureFixture.variant("vm-get-hotpatch-on.json"))
        #expect(again.appended == 0 && again.conflicts.isEmpty)
        let state = try Replayer(log: f.log).state(ofVM: AzureFixture.web01, at: .at("2027-01-01"))
        #expect(state.registered && !state.hotpatchEnabled && Replayer(log: f.log).supportedImage(state))
        #expect(f.log.vms.count == 1)
    }

    @Test func snapshotsWithObservationTimesGiveTheLaterOneWhateverTheImportOrder() throws {
        let on = AzureFixture.variant("vm-get-hotpatch-on.json"), off = AzureFixture.variant("vm-get-hotpatch-off.json")
        let times = [on: Timestamp.at("2025-06-01"), off: Timestamp.at("2025-07-01")]
        for order in [[on, off, on], [off, on, off], [on, on, off]] {
            let f = AzureFixture()
            for file in order {
                var importer = f.importer()
                importer.observedAt = times[file]!
                importer.observedAtGiven = true
                _ = try importer.importFile(file)
            }
            #expect(f.log.store.count == 2, "\(order)")
            let replayer = Replayer(log: f.log)
            #expect(try replayer.state(ofVM: AzureFixture.web01, at: .at("2025-06-15")).hotpatchEnabled, "\(order)")
            #expect(try !replayer.state(ofVM: AzureFixture.web01, at: .at("2025-08-01")).hotpatchEnabled, "\(order)")
            #expect(try !replayer.state(ofVM: AzureFixture.web01, at: .at("2025-05-01")).registered, "\(order)")
        }
    }

    @Test func aVMWhoseHistoryDoesNotReadIsAnItemErrorNamingTheVMAndTheRecordNotANewRegistration() throws {
        let f = AzureFixture()
        // A record in web-01's stream that is not a readable event (there is no event type 15).
        try f.log.store.append(NewRecord(time: 0, stream: "vm:" + AzureFixture.web01, id: "unreadable", payload: [0x2F]))
        let error = try #require(throws: AzureImportError.self) { try f.importing(AzureFixture.variant("vm-get-hotpatch-on.json")) }
        #expect(error.description.contains("the log's history does not read"))
        #expect(error.description.contains("record 1 (id \"unreadable\") is not a readable event"))
        #expect(f.log.store.count == 1 && f.sources.store.count == 0)
    }

    @Test func anArcMachineRegistersUnderItsHybridComputeId() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("Machines_CreateOrUpdate.json"))
        let event = try #require(try f.only(.vmRegistered))
        #expect(event.vm == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/providers/Microsoft.HybridCompute/machines/myMachine")
        guard case let .vmRegistered(r) = event.body else { return }
        #expect(r.hotpatch && r.patchMode == .imageDefault && r.image.publisher == "HybridCompute")
        #expect(AzureFixture.extra(event, "arc") == "true")
    }

    @Test func aLinuxVMIsIgnoredWithANote() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.variant("vm-linux.json"))
        #expect(report.appended == 0 && report.notes.contains { $0.contains("Linux") })
    }

    @Test func featuresMapTheirStatesAndTakeTheSubscriptionFromTheIdOrTheRequest() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("getFeature.json"))
        #expect(try f.only(.featureRegistration)?.body == .featureRegistration(FeatureRegistration(
            subscription: "subid", feature: "Resource Provider Namespace/Feature1", state: .registered)))
        let list = AzureFixture()
        #expect(try list.importing(AzureFixture.sample("listProviderFeatures.json")).appended == 2)
        #expect(try list.events().map(\.body) == [
            .featureRegistration(FeatureRegistration(subscription: "subid", feature: "Resource Provider Namespace/Feature1", state: .registered)),
            .featureRegistration(FeatureRegistration(subscription: "subid", feature: "Resource Provider Namespace/Feature2", state: .notRegistered)),
        ])
        #expect(try AzureFixture().importing(AzureFixture.sample("listSubscriptionFeatures.json")).appended == 2)
        #expect(try AzureFixture().importing(AzureFixture.sample("registerFeature.json")).appended == 1)
        let put = AzureFixture()
        try put.importing(AzureFixture.sample("SubscriptionFeatureRegistrationPUT.json"))
        let pending = try #require(try put.only(.featureRegistration))
        #expect(pending.body == .featureRegistration(FeatureRegistration(
            subscription: "00000000-1111-2222-3333-444444444444", feature: "Microsoft.TestRP/testFeature", state: .registering)))
        #expect(pending.time == .at("2020-02-26T01:57:51.734777Z") && AzureFixture.extra(pending, "azureState") == "Pending")
        // The GET of the same registration is the same fact: kept once.
        let get = try put.importing(AzureFixture.sample("SubscriptionFeatureRegistrationGET.json"))
        #expect(get.appended == 0 && put.log.store.count == 1)
    }

    @Test func providersRecordTheirStateAndAnEmptyRegisterResponseIsANote() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("GetProvider.json"))
        let event = try #require(try f.only(.providerRegistration))
        #expect(event.body == .providerRegistration(ProviderRegistration(
            subscription: "00000000-0000-0000-0000-000000000000", namespace: "Microsoft.TestRP1", state: .registering)))
        #expect(event.time == AzureFixture.observedAt)
        let empty = try f.importing(AzureFixture.sample("RegisterProviders.json"))
        #expect(empty.appended == 0 && empty.notes.contains { $0.contains("empty body") })
    }

    @Test func maintenancePayloadsAreNamedAsNotImported() throws {
        for file in ["ApplyUpdates_CreateOrUpdate.json", "ApplyUpdates_GetParent.json", "ApplyUpdates_List.json",
                     "MaintenanceConfigurations_GetForResource_GuestOSPatchWindows.json", "Updates_List.json"] {
            let f = AzureFixture()
            let error = try #require(throws: AzureImportError.self, "\(file)") { try f.importing(AzureFixture.sample(file)) }
            #expect(error.file.hasSuffix(file) && error.description.contains("expected an AssessPatches"), "\(file)")
            #expect(f.log.store.count == 0 && f.sources.store.count == 0)
        }
    }
}
