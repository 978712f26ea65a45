import ArgumentParser
import EventLog
import Events
import JSONLines
import Replay

extension Patchlog {
    /// `patchlog export`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the log's events as JSON Lines (re-importable) or as a CSV timeline.",
            discussion: "Events come in append order. The CSV has one row per (event, patch), times in UTC, and cells that a spreadsheet would run as a formula prefixed with '.")

        @OptionGroup var location: LogLocation

        @Option(help: "jsonl or csv.") var format: ExportFormat = .jsonl
        @Option(help: "Only this VM's events: its name, if no other VM in the log has it, else its resource id.") var vm: String?
        @Option(help: "Only events that name this KB.", transform: parseKB) var kb: KB?
        @Option(help: ArgumentHelp("Only events of this type (\(EventType.names.joined(separator: ", "))).")) var type: String?
        @Option(help: "Only events at or after this time.", transform: parseTime) var since: Timestamp?
        @Option(help: "Only events at or before this time.", transform: parseTime) var until: Timestamp?
        @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?

        func validate() throws {
            try validateVM(vm)
            if let type, EventType(name: type) == nil {
                throw ValidationError("--type \(type) is not an event type; expected one of \(EventType.names.joined(separator: ", "))")
            }
            if let since, let until, until < since { throw ValidationError("--until \(until) is before --since \(since)") }
            try Output.validate(out)
        }

        /// The filters given, as on the command line.
        private var filterDescription: String {
            var parts: [String] = []
            if let vm { parts.append("--vm \(vm)") }
            if let kb { parts.append("--kb \(kb)") }
            if let type { parts.append("--type \(type)") }
            if let since { parts.append("--since \(since)") }
            if let until { parts.append("--until \(until)") }
            return parts.joined(separator: " ")
        }

        func run() throws {
            let log = HotpatchLog(store: try location.open(.reader))
            let vm = try self.vm.map { try resolveVM($0, in: log) }
            if let vm { warnIfUnknown(vm, in: log) }
            let filter = ExportFilter(vm: vm, kb: kb, type: type.flatMap { EventType(name: $0) }, since: since, until: until)
            let handle = try Output.open(out)
            let count = try Exporter(log: log).exportBytes(format: format, filter: filter) { chunk in
                try handle.writeNext(chunk)
            }
            if count == 0 && (vm != nil || kb != nil || type != nil || since != nil || until != nil) {
                Terminal.note("no event matches " + filterDescription)
            }
            try handle.commit()
            if let out {
                Terminal.note("wrote \(Terminal.grouped(count)) events to \(out)")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
