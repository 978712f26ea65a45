import ArgumentParser
import EventLog
import Evidence
import JSONLines
import LogStore
import Replay

extension Patchlog {
    /// `patchlog prove`: inclusion and consistency proofs for auditors.
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "Print a proof an auditor checks with `patchlog verify-proof`, without the log.",
            discussion: """
                --seq N --checkpoint CP: that record N is in the log CP signed (the proof carries the record). \
                --from OLD --to NEW: that the log of checkpoint NEW begins with exactly the records of \
                checkpoint OLD (it only grew).
                """)

        @OptionGroup var location: LogLocation

        @Option(parsing: .unconditional, help: ArgumentHelp("The record to prove.", valueName: "n"))
        var seq: UInt64?

        @Option(help: ArgumentHelp("The checkpoint the inclusion proof is for (its tree size).", valueName: "file"))
        var checkpoint: String?

        @Option(help: ArgumentHelp("The older checkpoint of a consistency proof.", valueName: "file"))
        var from: String?

        @Option(help: ArgumentHelp("The newer checkpoint of a consistency proof.", valueName: "file"))
        var to: String?

        @Option(help: ArgumentHelp("Write the proof to this file instead of standard output.", valueName: "file"))
        var out: String?

        func validate() throws {
            let inclusion = seq != nil || checkpoint != nil
            let consistency = from != nil || to != nil
            if inclusion && consistency { throw ValidationError("give either --seq with --checkpoint (inclusion) or --from with --to (consistency), not both") }
            if !inclusion && !consistency { throw ValidationError("give --seq N --checkpoint FILE, or --from OLD --to NEW") }
            if inclusion && (seq == nil || checkpoint == nil) { throw ValidationError("an inclusion proof needs both --seq and --checkpoint") }
            if consistency && (from == nil || to == nil) { throw ValidationError("a consistency proof needs both --from and --to") }
            if seq == 0 { throw ValidationError("--seq counts from 1") }
            try Output.validate(out)
        }

        func run() throws {
            let log = try location.open(.reader)
            let text: String
            if let seq, let checkpoint {
                let cp = try EvidenceFiles.checkpoint(checkpoint)
                try requireThisLog(cp, checkpoint, log)
                guard seq <= cp.treeSize else {
                    throw CommandFailure("--seq \(seq) is past the end of checkpoint \(checkpoint): it covers " + (cp.treeSize == 0 ? "no records" : "records 1...\(cp.treeSize)"))
                }
                let proof = try context(checkpoint) { try InclusionProof.make(log: log, logID: log.logID, sequence: seq, treeSize: cp.treeSize) }
                // A proof is only worth handing out if it proves something: a log that
                // no longer hashes to the checkpoint's root gets none (exit 4, as
                // `verify --checkpoint` would).
                do { try proof.check(against: cp) } catch {
                    print("CHANGED: the log no longer matches checkpoint \(checkpoint): record \(seq) does not prove into its root (\(error.reason)); `patchlog verify --checkpoint \(checkpoint) --key PUB` names the first difference")
                    throw ExitCode(ExitCodes.differs)
                }
                text = proof.text(comment: describe(proof.record))
            } else if let from, let to {
                let old = try EvidenceFiles.checkpoint(from)
                let new = try EvidenceFiles.checkpoint(to)
                try requireThisLog(old, from, log)
                try requireThisLog(new, to, log)
                guard old.treeSize >= 1 else { throw CommandFailure("--from \(from) covers no records: the older checkpoint of a consistency proof must cover at least one") }
                guard old.treeSize <= new.treeSize else {
                    throw CommandFailure("--from \(from) (\(old.treeSize) records) is newer than --to \(to) (\(new.treeSize) records): give the older checkpoint with --from")
                }
                let proof = try context("\(from) and \(to)") { try ConsistencyProof.make(log: log, logID: log.logID, oldSize: old.treeSize, newSize: new.treeSize) }
                do { try proof.check(old: old, new: new) } catch {
                    print("CHANGED: the log no longer matches \(from) and \(to): no consistency proof between them can be made from it (\(error.reason)); `patchlog verify --checkpoint` names the first difference")
                    throw ExitCode(ExitCodes.differs)
                }
                text = proof.text
            } else {
                return
            }
            let file = try Output.open(out)
            try file.writeNext(Array(text.utf8))
            try file.commit()
        }

        /// Runs `body`, naming the checkpoint(s) a failure is about.
        private func context<R>(_ checkpoints: String, _ body: () throws -> R) throws -> R {
            do { return try body() } catch let error as EvidenceError { throw CommandFailure("\(checkpoints): \(error)") }
        }

        /// Refuses a checkpoint of another log, and (exit 4, as `verify --checkpoint`)
        /// a log whose creation time is not the one the checkpoint signed.
        private func requireThisLog(_ cp: Checkpoint, _ path: String, _ log: FileLog) throws {
            guard cp.logID == log.logID else { throw CommandFailure("\(path) is a checkpoint of log \(cp.logID); this log is \(log.logID)") }
            if let changed = EvidenceFiles.changedCreationTime(cp, log, directory: location.directory) {
                print("CHANGED: \(path): " + changed)
                throw ExitCode(ExitCodes.differs)
            }
        }

        /// The record as a person reads it: its event as JSON, when it is one.
        private func describe(_ record: StoredRecord) -> [String] {
            var lines = ["record \(record.sequence), stream \(record.stream), id \(record.id)"]
            if let event = try? HotpatchLog.event(from: record) {
                lines.append("event " + EventJSONEncoder.encode(event))
            }
            return lines
        }
    }
}
