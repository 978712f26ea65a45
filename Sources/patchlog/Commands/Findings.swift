import ArgumentParser
import Audit
import Events
import Replay
import Report
import SystemIO

extension Patchlog {
    /// `patchlog findings`.
    struct Findings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "findings",
            abstract: "Where the fleet broke the Hotpatch rules, since when, and the events that show it.",
            discussion: "One replay of the log as of --at (default: now). Rules and thresholds: docs/audit.md.")

        @OptionGroup var audit: AuditRunOptions
        @OptionGroup var span: SpanOptions

        @Option(help: "table, json or csv.") var format: OutputFormat = .table

        func run() throws {
            let (moment, result, names) = try audit.audit()
            let findings = result.findings(since: span.since, until: span.until)
            switch format {
            case .json: emit(AuditOutput.findingsJSON(findings) + "\n")
            case .csv: emit(AuditOutput.findingsRows(findings, csv: true))
            case .table: emit("as of \(moment): " + AuditOutput.findingsSummary(findings) + "\n\n" + AuditOutput.findingsRows(findings, csv: false, names: names()))
            }
        }
    }
}
