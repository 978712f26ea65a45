import ArgumentParser
import Events
import Evidence
import LogStore
import SystemIO

/// Reading the files of tamper evidence (keys, checkpoints, proofs) for commands,
/// with errors that name the file.
enum EvidenceFiles {
    /// The text of `path`, or a failure naming it.
    static func text(_ path: String, what: String) throws -> String {
        do { return String(decoding: try FileSystem.read(path), as: UTF8.self) } catch {
            throw CommandFailure("cannot read \(what) \(path): \(error)")
        }
    }

    /// The checkpoint in the file at `path`. A file that is not a checkpoint at all
    /// (no `patchlog checkpoint 1` line first) is an error (exit 1); one that begins as
    /// a checkpoint but whose fields do not parse or do not agree (an edited
    /// `sequence` or `tree-size` line) was altered: not valid, exit 6.
    static func checkpoint(_ path: String) throws -> Checkpoint {
        let content = try text(path, what: "checkpoint")
        do {
            return try Checkpoint(text: content, file: path)
        } catch {
            let first = content.split(separator: "\n", omittingEmptySubsequences: false).first { !$0.hasPrefix("#") }
            guard first == "patchlog checkpoint 1" else { throw error }
            print("CHECKPOINT NOT VALID: \(error): the checkpoint was altered")
            throw ExitCode(ExitCodes.checkpointInvalid)
        }
    }

    static func publicKey(_ path: String) throws -> VerifyingKey {
        try VerifyingKey(text: try text(path, what: "public key"), file: path)
    }

    /// Checks that `key` signed `checkpoint` and, given `logID`, that it is this log's;
    /// exits 6 with the reason when not.
    static func requireValid(_ checkpoint: Checkpoint, path: String, key: VerifyingKey, keyPath: String, logID: String? = nil) throws {
        func reject(_ reason: String) throws -> Never {
            print("CHECKPOINT NOT VALID: \(path): \(reason)")
            throw ExitCode(ExitCodes.checkpointInvalid)
        }
        if checkpoint.keyID != key.keyID {
            try reject("it was signed with key \(checkpoint.keyID); \(keyPath) is key \(key.keyID)")
        }
        if !checkpoint.isSigned(by: key) { try reject("its signature does not verify with \(keyPath): the checkpoint was altered") }
        if !checkpoint.groupsMatchRoot { try reject("its groups do not hash to its signed root") }
        if let logID, checkpoint.logID != logID {
            try reject("it is a checkpoint of log \(checkpoint.logID); this log is \(logID)")
        }
    }

    /// What is wrong when the log's creation time (in `LOG`, covered by nothing but
    /// the checkpoints that sign it) is not the one `checkpoint` signed; nil when it is,
    /// or when the checkpoint signs none (made by an older build).
    static func changedCreationTime(_ checkpoint: Checkpoint, _ log: FileLog, directory: String) -> String? {
        guard let signed = checkpoint.logCreated else { return nil }
        let actual = Timestamp(nanoseconds: log.createdAt).description
        guard signed != actual else { return nil }
        return "the log's creation time is \(actual), the checkpoint signed \(signed): \(directory)/LOG was altered"
    }
}

/// The exit codes of the evidence commands (documented in `patchlog --help`).
enum ExitCodes {
    /// `verify`: a checksum or hash-chain link fails.
    static let damaged: Int32 = 3
    /// `verify --checkpoint`, `verify-proof`: the log or proof does not match.
    static let differs: Int32 = 4
    /// `verify --checkpoint`: the log is shorter than the checkpoint.
    static let truncated: Int32 = 5
    /// The checkpoint is not signed by the key, not of this log, or malformed.
    static let checkpointInvalid: Int32 = 6
}
