import EventLog
import Evidence
import LogStore
import Replay

/// The evidence parsers' fuzz target: the input, as text, is parsed as a signed
/// checkpoint, an inclusion proof, a consistency proof and a public and a private
/// key file. A proof that parses is also checked (Merkle path arithmetic on
/// arbitrary sizes) against a checkpoint of the sample log given the proof's log id
/// and sizes.
///
/// Property: whatever parses, written out as text again, parses to the same value.
enum EvidenceTextTarget {
    static let logID = "00112233445566778899aabbccddeeff"

    /// The sample history in an in-memory log (only read, and only under the lock
    /// ``FuzzTarget/run(_:)`` holds).
    static let log: InMemoryLog = {
        let store = InMemoryLog()
        _ = try! HotpatchLog(store: store).append(SampleEvents.events)
        return store
    }()

    /// A signed checkpoint of the whole sample log.
    static let checkpoint: Checkpoint = {
        try! Checkpoint.make(log: log, logID: logID, treeSize: log.count, time: "2025-06-01T00:00:00Z", key: SigningKey())
    }()

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let parsed = try? Checkpoint(text: text, file: "fuzz") {
            precondition((try? Checkpoint(text: parsed.text, file: "fuzz")) == parsed, "checkpoint text does not round-trip: \(parsed)")
        }
        if let proof = try? InclusionProof(text: text, file: "fuzz") {
            precondition((try? InclusionProof(text: proof.text(), file: "fuzz")) == proof, "inclusion proof text does not round-trip")
            var against = checkpoint
            against.logID = proof.logID
            against.treeSize = proof.treeSize
            _ = try? proof.check(against: against)
        }
        if let proof = try? ConsistencyProof(text: text, file: "fuzz") {
            precondition((try? ConsistencyProof(text: proof.text, file: "fuzz")) == proof, "consistency proof text does not round-trip")
            var old = checkpoint
            var new = checkpoint
            old.logID = proof.logID
            new.logID = proof.logID
            old.treeSize = proof.oldSize
            new.treeSize = proof.newSize
            _ = try? proof.check(old: old, new: new)
        }
        if let key = try? VerifyingKey(text: text, file: "fuzz") {
            precondition((try? VerifyingKey(text: key.text, file: "fuzz")) == key, "public key text does not round-trip")
        }
        if let key = try? SigningKey(text: text, file: "fuzz") {
            precondition((try? SigningKey(text: key.text, file: "fuzz"))?.publicKey == key.publicKey, "key text does not round-trip")
        }
    }

    /// Seeds: the checkpoint, proofs of the sample log and a key pair, as text.
    static var seeds: [(name: String, bytes: [UInt8])] {
        let key = SigningKey()
        var seeds: [(String, String)] = [("checkpoint", checkpoint.text), ("private-key", key.text)]
        seeds.append(("public-key", key.publicKey.text))
        for sequence in [1, 5, log.count] {
            if let proof = try? InclusionProof.make(log: log, logID: logID, sequence: sequence, treeSize: log.count) {
                seeds.append(("inclusion-\(sequence)", proof.text()))
            }
        }
        for oldSize in [1, 3, log.count - 1] {
            if let proof = try? ConsistencyProof.make(log: log, logID: logID, oldSize: oldSize, newSize: log.count) {
                seeds.append(("consistency-\(oldSize)", proof.text))
            }
        }
        return seeds.map { ($0.0, Array($0.1.utf8)) }
    }
}
