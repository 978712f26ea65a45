@testable import AzureImport
import Events
import LogStore
import Replay
import Testing

/// REST payloads (x-ms-examples documents and bare bodies) → events.
@Suite struct RESTPayloadTests {
    @Test func assessPatchesResultBecomesAnAssessmentWithKBsClassificationsRebootBehaviourAndPublishedDates() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.sample("VirtualMachine_AssessPatches.json"))
        #expect(report.appended == 1 && report.rejected.isEmpty)
        let event = try #require(try f.only(.assessment))
        #expect(event.vm == "/subscriptions/{subscription-id}/resourceGroups/myResourceGroupName/providers/Microsoft.Compute/virtualMachines/myVMName")
        #expect(event.time == .at("2020-04-24T21:02:04.2556154Z"))
        #expect(event.id.hasPrefix("azure:assessment:") && event.id.hasSuffix(":" + PatchResultConverter.runKey(event.time)))
        guard case let .assessment(a) = event.body else { Issue.record("not an assessment"); return }
        #expect(a.activityId == "68f8b292-dfc2-4646-9781-33cc88631968")
        #expect(a.status == .succeeded && a.rebootPending && a.trigger == .onDemand)
        #expect(a.available == [
            AvailablePatch(kb: KB("KB890830")!, classifications: ["UpdateRollup"], rebootBehavior: .canRequestReboot),
            AvailablePatch(kb: KB("KB2267602")!, classifications: ["Definition"], rebootBehavior: .neverReboots),
        ])
        #expect(event.extra?.contains(#""published":{"KB2267602":"2018-11-07T00:00:00Z","KB890830":"2018-11-07T00:00:00Z"}"#) == true)
        #expect(AzureFixture.extra(event, "source") == RawPayloadStore.name(of: AzureFixture.bytes(AzureFixture.sample("VirtualMachine_AssessPatches.json"))))
    }

    @Test func timesKeepAzuresSevenFractionalDigits() throws {
        let t = Timestamp.at("2020-04-24T21:02:04.2556154Z")
        #expect(t.nanoseconds % 1_000_000_000 == 255_615_400)
        #expect(Timestamp.at("2020-11-19T02:36:43.0539904+00:00").nanoseconds % 1_000_000_000 == 53_990_400)
        #expect(t.description == "2020-04-24T21:02:04.255615400Z")
    }

    @Test func installPatchesResultBecomesAnInstallAndACompletedRebootBecomesARebootEvent() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("VirtualMachine_InstallPatches.json"))
        let event = try #require(try f.only(.install))
        guard case let .install(i) = event.body else { Issue.record("not an install"); return }
        #expect(i.status == .succeeded && i.rebootStatus == .completed && i.maintenanceWindowExceeded == false)
        #expect(i.patches == [
            InstalledPatch(kb: KB("890830")!, classifications: ["UpdateRollup"], state: .pending),
            InstalledPatch(kb: KB("2267602")!, classifications: ["Definition"], state: .installed),
        ])
        // The request's classifications; its name masks are not KB lists (they stay in the raw payload).
        #expect(i.request == InstallRequest(classificationsToInclude: ["Critical", "Security"]))
        #expect(AzureFixture.extra(event, "patchCounts") == #"{"excluded":0,"failed":0,"installed":3,"notSelected":0,"pending":2}"#)
        let reboot = try #require(try f.only(.reboot))
        #expect(reboot.body == .reboot(Reboot(reason: .update, status: .completed)))
        #expect(reboot.vm == event.vm && reboot.time == event.time)
    }

    @Test func installRequestKBListsAreMappedAndUnknownStatesBecomeUnknownWithANote() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.variant("install-request-kbs.json"))
        guard case let .install(i) = try #require(try f.only(.install)).body else { Issue.record("not an install"); return }
        #expect(i.request == InstallRequest(classificationsToInclude: ["Critical", "Security", "UpdateRollup"],
                                            kbsToInclude: [KB("5058500")!, KB("5058411")!], kbsToExclude: [KB("5000001")!]))
        #expect(i.patches.map(\.state) == [.excluded, .unknown, .failed, .installed])
        #expect(i.status == .failed && i.rebootStatus == .notNeeded && i.maintenanceWindowExceeded == true)
        #expect(report.notes.contains { $0.contains("patches[3].installationState") && $0.contains("Superseded") })
        #expect(try f.only(.reboot) == nil)
    }

    @Test func aMinimalInstallBodyNeedsTheVMAndKeepsAzuresStatusWhenItIsNotAnEventsStatus() throws {
        let f = AzureFixture()
        #expect(throws: AzureImportError.self) { try f.importing(AzureFixture.variant("install-body-minimal.json")) }
        #expect(f.log.store.count == 0)
        try f.importing(AzureFixture.variant("install-body-minimal.json"), vm: AzureFixture.web01)
        let event = try #require(try f.only(.install))
        guard case let .install(i) = event.body else { return }
        #expect(i.status == .unknown && i.rebootStatus == .unknown && i.maintenanceWindowExceeded == nil && i.request == nil && i.patches.isEmpty)
        #expect(AzureFixture.extra(event, "azureStatus") == "InProgress")
        #expect(event.vm == AzureFixture.web01)
    }

    @Test func linuxPatchesAreIgnoredWithANoteAndUnknownClassificationsAreKeptAsWritten() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.variant("assess-body-mixed.json"), vm: AzureFixture.web01)
        guard case let .assessment(a) = try #require(try f.only(.assessment)).body else { return }
        #expect(a.available.map(\.kb) == [KB("5058500")!, KB("5099998")!])
        #expect(a.available[1].classifications == ["Drivers"] && a.available[1].rebootBehavior == nil)
        #expect(report.notes.contains { $0.contains("availablePatches[1]") && $0.contains("libssl3") && $0.contains("no kbId") })
        #expect(report.notes.contains { $0.contains("\"Drivers\"") })
    }

    @Test func a202AcceptedWithoutABodyRecordsNothingAndSaysSo() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.variant("install-202-only.json"))
        #expect(report.appended == 0 && report.items.count == 1 && report.source == nil)
        #expect(report.notes.contains { $0.contains("202 Accepted") })
        #expect(f.log.store.count == 0 && f.sources.store.count == 0)
    }

    @Test func arcResultsUseTheHybridComputeIdAndCountsWithoutListsAreANote() throws {
        let f = AzureFixture()
        let assess = try f.importing(AzureFixture.sample("Machine_AssessPatches.json"))
        #expect(assess.appended == 0)
        #expect(assess.notes.contains { $0.contains("counts 2 available patches but does not list them") })
        try f.importing(AzureFixture.sample("Machine_InstallPatches.json"))
        let install = try #require(try f.only(.install))
        #expect(install.vm == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroupName/providers/Microsoft.HybridCompute/machines/myMachineName")
        guard case let .install(i) = install.body else { return }
        #expect(i.trigger == .onDemand && i.patches.isEmpty && i.request?.classificationsToInclude == ["Critical", "Security"])
        let reboot = try #require(try f.only(.reboot))
        #expect(reboot.time == .at("2021-08-22T02:16:06.974Z"))
    }

    @Test func instanceViewRecordsTheInstallSummaryAndNotesTheUnlistedAssessment() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.sample("VirtualMachine_Get_InstanceView.json"))
        let event = try #require(try f.only(.install))
        #expect(event.id.hasPrefix("azure:install-summary:68f8b292-dfc2-4646-9981-33cc88631968:"))
        #expect(event.vm == "/subscriptions/{subscription-id}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM")
        #expect(AzureFixture.extra(event, "patchCounts") == #"{"excluded":1,"failed":1,"installed":1,"notSelected":1,"pending":1}"#)
        #expect(try f.only(.assessment) == nil)
        #expect(report.notes.contains { $0.contains("availablePatchSummary") && $0.contains("counts 3") })
    }
}
