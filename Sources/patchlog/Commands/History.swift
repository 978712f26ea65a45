import Answers
import ArgumentParser
import Events
import Replay
import TextFormats

extension Patchlog {
    /// `patchlog history --vm V`.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "One VM's timeline, in time order, for a person to read.",
            discussion: "Events appended out of time order (a late backlog) are marked 'late'.")

        @OptionGroup var options: ReplayOptions

        @OptionGroup var wide: WideOption
        @Option(help: "The VM: its name, if no other VM in the log has it, else its resource id (any case).") var vm: String
        @Option(help: "From this moment.", transform: parseTime) var since: Timestamp?
        @Option(help: "Up to this moment.", transform: parseTime) var until: Timestamp?

        func validate() throws {
            try validateVM(vm)
            if let since, let until, until < since { throw ValidationError("--until \(until) is before --since \(since)") }
        }

        func run() throws {
            let replayer = try options.replayer()
            let vm = try resolveVM(vm, in: replayer.log)
            warnIfUnknown(vm, in: replayer.log)
            let events = try replayer.events(ofVM: vm, at: until ?? Timestamp(nanoseconds: .max))
            var table = TextTable(["time", "seq", "event"])
            var latestSequence: UInt64 = 0
            var lateSequences: Set<UInt64> = []
            // An event is late if an event with a later time was appended before it.
            var maxTimeSoFar = Timestamp(nanoseconds: .min)
            for (seq, event) in events.sorted(by: { $0.sequence < $1.sequence }) {
                if event.time < maxTimeSoFar { lateSequences.insert(seq) }
                maxTimeSoFar = max(maxTimeSoFar, event.time)
                latestSequence = max(latestSequence, seq)
            }
            for (seq, event) in events where since.map({ event.time >= $0 }) ?? true {
                table.add([event.time.description, String(seq) + (lateSequences.contains(seq) ? " late" : ""), EventSummary.describe(event)])
            }
            let vmName = wide.names(replayer.log).display(replayer.log.knownVM(vm) ?? vm)
            emit("history of \(TextTable.visible(vmName))\n\n" + (table.rows.isEmpty ? "no events in that period\n" : table.text))
        }
    }
}
