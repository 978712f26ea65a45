import ArgumentParser
import Audit
import Events
import Interchange
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

        @OptionGroup var options: ReplayOptions
        @OptionGroup var policy: AuditPolicyOptions
        @OptionGroup var recorded: AsRecordedOption
        @OptionGroup var span: SpanOptions

        @Option(help: "The moment audited: later events are ignored, spans still open then are reported open. Default: now.", transform: parseTime)
        var at: Timestamp?
        @Option(help: "table, json or csv.") var format: OutputFormat = .table

        func run() throws {
            let moment = at ?? Timestamp(nanoseconds: wallClockNanoseconds())
            let replayer = try options.replayer(at: moment, asRecorded: recorded.asRecorded)
            warnIfPastEnd(recorded.asRecorded, in: replayer.log)
            let result = try Audit.run(replayer, at: moment, asRecorded: recorded.asRecorded ?? .max, policy: policy.policy(replayer))
            let findings = result.findings(since: span.since, until: span.until)
            switch format {
            case .json: emit(AuditOutput.findingsJSON(findings) + "\n")
            case .csv: emit(AuditOutput.findingsRows(findings, csv: true))
            case .table: emit("as of \(moment): " + AuditOutput.findingsSummary(findings) + "\n\n" + AuditOutput.findingsRows(findings, csv: false))
            }
        }
    }
}
