import Answers
import ArgumentParser
import Events
import Replay

extension Patchlog {
    /// `patchlog history --vm V`.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "One VM's timeline, in time order, for a person to read (or as JSON).",
            discussion: "Events appended out of time order (a late backlog) are marked 'late'.")

        @OptionGroup var options: ReplayOptions

        @OptionGroup var wide: WideOption
        @Option(help: "The VM: its name, if no other VM in the log has it, else its resource id (any case).") var vm: String
        @Option(help: "From this moment.", transform: parseTime) var since: Timestamp?
        @Option(help: "Up to this moment.", transform: parseTime) var until: Timestamp?
        @Option(help: "table or json.") var format: OutputFormat = .table

        func validate() throws {
            try validateVM(vm)
            if let since, let until, until < since { throw ValidationError("--until \(until) is before --since \(since)") }
            if format == .csv { throw ValidationError("history prints a table or json, not csv") }
        }

        func run() throws {
            let replayer = try options.replayer()
            let vm = try resolveVM(vm, in: replayer.log)
            warnIfUnknown(vm, in: replayer.log)
            let entries = QueryOutput.history(try replayer.events(ofVM: vm, at: until ?? Timestamp(nanoseconds: .max)), since: since)
            let shown = replayer.log.knownVM(vm) ?? vm
            switch format {
            case .json: emit(QueryOutput.historyJSON(vm: shown, since: since, until: until, entries) + "\n")
            default: emit(QueryOutput.historyTable(vm: shown, entries, names: wide.names(replayer.log, for: shown)))
            }
        }
    }
}
