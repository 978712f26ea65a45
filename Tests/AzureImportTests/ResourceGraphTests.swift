@testable import AzureImport
import Events
import LogStore
import Replay
import Testing

/// Resource Graph rows (`az graph query -o json`) → events, joined into runs.
@Suite struct ResourceGraphTests {
    @Test func assessmentRowsJoinTheirSummaryInAnyOrderAndLinuxRunsAreIgnored() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.variant("rg-assessments.json"))
        #expect(report.appended == 1 && report.rejected.isEmpty)
        #expect(report.notes.contains { $0.contains("data[4]") && $0.contains("Linux") })
        let event = try #require(try f.only(.assessment))
        // The row ids are in lower case; the VM id has ARM's spelling of the fixed segments.
        #expect(event.vm == "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01")
        // Keyed by the VM and the run's start (every shape of the run has both); the activity id is in the event.
        #expect(event.id == "azure:assessment:\(Digest.fnv1a64Hex(AzureFixture.web01.lowercased())):\(PatchResultConverter.runKey(event.time))")
        guard case let .assessment(a) = event.body else { return }
        #expect(a.trigger == .periodic && event.time == .at("2025-03-11T04:10:02.4523116Z"))
        // In KB order, whatever the order of the rows (REST and Resource Graph give the same list).
        #expect(a.available.map(\.kb) == [KB("2267602")!, KB("5053636")!, KB("5099999")!])
        #expect(a.available.map(\.classifications) == [["Definition"], ["Security"], ["Driver Updates"]])
    }

    @Test func installationRowsGiveInstallsWithTheirPatchesAndAPlatformTrigger() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.variant("rg-installations-2.json"))
        let installs = try f.events().filter { $0.type == .install }
        #expect(installs.count == 2)
        guard case let .install(first) = installs[0].body, case let .install(second) = installs[1].body else { return }
        #expect(first.trigger == .platform && first.patches == [InstalledPatch(kb: KB("5053636")!, classifications: ["Security"], state: .installed, kind: .hotpatch, rebootBehavior: .neverReboots)])
        #expect(second.trigger == .onDemand && second.status == .completedWithWarnings && second.maintenanceWindowExceeded == true)
        #expect(second.patches.map(\.state) == [.notSelected, .installed])
        // Completed reboot at the run's last modification.
        #expect(try f.only(.reboot)?.time == .at("2025-04-08T04:20:00.5Z"))
        let state = try Replayer(log: f.log).state(ofVM: AzureFixture.web01, at: .at("2025-05-01"))
        #expect(state.installedIndex.keys.sorted() == [KB("5053636")!, KB("5055526")!] && !state.pendingReboot)
    }

    @Test func restPayloadsAndResourceGraphRowsNameTheSameVMTheSameWay() throws {
        let rest = try #require(AzureResourceID("/subscriptions/S-1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm-1")?.machine)
        let row = try #require(AzureResourceID("/subscriptions/s-1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/VM-1/patchAssessmentResults/latest/softwarePatches/x")?.machine)
        #expect(rest.vm.lowercased() == row.vm.lowercased() && rest.key == row.key)
        #expect(row.vm == "/subscriptions/s-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/VM-1")
        let arc = try #require(AzureResourceID("/subscriptions/s/resourceGroups/g/providers/Microsoft.HybridCompute/machines/m/patchInstallationResults/r")?.machine)
        #expect(arc.kind == .arcMachine)
        #expect(AzureResourceID("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkInterfaces/n")?.machine == nil)
        // Through the importer: the REST body and the rows land in one stream.
        let f = AzureFixture()
        try f.importing(AzureFixture.variant("rg-installations-1.json"))
        try f.importing(AzureFixture.variant("install-body-minimal.json"), vm: AzureFixture.web01)
        #expect(f.log.vms.count == 1)
    }

    @Test func overlappingExportsAppendOnlyWhatIsNew() throws {
        let f = AzureFixture()
        #expect(try f.importing(AzureFixture.variant("rg-installations-1.json")).appended == 1)
        let second = try f.importing(AzureFixture.variant("rg-installations-2.json"))
        // Run 1 again (other rows, same fact: the first record stays), run 2 and its reboot new.
        #expect(second.appended == 2 && second.conflicts.isEmpty && second.duplicates + second.alreadyKnown.count == 1)
        let count = f.log.store.count
        #expect(try f.importing(AzureFixture.variant("rg-installations-2.json")).appended == 0)
        #expect(try f.importing(AzureFixture.variant("rg-installations-1.json")).appended == 0)
        #expect(f.log.store.count == count)
    }

    @Test func aPartlyValidExportImportsTheGoodRunsAndNamesTheBadItem() throws {
        let f = AzureFixture()
        let report = try f.importing(AzureFixture.variant("rg-partly-valid.json"))
        #expect(report.items.map(\.label) == ["data[0]"])
        #expect(report.rejected.count == 1)
        // The bad row is named, and so is what it costs: the rest of its run.
        #expect(report.rejected[0].description.hasPrefix(#"data[3].properties.kbId: expected digits (or "KB" and digits), got "KB-five"; so none of run "#))
        #expect(report.rejected[0].description.contains("'s 2 rows is imported"))
        #expect(report.appended == 1 && f.log.store.count == 1)
    }

    @Test func patchRowsWithoutTheirRunAreAnError() throws {
        let f = AzureFixture()
        let error = try #require(throws: AzureImportError.self) { try f.importing(AzureFixture.variant("rg-orphan-rows.json")) }
        #expect(error.description.contains("[0].properties: softwarePatches rows of run") && error.description.contains("without the run's own row"))
        #expect(f.log.store.count == 0)
    }
}
