import ArgumentParser
import AzureImport
import EventLog
import Events
import Evidence
import LogStore
import Replay

extension Patchlog {
    /// `patchlog verify`: reads every record and checks every checksum and hash-chain
    /// link; with a checkpoint, proves the log still holds what was signed.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every checksum and hash-chain link; with --checkpoint, prove the log is unchanged up to it.",
            discussion: """
                Exit codes: 0 intact (and, with --checkpoint, unchanged up to it); 3 a checksum or \
                hash-chain link fails (damage, or an edit that did not redo the chain), naming the \
                first damaged place; 4 the log differs from the checkpoint (a record edited, deleted, \
                inserted or reordered), naming the first sequence where it differs; 5 the log is \
                shorter than the checkpoint (truncated); 6 the checkpoint is not valid (wrong key, \
                altered, another log's); 1 the log cannot be read at all. The index files are \
                recomputed from the records and compared (a list that hides or adds a block is damage, \
                3, naming the file). The original Azure payloads kept \
                in sources/ are checked too: their checksums and chain, that each one's bytes still hash \
                to its sha256: name, and that every event's source names a payload that is kept (the \
                checkpoint covers the events, and through their source names the payloads); a failure \
                is damage (3). Every check runs whatever the others found, and every problem is \
                printed; with --checkpoint the exit code is the checkpoint's (4, 5) when the log does \
                not match it, else 3 if anything was damaged.
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
            // Every check runs and reports what it finds, whatever an earlier one found:
            // damage must not hide a change the checkpoint would show, nor the reverse.
            var damaged = false
            let report = try FileLog.verify(directory: location.directory)
            for note in report.notes { Terminal.note(note) }
            if let problem = report.problem {
                print("DAMAGED: \(problem)")
                print("checked \(Terminal.grouped(report.records)) records in \(report.blocks) blocks before it")
                damaged = true
            } else {
                print("ok: \(Terminal.grouped(report.records)) records in \(report.blocks) blocks and \(report.segments) segments; every checksum and hash-chain link matches")
            }
            if try !verifyKeptPayloads() { damaged = true }
            if let cp = trusted, let checkpoint { try compare(cp, path: checkpoint) }
            if damaged { throw ExitCode(ExitCodes.damaged) }
        }

        /// Compares the log with a checkpoint whose signature was checked: exit 4 or 5
        /// when it does not match (a checkpoint's verdict outranks damage found before
        /// it: it says what changed), 6 when it is another log's, 3 when the records
        /// cannot be read to compare.
        private func compare(_ cp: Checkpoint, path checkpoint: String) throws {
            let log: FileLog
            do { log = try location.open(.reader) } catch let error as LogError {
                print("DAMAGED: the records cannot be read to compare them with \(checkpoint): \(error)")
                throw ExitCode(ExitCodes.damaged)
            }
            if cp.logID != log.logID {
                print("CHECKPOINT NOT VALID: \(checkpoint): it is a checkpoint of log \(cp.logID); this log is \(log.logID)")
                throw ExitCode(ExitCodes.checkpointInvalid)
            }
            // The creation time in LOG is covered by nothing else (its CRC anyone can
            // recompute): the checkpoint signs it.
            let changedCreation = EvidenceFiles.changedCreationTime(cp, log, directory: location.directory)
            if let changedCreation { print("CHANGED: " + changedCreation) }
            let created = changedCreation == nil
            let verdict: CheckpointVerdict
            do {
                verdict = try cp.compare(with: log)
            } catch {
                print("DAMAGED: the records cannot be read to compare them with \(checkpoint): \(error)")
                throw ExitCode(ExitCodes.damaged)
            }
            switch verdict {
            case .intact where !created:
                print("ok: the records match: \(verdict.description)")
                throw ExitCode(ExitCodes.differs)
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

        /// The original payloads of Azure imports, kept in a store of their own: its
        /// checksums and chain, then each payload against its `sha256:` name and each
        /// event's `source` against the payloads kept (the checkpoint covers the
        /// events, so this extends it to the payloads).
        /// Returns false when it found damage (printed).
        private func verifyKeptPayloads() throws -> Bool {
            let directory = RawPayloadStore.path(logDirectory: location.directory)
            let label = RawPayloadStore.directoryName + "/"
            var payloads: RawPayloadStore?
            if FileLog.exists(at: directory) {
                let kept = try FileLog.verify(directory: directory)
                if let problem = kept.problem {
                    print("DAMAGED: \(label): \(problem)")
                    return false
                }
                print("ok: \(label): \(Terminal.grouped(kept.records)) payload records in \(kept.blocks) blocks; every checksum and hash-chain link matches")
                payloads = try RawPayloadStore.open(logDirectory: location.directory, access: .reader, create: false)
            }
            let check: PayloadCheck
            do {
                let events = try location.open(.reader)
                defer { events.close() }
                check = try RawPayloadStore.verify(events: HotpatchLog(store: events), payloads: payloads)
            } catch let error as LogError {
                // The event log's damage is reported above; say what it stopped.
                print("NOT CHECKED: \(label): which events cite a kept payload, since the events cannot be read: \(error)")
                return false
            }
            for problem in check.problems { print("DAMAGED: \(label): \(problem)") }
            if !check.isIntact { return false }
            guard payloads != nil || check.citingEvents > 0 else { return true }
            print("ok: \(label): \(Terminal.grouped(check.payloads)) payloads each hash to their sha256: name; the \(Terminal.grouped(check.citingEvents)) events that cite one all find it"
                  + (check.uncited > 0 ? " (\(Terminal.grouped(check.uncited)) payloads cited by no event)" : "")
                  + (check.unreadableRecords > 0 ? " (\(Terminal.grouped(check.unreadableRecords)) records are not readable events and cite nothing)" : ""))
            return true
        }
    }
}
