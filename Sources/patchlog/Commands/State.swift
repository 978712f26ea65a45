import Answers
import ArgumentParser
import Events
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog state --vm V --at T`.
    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "One VM's state at a moment: installed and effective patches, baseline, pending reboot, enrolment.")

        @OptionGroup var options: ReplayOptions
        @OptionGroup var recorded: AsRecordedOption

        @OptionGroup var wide: WideOption
        @Option(help: "The VM: its name, if no other VM in the log has it, else its resource id (any case).") var vm: String
        @Option(help: "The moment (RFC 3339, any offset, or a date). Default: now.", transform: parseTime) var at: Timestamp?
        @Option(help: "table or json.") var format: OutputFormat = .table

        func validate() throws {
            try validateVM(vm)
            if format == .csv { throw ValidationError("state prints a table or json, not csv") }
        }

        func run() throws {
            let moment = at ?? Timestamp(nanoseconds: wallClockNanoseconds())
            let replayer = try options.replayer(at: moment, asRecorded: recorded.asRecorded)
            let vm = try resolveVM(vm, in: replayer.log)
            warnIfUnknown(vm, in: replayer.log)
            warnIfPastEnd(recorded.asRecorded, in: replayer.log)
            let state = try replayer.state(ofVM: vm, at: moment, asRecorded: recorded.asRecorded ?? .max)
            let supported = replayer.supportedImage(state)
            switch format {
            case .json: emit(QueryOutput.stateJSON(state, at: moment, supportedImage: supported, asRecorded: recorded.asRecorded) + "\n")
            default: emit(QueryOutput.stateTable(state, at: moment, supportedImage: supported, asRecorded: recorded.asRecorded, names: wide.names(replayer.log, for: state.vm)))
            }
        }
    }
}
