import ArgumentParser
import EventLog
import Evidence
import JSONLines
import Replay

extension Patchlog {
    /// `patchlog verify-proof`: an auditor's check of a proof against signed
    /// checkpoints, without the log.
    struct VerifyProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-proof",
            abstract: "Check a proof from `patchlog prove` against signed checkpoints, without the log.",
            discussion: "Exit codes: 0 the proof holds; 4 it does not; 6 a checkpoint is not valid (wrong key, altered); 1 a file cannot be read or parsed.")

        @Argument(help: ArgumentHelp("The proof file.", valueName: "proof"))
        var proof: String

        @Option(help: ArgumentHelp("The public key that signed the checkpoints.", valueName: "file"))
        var key: String

        @Option(help: ArgumentHelp("The checkpoint (for a consistency proof: the newer one).", valueName: "file"))
        var checkpoint: String

        @Option(help: ArgumentHelp("For a consistency proof: the older checkpoint.", valueName: "file"))
        var old: String?

        func run() throws {
            let publicKey = try EvidenceFiles.publicKey(key)
            let cp = try EvidenceFiles.checkpoint(checkpoint)
            try EvidenceFiles.requireValid(cp, path: checkpoint, key: publicKey, keyPath: key)
            let text = try EvidenceFiles.text(proof, what: "proof")
            if ConsistencyProof.isConsistencyProof(text) {
                guard let old else { throw CommandFailure("\(proof) is a consistency proof: give the older checkpoint with --old") }
                let oldCP = try EvidenceFiles.checkpoint(old)
                try EvidenceFiles.requireValid(oldCP, path: old, key: publicKey, keyPath: key, logID: cp.logID)
                let p = try ConsistencyProof(text: text, file: proof)
                do { try p.check(old: oldCP, new: cp) } catch {
                    print("NOT PROVEN: \(proof) does not show that the log of \(checkpoint) (\(cp.treeSize) records) extends the log of \(old) (\(oldCP.treeSize) records): \(error.reason)")
                    throw ExitCode(ExitCodes.differs)
                }
                print("proven: the log at \(checkpoint) (\(cp.treeSize) records) begins with exactly the \(oldCP.treeSize) records of \(old); it only grew")
            } else {
                if old != nil { throw CommandFailure("\(proof) is an inclusion proof: --old is for consistency proofs") }
                let p = try InclusionProof(text: text, file: proof)
                do { try p.check(against: cp) } catch {
                    print("NOT PROVEN: \(proof) does not show record \(p.record.sequence) (id \(p.record.id)) in the log of \(checkpoint): \(error.reason)")
                    throw ExitCode(ExitCodes.differs)
                }
                print("proven: record \(p.record.sequence) (id \(p.record.id), stream \(p.record.stream)) is in the log \(cp.logID) as signed at \(cp.time) (\(cp.treeSize) records)")
                // What was proven is the record in the proof's fields, decoded here; the
                // file's comment lines are for reading and prove nothing.
                if let event = try? HotpatchLog.event(from: p.record) {
                    print("event: " + EventJSONEncoder.encode(event))
                }
                if text.split(separator: "\n").contains(where: { $0.hasPrefix("#") }) {
                    print("note: the proof file's # comment lines are not covered by the proof; the event above is")
                }
            }
        }
    }
}
