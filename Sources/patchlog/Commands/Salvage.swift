import ArgumentParser
import AzureImport
import LogStore

extension Patchlog {
    /// `patchlog salvage`: reads what is still intact in a damaged log, and in the
    /// store of kept Azure payloads beside it.
    struct Salvage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "salvage",
            abstract: "Read every intact record of a damaged log, skipping and reporting damaged bytes.",
            discussion: """
                Changes nothing in the log. With --into, copies the intact records into a new log \
                (they get new sequence numbers there). The original Azure payloads kept in sources/ \
                are salvaged the same way, into sources/ of the new log, under the same sha256: \
                names, so the events copied still find them (patchlog verify checks them there).
                """)

        @OptionGroup var location: LogLocation

        @Option(help: ArgumentHelp("Write the intact records into a new log in this directory.", valueName: "dir"))
        var into: String?

        func run() throws {
            let report = try Self.salvage(from: location.directory, into: into)
            for s in report.skipped { print("skipped: \(s)") }
            if report.uncommitted > 0 {
                print("left out \(Terminal.grouped(report.uncommitted)) records of an import that never committed (its writer died in it; TRANSACTION says where it began)")
            }
            if let damage = report.damagedMarker {
                print("warning: the transaction marker is damaged (\(damage)): an import was unfinished, and its records, if any, are recovered with the rest")
            }
            print("recovered \(Terminal.grouped(report.recovered)) records; skipped \(report.skipped.count) damaged stretch(es)" + (into.map { "; written to \($0)" } ?? ""))
            let sources = RawPayloadStore.path(logDirectory: location.directory)
            guard FileLog.exists(at: sources) else { return }
            let target = into.map { RawPayloadStore.path(logDirectory: $0) }
            let kept = try Self.salvage(from: sources, into: target)
            let label = RawPayloadStore.directoryName + "/"
            for s in kept.skipped { print("skipped: \(label): \(s)") }
            print("\(label): recovered \(Terminal.grouped(kept.recovered)) payload records; skipped \(kept.skipped.count) damaged stretch(es)" + (target.map { "; written to \($0)" } ?? ""))
        }

        /// Salvages the store in `directory`, copying what is intact into a new store
        /// in `into` when given. Appends in batches of at most 4096 records or 64 MiB
        /// (a kept payload's parts are up to 8 MiB each).
        static func salvage(from directory: String, into: String?) throws -> SalvageReport {
            let target = try into.map { try FileLog.create(at: $0, options: LogOptions(sync: .none)) }
            var pending: [NewRecord] = []
            var pendingBytes = 0
            let report = try FileLog.salvage(directory: directory) { record in
                guard let target else { return }
                pending.append(record.unsequenced)
                pendingBytes += record.payload.count
                if pending.count >= 4096 || pendingBytes >= 64 << 20 {
                    _ = try target.append(pending)
                    pending.removeAll(keepingCapacity: true)
                    pendingBytes = 0
                }
            }
            if let target {
                _ = try target.append(pending)
                target.close()
            }
            return report
        }
    }
}
