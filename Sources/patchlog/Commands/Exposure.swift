import ArgumentParser
import Audit
import Events
import Replay
import Report
import SystemIO

extension ExposureSummary.Grouping: ExpressibleByArgument {}

extension Patchlog {
    /// `patchlog exposure`.
    struct Exposure: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exposure",
            abstract: "How long VMs stayed exposed to Critical and Security releases (p50, p90, max), and the reboots Hotpatch avoided.",
            discussion: "A window runs from when a release applied to a VM until it was effective there. Definitions: docs/audit.md.")

        @OptionGroup var audit: AuditRunOptions

        @Option(help: "Group by month (of publication), kind (hotpatch, baseline, not-enrolled, other) or vm.") var by: ExposureSummary.Grouping = .kind
        @Option(help: "table, json or csv.") var format: OutputFormat = .table

        func run() throws {
            let (moment, result, names) = try audit.audit()
            let summary = ExposureSummary(result, by: by)
            switch format {
            case .json: emit(AuditOutput.exposureJSON(summary, at: moment, by: by) + "\n")
            case .csv: emit(AuditOutput.exposureRows(summary, by: by, csv: true))
            case .table: emit("exposure as of \(moment): \(result.exposures.count) windows\n\n" + AuditOutput.exposureRows(summary, by: by, csv: false, names: names()))
            }
        }
    }
}
