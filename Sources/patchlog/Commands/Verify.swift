import ArgumentParser
import AzureImport
import Evidence
import LogStore

extension Patchlog {
    /// `patchlog verify`: reads every record and checks every checksum and hash-chain
    /// link; with a checkpoint, proves the log still holds what was signed.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every checksum and hash-chain link; with --checkpoint, prove the log is unchanged up to it.",
            discussion: """
                Exit codes: 0 intact (and, with --checkpoint, unchanged up to it); 3 a checksum or \
                hash-chain link fails (damage, or an edit that did not redo the chain), naming the \
                first damaged place; 4 the log differs from the checkpoint (a record edited, deleted, \
                inserted or reordered), naming the first sequence where it differs; 5 the log is \
                shorter than the checkpoint (truncated); 6 the checkpoint is not valid (wrong key, \
                altered, another log's); 1 the log cannot be read at all. The original Azure payloads kept \
                in sources/ are checked too, when there are any.
                """)

        @OptionGroup var location: LogLocation

        @Option(help: ArgumentHelp("A checkpoint (from `patchlog checkpoint`) to prove the log against.", valueName: "file"))
        var checkpoint: String?

        @Option(help: ArgumentHelp("The public key that signed the checkpoint.", valueName: "file"))
        var key: String?

        func validate() throws {
            if (checkpoint == nil) != (key == nil) {
                throw ValidationError("--checkpoint and --key go together: a checkpoint is only evidence once its signature is checked")
            }
        }

        func run() throws {
            var trusted: Checkpoint?
            if let checkpoint, let key {
                let cp = try EvidenceFiles.checkpoint(checkpoint)
                try EvidenceFiles.requireValid(cp, path: checkpoint, key: try EvidenceFiles.publicKey(key), keyPath: key)
                trusted = cp
            }
            let report = try FileLog.verify(directory: location.directory)
            for note in report.notes { Terminal.note(note) }
            if let problem = report.problem {
                print("DAMAGED: \(problem)")
                print("checked \(Terminal.grouped(report.records)) records in \(report.blocks) blocks before it")
                throw ExitCode(ExitCodes.damaged)
            }
            print("ok: \(Terminal.grouped(report.records)) records in \(report.blocks) blocks and \(report.segments) segments; every checksum and hash-chain link matches")
            try verifyKeptPayloads()
            guard let cp = trusted, let checkpoint else { return }
            let log = try location.open(.reader)
            if cp.logID != log.logID {
                print("CHECKPOINT NOT VALID: \(checkpoint): it is a checkpoint of log \(cp.logID); this log is \(log.logID)")
                throw ExitCode(ExitCodes.checkpointInvalid)
            }
            let verdict = try cp.compare(with: log)
            switch verdict {
            case .intact:
                print("ok: \(verdict.description) (\(Terminal.grouped(cp.treeSize)) records, root \(cp.root), signed \(cp.time) by key \(cp.keyID))")
            case .truncated:
                print("TRUNCATED: \(verdict.description)")
                throw ExitCode(ExitCodes.truncated)
            case .differs:
                print("CHANGED: \(verdict.description)")
                throw ExitCode(ExitCodes.differs)
            }
        }

        /// The original payloads of Azure imports, kept in a store of their own.
        private func verifyKeptPayloads() throws {
            let sources = RawPayloadStore.path(logDirectory: location.directory)
            guard FileLog.exists(at: sources) else { return }
            let kept = try FileLog.verify(directory: sources)
            if let problem = kept.problem {
                print("DAMAGED: \(RawPayloadStore.directoryName)/: \(problem)")
                throw ExitCode(ExitCodes.damaged)
            }
            print("ok: \(RawPayloadStore.directoryName)/: \(Terminal.grouped(kept.records)) payload records in \(kept.blocks) blocks; every checksum and hash-chain link matches")
        }
    }
}
