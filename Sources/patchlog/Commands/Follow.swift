import ArgumentParser
import EventLog
import Events
import Answers
import JSONLines
import LogStore
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog follow`: the log's events as they are committed, like `tail -f`.
    struct Follow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow",
            abstract: "Print events as they are committed, until interrupted (like tail -f).",
            discussion: """
                Prints the events already in the log from the point given (--after SEQ: those \
                appended after it; --since T: those at or after T; neither: none), then every \
                event as it is committed, across segment rolls. An import is shown only once \
                it has committed, and never if it is taken back. With --cursor-file F, the \
                sequence number reached is saved in F after each batch printed, and a \
                follower started again with F goes on from there, with nothing lost or \
                repeated (--after and --since then only apply if F does not exist yet).
                """)

        @OptionGroup var location: LogLocation

        @Option(parsing: .unconditional, help: ArgumentHelp("Start after this sequence number (0: from the first event).", valueName: "seq"))
        var after: UInt64?
        @Option(help: "Start with the events at or after this time already in the log.", transform: parseTime) var since: Timestamp?
        @Option(help: "Only this VM's events: its name, if no other VM in the log has it, else its resource id.") var vm: String?
        @Option(help: "Only events that name this KB.", transform: parseKB) var kb: KB?
        @Option(help: ArgumentHelp("Only events of this type (\(EventType.names.joined(separator: ", "))).")) var type: String?
        @Option(help: "jsonl (as export writes) or table (one line per event, VMs by name).") var format: FollowFormat = .jsonl
        @OptionGroup var wide: WideOption
        @Option(name: .customLong("cursor-file"), help: ArgumentHelp("Save the sequence reached here; resume from it.", valueName: "file"))
        var cursorFile: String?

        func validate() throws {
            try validateVM(vm)
            if after != nil && since != nil { throw ValidationError("give --after or --since, not both") }
            if let type, EventType(name: type) == nil {
                throw ValidationError("--type \(type) is not an event type; expected one of \(EventType.names.joined(separator: ", "))")
            }
            if let cursorFile { try Output.validate(cursorFile, option: "--cursor-file") }
        }

        func run() throws {
            let directory = location.directory
            // The loop looks again after the watch has begun: nothing committed in between is missed.
            let first = try FileLog.open(at: directory, access: .reader)
            let watch = try CommitWatch(directory: directory)
            let cursor = try cursorFile.map { try FollowCursor(path: $0, logID: first.logID) }
            var position: UInt64
            var since = self.since
            if let saved = try cursor?.load() {
                position = saved
                since = nil
            } else if let after {
                position = after
            } else if since != nil {
                position = 0
            } else {
                position = first.count
            }
            if position > first.count {
                Terminal.note("sequence \(position) is past the log's end (\(first.count) events): waiting for event \(position + 1)")
            }
            // A name is resolved against the log as it is now; a VM not yet in it is taken as an id.
            let vm = try self.vm.map { try resolveVM($0, in: HotpatchLog(store: first)) }
            first.close()
            StopSignal.install()
            while !StopSignal.requested {
                // The mark before the view: a commit after it is in the view or moves the mark.
                let mark = try watch.mark()
                // A reader sees committed records only (docs/log-format.md, "Transactions").
                let log = try FileLog.open(at: directory, access: .reader)
                let end = log.count
                if end > position {
                    let filter = ExportFilter(vm: vm, kb: kb, type: type.flatMap { EventType(name: $0) }, since: since, after: position)
                    try write(HotpatchLog(store: log), filter)
                    position = end
                    try cursor?.save(position)
                }
                since = nil
                log.close()
                if StopSignal.requested { break }
                _ = try watch.wait(after: max(position, end), since: mark, milliseconds: 5_000)
            }
        }

        /// Prints the events `filter` passes.
        private func write(_ log: HotpatchLog, _ filter: ExportFilter) throws {
            let out = SystemFile.standardOutput
            let exporter = Exporter(log: log)
            switch format {
            case .jsonl:
                try exporter.exportBytes(format: .jsonl, filter: filter) { chunk in try out.writeNext(chunk) }
            case .table:
                // Names are those of the log as it is now: a VM is shown by its name
                // until another VM with the same name arrives, then by group/name.
                let names = wide.names(log)
                var text = ""
                try exporter.forEachEvent(filter: filter) { seq, event in
                    text += EventSummary.line(event, sequence: seq, names: names)
                    if text.utf8.count >= 1 << 16 {
                        try out.writeNext(Array(text.utf8))
                        text = ""
                    }
                }
                try out.writeNext(Array(text.utf8))
            }
        }
    }
}

/// `follow --format`.
enum FollowFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, table
}
