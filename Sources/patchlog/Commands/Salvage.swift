import ArgumentParser
import LogStore

extension Patchlog {
    /// `patchlog salvage`: reads what is still intact in a damaged log.
    struct Salvage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every intact record of a damaged log, skipping and reporting damaged bytes.",
            discussion: "Changes nothing in the log. With --into, copies the intact records into a new log (they get new sequence numbers there).")

        @OptionGroup var location: LogLocation

        @Option(help: ArgumentHelp("Write the intact records into a new log in this directory.", valueName: "dir"))
        var into: String?

        func run() throws {
            let target = try into.map { try FileLog.create(at: $0, options: LogOptions(sync: .none)) }
            var pending: [NewRecord] = []
            let report = try FileLog.salvage(directory: location.directory) { record in
                guard let target else { return }
                pending.append(record.unsequenced)
                if pending.count >= 4096 {
                    _ = try target.append(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            if let target {
                _ = try target.append(pending)
                target.close()
            }
            for s in report.skipped { print("skipped: \(s)") }
            print("recovered \(Terminal.grouped(report.recovered)) records; skipped \(report.skipped.count) damaged stretch(es)" + (into.map { "; written to \($0)" } ?? ""))
        }
    }
}
