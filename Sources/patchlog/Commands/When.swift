import Answers
import ArgumentParser
import Events
import Replay

extension Patchlog {
    /// `patchlog when --kb K`.
    struct When: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "when",
            abstract: "Where and when a KB was installed, became effective and was uninstalled, across the fleet.")

        @OptionGroup var options: ReplayOptions
        @OptionGroup var recorded: AsRecordedOption

        @Option(help: "The KB (KB5034129 or 5034129).", transform: parseKB) var kb: KB
        @Option(help: "Only VMs with the KB installed at this moment, as things stood then.", transform: parseTime) var at: Timestamp?
        @Option(help: "table, json or csv.") var format: OutputFormat = .table
        @OptionGroup var wide: WideOption

        func run() throws {
            let replayer = try options.replayer()
            warnIfPastEnd(recorded.asRecorded, in: replayer.log)
            let rows = try replayer.installs(of: kb, at: at, asRecorded: recorded.asRecorded ?? .max)
            if rows.isEmpty {
                if try replayer.catalog(asRecorded: recorded.asRecorded ?? .max).entries[kb] == nil {
                    Terminal.note("the log has no release of \(kb) and no VM has it installed: is it the right KB?")
                } else if format == .table {
                    Terminal.note("no VM has \(kb) installed" + (at.map { " at \($0)" } ?? ""))
                }
            }
            switch format {
            case .json: emit(QueryOutput.whenJSON(rows) + "\n")
            case .csv: emit(QueryOutput.whenRows(rows, csv: true))
            case .table: emit(QueryOutput.whenRows(rows, csv: false, names: wide.names(replayer.log)))
            }
        }
    }
}
