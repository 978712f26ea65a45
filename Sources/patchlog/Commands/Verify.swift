import ArgumentParser
import AzureImport
import LogStore

extension Patchlog {
    /// `patchlog verify`: reads every record and checks every checksum.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every record of the log and check every checksum.",
            discussion: "Checks the kept Azure payloads (sources/) too, when there are any. Exits 0 when the log is intact, 3 naming the first damaged record when it is not, 1 when the log cannot be read at all.")

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
            // The original payloads of Azure imports, kept in a store of their own.
            let sources = location.directory + "/" + RawPayloadStore.directoryName
            guard FileLog.exists(at: sources) else { return }
            let kept = try FileLog.verify(directory: sources)
            if let problem = kept.problem {
                print("DAMAGED: \(RawPayloadStore.directoryName)/: \(problem)")
                throw ExitCode(3)
            }
            print("ok: \(RawPayloadStore.directoryName)/: \(Terminal.grouped(kept.records)) payload records in \(kept.blocks) blocks; every checksum matches")
        }
    }
}
