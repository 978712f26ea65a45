import ArgumentParser
import Foundation
import Interchange
import LogStore
import Replay

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
            let started = Date()
            var lastShown = Date.distantPast
            let showProgress = Terminal.stderrIsTTY
            let report = try importer.importFile(file) { progress in
                guard showProgress, Date().timeIntervalSince(lastShown) > 0.5 else { return }
                lastShown = Date()
                let mb = Double(progress.bytes) / 1e6
                let rate = mb / max(Date().timeIntervalSince(started), 0.001)
                FileHandle.standardError.write(Data("\rimporting: \(Terminal.grouped(progress.lines)) lines, \(String(format: "%.0f MB, %.0f MB/s", mb, rate))   ".utf8))
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            store.close()
            let seconds = Date().timeIntervalSince(started)
            print("imported \(file == "-" ? "standard input" : file): \(Terminal.grouped(report.lines)) lines, \(Terminal.grouped(report.appended)) events appended, \(Terminal.grouped(report.duplicates)) already in the log (\(String(format: "%.1f", seconds)) s)")
        }
    }
}
