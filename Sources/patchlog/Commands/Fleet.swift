import Answers
import ArgumentParser
import Events
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog fleet --at T`.
    struct Fleet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fleet",
            abstract: "One row per VM at a moment: baseline, hotpatches since it, pending reboot, enrolment, supported image, last assessment.")

        @OptionGroup var options: ReplayOptions
        @OptionGroup var recorded: AsRecordedOption

        @Option(help: "The moment. Default: now.", transform: parseTime) var at: Timestamp?
        @Option(help: "table, json or csv.") var format: OutputFormat = .table
        @OptionGroup var wide: WideOption

        func run() throws {
            let moment = at ?? Timestamp(nanoseconds: wallClockNanoseconds())
            let replayer = try options.replayer(at: moment, asRecorded: recorded.asRecorded)
            warnIfPastEnd(recorded.asRecorded, in: replayer.log)
            let rows = UntilExit.keep(try replayer.fleet(at: moment, asRecorded: recorded.asRecorded ?? .max))
                .map { QueryOutput.fleetRow($0, supportedImage: replayer.supportedImage($0)) }
            switch format {
            case .json: emit(QueryOutput.fleetJSON(rows, at: moment) + "\n")
            case .csv: emit(QueryOutput.fleetRows(rows, csv: true))
            case .table: emit("fleet at \(moment): \(rows.count) VMs\n\n" + QueryOutput.fleetRows(rows, csv: false, names: wide.names(replayer.log)))
            }
        }
    }
}
