import Answers
import ArgumentParser
import Events
import Replay

extension Patchlog {
    /// `patchlog diff --vm V --from T1 --to T2`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "What changed on a VM between two moments: installs, patches that became effective, uninstalls, baseline and enrolment.")

        @OptionGroup var options: ReplayOptions
        @OptionGroup var recorded: AsRecordedOption

        @OptionGroup var wide: WideOption
        @Option(help: "The VM: its name, if no other VM in the log has it, else its resource id (any case).") var vm: String
        @Option(help: "The earlier moment.", transform: parseTime) var from: Timestamp
        @Option(help: "The later moment.", transform: parseTime) var to: Timestamp
        @Option(help: "text or json.") var format: DiffFormat = .text

        func validate() throws {
            try validateVM(vm)
            if to < from { throw ValidationError("--to \(to) is before --from \(from)") }
        }

        func run() throws {
            let replayer = try options.replayer()
            let vm = try resolveVM(vm, in: replayer.log)
            warnIfUnknown(vm, in: replayer.log)
            warnIfPastEnd(recorded.asRecorded, in: replayer.log)
            let (_, after, d) = try replayer.diff(vm: vm, from: from, to: to, asRecorded: recorded.asRecorded ?? .max)
            switch format {
            case .json: emit(QueryOutput.diffJSON(vm: after.vm, from: from, to: to, d, asRecorded: recorded.asRecorded) + "\n")
            case .text: emit(QueryOutput.diffText(vm: after.vm, from: from, to: to, d, names: wide.names(replayer.log, for: after.vm)))
            }
        }
    }
}

/// `diff --format`.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
