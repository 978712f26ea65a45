import ArgumentParser
import Interchange
import LogStore
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog import FILE|-`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append events from a JSON Lines file (events.md) to the log.",
            discussion: """
                All or nothing: every line is checked, and if one is bad (or reuses an id with \
                different content) nothing of the file is appended and the error names the line \
                and the field. Events already in the log with the same content are skipped, so \
                importing a file twice appends nothing the second time.
                """)

        @OptionGroup var location: LogLocation
        @OptionGroup var write: WriteOptions

        @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "file"))
        var file: String

        func run() throws {
            let store = try location.open(.writer, options: write.logOptions)
            let importer = Importer(log: HotpatchLog(store: store))
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
            store.close()
            let seconds = Double(wallClockNanoseconds() - started) / 1e9
            print("imported \(file == "-" ? "standard input" : file): \(Terminal.grouped(report.lines)) lines, \(Terminal.grouped(report.appended)) events appended, \(Terminal.grouped(report.duplicates)) already in the log (\(Terminal.fixed(seconds, 1)) s)")
        }
    }
}
