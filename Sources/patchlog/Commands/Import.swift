import ArgumentParser
import AzureImport
import EventLog
import Events
import JSONLines
import LogStore
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog import [--from events|azure] FILE|-`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Append events from a JSON Lines file (docs/events.md), or from Azure's own records, to the log.",
            discussion: """
                --from events (the default): all or nothing: every line is checked, and if one is bad \
                (or reuses an id with different content) nothing of the file is appended and the error \
                names the line and the field. Events already in the log with the same content are \
                skipped, so importing a file twice appends nothing the second time.

                --from azure: one Azure payload (REST response or x-ms-examples document, VM or Arc \
                machine resource, instance view, feature or provider registration, or Resource Graph \
                rows from az graph query -o json); see docs/azure-import.md. Each item that converts \
                goes in and is listed; each one that does not is named on standard error and the \
                command exits 1. The payload is kept byte for byte (patchlog show --seq N --raw).
                """)

        /// Where the input comes from.
        enum Source: String, ExpressibleByArgument, CaseIterable {
            case events, azure
        }

        @Option(help: ArgumentHelp("What the file holds: events (JSON Lines, docs/events.md) or azure (Azure payloads).", valueName: "kind"))
        var from: Source = .events

        @Option(help: ArgumentHelp("With --from azure: the VM's resource id, for a bare result body that does not name it.", valueName: "resource-id"))
        var vm: String?

        @Option(name: .customLong("observed-at"), help: ArgumentHelp("With --from azure: when the snapshots in the file were taken (RFC 3339 or a date), for those that carry no time of their own; default: now.", valueName: "time"))
        var observedAt: String?

        @Flag(name: .customLong("dry-run"), help: "With --from azure: print the events that would be appended, and the notes, without touching the log.")
        var dryRun = false

        @Option(help: ArgumentHelp("Append to the shared log in PostgreSQL instead of the local log: postgres://[user@]host[:port][,host[:port]…]/database (docs/scale-out.md).", valueName: "url"))
        var to: String?

        @OptionGroup var server: ServerTimeout
        @OptionGroup var location: LogLocation
        @OptionGroup var write: WriteOptions

        @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "file"))
        var file: String

        func validate() throws {
            if vm != nil && from != .azure { throw ValidationError("--vm goes with --from azure") }
            if observedAt != nil && from != .azure { throw ValidationError("--observed-at goes with --from azure") }
            if dryRun && from != .azure { throw ValidationError("--dry-run goes with --from azure") }
            if let observedAt, (try? Timestamp(parsing: observedAt)) == nil {
                throw ValidationError("--observed-at: expected an RFC 3339 time or a date (2025-03-15), got \"\(observedAt)\"")
            }
        }

        func run() throws {
            if let to { return try runShared(to) }
            if from == .azure { return try runAzure() }
            let store = try location.open(.writer, options: write.logOptions)
            var importer = Importer(log: HotpatchLog(store: store))
            importer.vet = try RawPayloadStore.sourceCheck(logDirectory: location.directory)
            let started = wallClockNanoseconds()
            var lastShown: Int64 = 0
            let showProgress = Terminal.stderrIsTTY
            let report = try importer.importFile(file) { progress in
                let now = wallClockNanoseconds()
                guard showProgress, now - lastShown > 500_000_000 else { return }
                lastShown = now
                let mb = Double(progress.bytes) / 1e6
                let rate = mb / max(Double(now - started) / 1e9, 0.001)
                try? SystemFile.standardError.writeNext(Array("\rimporting: \(Terminal.grouped(progress.lines)) lines, \(Terminal.fixed(mb, 0)) MB, \(Terminal.fixed(rate, 0)) MB/s   ".utf8))
            }
            if showProgress { try? SystemFile.standardError.writeNext(Array("\r\u{1B}[K".utf8)) }
            LogLocation.finish(store)
            let seconds = Double(wallClockNanoseconds() - started) / 1e9
            print("imported \(file == "-" ? "standard input" : file): \(Terminal.grouped(report.lines)) lines, \(Terminal.grouped(report.appended)) events appended, \(Terminal.grouped(report.duplicates)) already in the log (\(Terminal.fixed(seconds, 1)) s)")
        }

        private func runAzure() throws {
            if dryRun { return try runAzureDry() }
            let store = try location.open(.writer, options: write.logOptions)
            defer { LogLocation.finish(store) }
            let report = try RawPayloadStore.withWriter(logDirectory: location.directory) { sources in
                try importer(HotpatchLog(store: store), sources).importFile(file)
            }
            let name = file == "-" ? "standard input" : file
            printItems(report, name)
            print("imported \(name) from Azure: \(report.items.count) items in, \(report.rejected.count) rejected; \(report.appended) events appended, \(report.duplicates + report.alreadyKnown.count) already in the log\(report.conflicts.isEmpty ? "" : ", \(report.conflicts.count) in conflict")\(report.source.map { "; payload kept as \($0)" } ?? "")")
            if !report.rejected.isEmpty { throw ExitCode(1) }
        }

        /// `--dry-run`: the log opened for reading only, the payload store not at all
        /// (a kept payload changes nothing any answer depends on).
        private func runAzureDry() throws {
            let store = try location.open(.reader, options: write.logOptions)
            let sources = RawPayloadStore(store: InMemoryLog())
            var report = try importer(HotpatchLog(store: store), sources, dry: true).importFile(file)
            let name = file == "-" ? "standard input" : file
            printItems(report, name)
            for event in report.wouldAppend { print("  would append: \(EventJSONEncoder.encode(event))") }
            report.appended = report.wouldAppend.count
            print("dry run of \(name) from Azure: \(report.items.count) items in, \(report.rejected.count) rejected; \(report.wouldAppend.count) events would be appended, \(report.duplicates + report.alreadyKnown.count) already in the log\(report.conflicts.isEmpty ? "" : ", \(report.conflicts.count) in conflict"); the log was not changed")
            if !report.rejected.isEmpty { throw ExitCode(1) }
        }

        func importer(_ log: HotpatchLog, _ sources: RawPayloadStore, dry: Bool = false) -> AzureImporter {
            var importer = AzureImporter(log: log, sources: sources,
                                         observedAt: observedAt.flatMap { try? Timestamp(parsing: $0) } ?? Timestamp(nanoseconds: wallClockNanoseconds()), vm: vm)
            importer.observedAtGiven = observedAt != nil
            importer.dryRun = dry
            return importer
        }

        func printItems(_ report: AzureImportReport, _ name: String) {
            for note in report.notes { Terminal.note("\(name): \(note)") }
            for item in report.items {
                print("  in: \(item.label): \(item.eventIDs.isEmpty ? "no events" : item.eventIDs.joined(separator: ", "))")
            }
            for conflict in report.conflicts { Terminal.note("\(name): \(conflict)") }
            for bad in report.rejected { Terminal.note("\(name): \(bad) (not imported)") }
        }
    }
}
