import ArgumentParser
import LogStore

extension Patchlog {
    /// `patchlog verify`: reads every record and checks every checksum.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every record of the log and check every checksum.",
            discussion: "Exits 0 when the log is intact, 3 naming the first damaged record when it is not, 1 when the log cannot be read at all.")

        @OptionGroup var location: LogLocation

        func run() throws {
            let report = try FileLog.verify(directory: location.directory)
            for note in report.notes { Terminal.note(note) }
            if let problem = report.problem {
                print("DAMAGED: \(problem)")
                print("checked \(Terminal.grouped(report.records)) records in \(report.blocks) blocks before it")
                throw ExitCode(3)
            }
            print("ok: \(Terminal.grouped(report.records)) records in \(report.blocks) blocks and \(report.segments) segments; every checksum matches")
        }
    }
}
