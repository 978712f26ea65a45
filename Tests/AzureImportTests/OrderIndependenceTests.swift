@testable import AzureImport
import Answers
import Audit
import Events
import LogStore
import Randomness
import Replay
import Testing

/// Issue 14, deliver 2 and 3: any order of a set of Azure files, imported one by one,
/// gives the same answers; importing any of them again appends nothing.
@Suite struct OrderIndependenceTests {
    /// The files, with the observation time given to those whose snapshots carry none
    /// (as `--observed-at` would): Azure gives no time there, so the user does.
    static let files: [(path: String, vm: String?, observedAt: String)] = [
        (AzureFixture.shape("assess-succeeded-one-missing.json"), AzureFixture.web01, "2026-01-15"),
        (AzureFixture.shape("assess-rest-same-run.json"), AzureFixture.web01, "2026-01-15"),
        (AzureFixture.shape("rg-assessment-no-name-day1.json"), nil, "2026-01-15"),
        (AzureFixture.shape("rg-assessment-with-name-day1.json"), nil, "2026-01-15"),
        (AzureFixture.shape("rg-assessment-no-name-day2.json"), nil, "2026-01-15"),
        (AzureFixture.shape("assess-in-progress-empty.json"), AzureFixture.web01, "2026-01-15"),
        (AzureFixture.shape("cli-install-patches-hotpatch.json"), AzureFixture.web01, "2026-01-15"),
        (AzureFixture.shape("async-operation-install.json"), AzureFixture.web01, "2026-01-15"),
        (AzureFixture.shape("rg-install-started-by-user.json"), nil, "2026-01-15"),
        (AzureFixture.shape("az-vm-get-instance-view.json"), nil, "2025-03-16T06:00:00Z"),
        (AzureFixture.variant("vm-get-hotpatch-on.json"), nil, "2025-02-02"),
        (AzureFixture.variant("vm-get-hotpatch-off.json"), nil, "2025-03-20"),
        (AzureFixture.shape("vm-gallery-image-uniform.json"), nil, "2025-03-01"),
        (AzureFixture.shape("arc-hci-license-profile.json"), nil, "2026-01-15"),
        (AzureFixture.shape("feature-registration-dated.json"), nil, "2026-01-15"),
        (AzureFixture.shape("az-feature-show.json"), nil, "2025-01-05"),
        (AzureFixture.variant("rg-installations-1.json"), nil, "2026-01-15"),
        (AzureFixture.variant("rg-installations-2.json"), nil, "2026-01-15"),
        (AzureFixture.variant("rg-assessments.json"), nil, "2026-01-15"),
    ]

    static let moments = ["2025-01-01", "2025-01-13", "2025-02-03", "2025-03-12T05:00:00Z", "2025-03-13T05:00:00Z", "2025-03-14T10:06:00Z",
                          "2025-03-15", "2025-03-17", "2025-03-21", "2025-03-22", "2025-04-09", "2025-06-01", "2027-01-01"].map(Timestamp.at)

    /// Imports the files in `order`; returns the log.
    static func importing(_ order: [Int]) throws -> AzureFixture {
        let f = AzureFixture()
        for i in order {
            var importer = f.importer(vm: files[i].vm)
            importer.observedAt = .at(files[i].observedAt)
            importer.observedAtGiven = true
            let report = try importer.importFile(files[i].path)
            #expect(report.conflicts.isEmpty, "\(files[i].path): \(report.conflicts)")
        }
        return f
    }

    /// `state` of every VM, `when` of every KB, `fleet` and `findings` at every moment.
    static func answers(_ f: AzureFixture) throws -> [String] {
        let replayer = Replayer(log: f.log)
        var out: [String] = []
        let kbs = Set(try f.events().flatMap { event -> [KB] in
            if case let .install(i) = event.body { return i.patches.map(\.kb) } else { return [] }
        }).sorted()
        for at in moments {
            for vm in f.log.vms.sorted(by: { $0.lowercased() < $1.lowercased() }) {
                let state = try replayer.state(ofVM: vm, at: at)
                out.append(QueryOutput.stateJSON(state, at: at, supportedImage: replayer.supportedImage(state), asRecorded: nil))
            }
            let fleet = try replayer.fleet(at: at).sorted { $0.vm.lowercased() < $1.vm.lowercased() }
            out.append(QueryOutput.fleetJSON(fleet.map { QueryOutput.fleetRow($0, supportedImage: replayer.supportedImage($0)) }, at: at))
            for kb in kbs { out.append(QueryOutput.whenJSON(try replayer.installs(of: kb, at: at).sorted { $0.vm.lowercased() < $1.vm.lowercased() })) }
            // Findings cite sequence numbers, which follow the import order: compared without them.
            let findings = try Audit.run(replayer, at: at, policy: AuditPolicy()).findings
            out.append(findings.map { "\($0.vm.lowercased()) \($0.rule) \($0.kb?.description ?? "-") \($0.start) \($0.end?.description ?? "open") \($0.detail)" }.sorted().joined(separator: "\n"))
        }
        for kb in kbs { out.append(QueryOutput.whenJSON(try replayer.installs(of: kb).sorted { ($0.vm.lowercased(), $0.installedAt) < ($1.vm.lowercased(), $1.installedAt) })) }
        // A VM id is shown as first written (README): the spelling, not the answer, follows the order.
        return out.map { $0.lowercased() }
    }

    @Test func anyOrderOfTheFilesGivesTheSameAnswers() throws {
        let reference = try Self.answers(Self.importing(Array(Self.files.indices)))
        var random = SplitMix64(seed: 14)
        for round in 0..<12 {
            var order = Array(Self.files.indices)
            for i in order.indices.reversed() where i > 0 { order.swapAt(i, random.next(upTo: i + 1)) }
            if round == 0 { order.reverse() }
            let got = try Self.answers(Self.importing(order))
            #expect(got.count == reference.count)
            for (n, (a, b)) in zip(got, reference).enumerated() where a != b {
                Issue.record("order \(order): answer \(n) differs:\n\(a)\nvs\n\(b)")
                break
            }
        }
    }

    @Test func importingAnyFileAgainAppendsNothingAndReportsNoConflict() throws {
        let f = try Self.importing(Array(Self.files.indices))
        let count = f.log.store.count
        for (i, file) in Self.files.enumerated() {
            var importer = f.importer(vm: file.vm)
            importer.observedAt = .at(file.observedAt)
            importer.observedAtGiven = true
            let report = try importer.importFile(file.path)
            #expect(report.appended == 0 && report.conflicts.isEmpty, "file \(i)")
        }
        #expect(f.log.store.count == count)
    }
}
