import ByteCoding
import LogStore

/// An inclusion proof: that one record is record N of a log whose checkpoint an
/// auditor holds. It carries the record itself, so it can be checked without the log.
///
/// ```
/// patchlog inclusion-proof 1
/// log: <hex>
/// tree-size: 1504337
/// sequence: 42
/// time: <nanoseconds since 1970, the record's time>
/// stream: <hex of the stream key's UTF-8>
/// id: <hex of the id's UTF-8>
/// payload: <hex>
/// path: 3
/// <subtree root per line>
/// ```
/// Lines starting with `#` are comments (patchlog prints the record readably there).
public struct InclusionProof: Sendable, Equatable {
    /// The log's id (hex).
    public var logID: String
    /// The size of the tree the proof is for: the checkpoint's tree size.
    public var treeSize: UInt64
    /// The record.
    public var record: StoredRecord
    /// Subtree roots from the leaf up (RFC 9162 §2.1.3).
    public var path: [Hash32]

    static let header = "patchlog inclusion-proof 1"

    /// Builds the proof that record `sequence` is in the tree of the first
    /// `treeSize` records of `log`.
    public static func make(log: any LogStore, logID: String, sequence: UInt64, treeSize: UInt64) throws -> InclusionProof {
        guard treeSize <= log.count else { throw EvidenceError.logTooShort(records: log.count, needed: treeSize) }
        guard sequence >= 1, sequence <= treeSize else {
            throw EvidenceError.invalidRequest("sequence \(sequence) is not in a tree of \(treeSize) records (1...\(treeSize))")
        }
        let ranges = MerkleProof.inclusionRanges(leaf: sequence - 1, size: treeSize)
        let (path, _) = try LogLeaves.hashes(of: ranges, size: treeSize, in: log)
        guard let record = try log.read(sequence...sequence).first else { throw EvidenceError.logTooShort(records: log.count, needed: sequence) }
        return InclusionProof(logID: logID, treeSize: treeSize, record: record, path: path)
    }

    /// Checks that the proof shows its record in the tree of `checkpoint` (same log,
    /// same size, path leads to its root); throws why not. The checkpoint's signature
    /// is checked apart.
    public func check(against checkpoint: Checkpoint) throws(MerkleProof.Failure) {
        guard checkpoint.logID == logID else { throw MerkleProof.Failure("the proof is of log \(logID), the checkpoint of log \(checkpoint.logID)") }
        guard checkpoint.treeSize == treeSize else {
            throw MerkleProof.Failure("the proof is for a tree of \(treeSize) records, the checkpoint signs \(checkpoint.treeSize)")
        }
        try MerkleProof.checkInclusion(index: record.sequence - 1, size: treeSize, leaf: LogLeaves.hash(record), path: path, root: checkpoint.root)
    }

    /// The file's text, with `comment` lines (without `#`) after the header.
    public func text(comment: [String] = []) -> String {
        var s = Self.header + "\n"
        for c in comment { s += "# " + c + "\n" }
        s += "log: \(logID)\ntree-size: \(treeSize)\nsequence: \(record.sequence)\ntime: \(record.time)\n"
        s += "stream: \(Hex.encode(Array(record.stream.utf8)))\nid: \(Hex.encode(Array(record.id.utf8)))\n"
        s += "payload: \(Hex.encode(record.payload))\npath: \(path.count)\n"
        for p in path { s += "\(p)\n" }
        return s
    }

    /// Parses a proof file's text; `file` names it in errors.
    public init(text: String, file: String) throws(EvidenceError) {
        var lines = TextLines(text: text, file: file)
        try lines.expect(Self.header)
        logID = try lines.field("log") { hexText($0) }
        treeSize = try lines.field("tree-size") { UInt64($0) }
        let sequence = try lines.field("sequence") { UInt64($0).flatMap { $0 >= 1 ? $0 : nil } }
        let time = try lines.field("time") { Int64($0) }
        let stream = try lines.field("stream") { Hex.decode($0).flatMap { String(validating: $0, as: UTF8.self) } }
        let id = try lines.field("id") { Hex.decode($0).flatMap { String(validating: $0, as: UTF8.self) } }
        let payload = try lines.field("payload") { Hex.decode($0) }
        record = StoredRecord(sequence: sequence, time: time, stream: stream, id: id, payload: payload)
        path = try lines.hashList()
        try lines.expectEnd()
    }

    init(logID: String, treeSize: UInt64, record: StoredRecord, path: [Hash32]) {
        self.logID = logID
        self.treeSize = treeSize
        self.record = record
        self.path = path
    }
}

/// A consistency proof: that the log at a newer checkpoint begins with exactly the
/// records of an older one — it only grew.
///
/// ```
/// patchlog consistency-proof 1
/// log: <hex>
/// old-size: 1000
/// new-size: 1504337
/// path: 12
/// <subtree root per line>
/// ```
public struct ConsistencyProof: Sendable, Equatable {
    /// The log's id (hex).
    public var logID: String
    /// The older checkpoint's tree size.
    public var oldSize: UInt64
    /// The newer checkpoint's tree size.
    public var newSize: UInt64
    /// Subtree roots (RFC 9162 §2.1.4).
    public var path: [Hash32]

    static let header = "patchlog consistency-proof 1"

    /// Builds the proof between the trees of the first `oldSize` and `newSize` records.
    public static func make(log: any LogStore, logID: String, oldSize: UInt64, newSize: UInt64) throws -> ConsistencyProof {
        guard oldSize >= 1, oldSize <= newSize else {
            throw EvidenceError.invalidRequest("the older checkpoint must cover at least one record and no more than the newer (\(oldSize) and \(newSize))")
        }
        guard newSize <= log.count else { throw EvidenceError.logTooShort(records: log.count, needed: newSize) }
        let ranges = MerkleProof.consistencyRanges(old: oldSize, new: newSize)
        let (path, _) = try LogLeaves.hashes(of: ranges, size: newSize, in: log)
        return ConsistencyProof(logID: logID, oldSize: oldSize, newSize: newSize, path: path)
    }

    /// Checks that the proof shows that `new` extends `old` (both of this log, of the
    /// proof's sizes); throws why not. Signatures are checked apart.
    public func check(old: Checkpoint, new: Checkpoint) throws(MerkleProof.Failure) {
        guard old.logID == logID, new.logID == logID else { throw MerkleProof.Failure("the proof is of log \(logID), the checkpoints of another") }
        guard old.treeSize == oldSize, new.treeSize == newSize else {
            throw MerkleProof.Failure("the proof is between trees of \(oldSize) and \(newSize) records, the checkpoints sign \(old.treeSize) and \(new.treeSize)")
        }
        try MerkleProof.checkConsistency(oldSize: oldSize, newSize: newSize, oldRoot: old.root, newRoot: new.root, proof: path)
    }

    /// The file's text.
    public var text: String {
        var s = Self.header + "\nlog: \(logID)\nold-size: \(oldSize)\nnew-size: \(newSize)\npath: \(path.count)\n"
        for p in path { s += "\(p)\n" }
        return s
    }

    /// Parses a proof file's text; `file` names it in errors.
    public init(text: String, file: String) throws(EvidenceError) {
        var lines = TextLines(text: text, file: file)
        try lines.expect(Self.header)
        logID = try lines.field("log") { hexText($0) }
        oldSize = try lines.field("old-size") { UInt64($0) }
        newSize = try lines.field("new-size") { UInt64($0) }
        path = try lines.hashList()
        try lines.expectEnd()
    }

    init(logID: String, oldSize: UInt64, newSize: UInt64, path: [Hash32]) {
        self.logID = logID
        self.oldSize = oldSize
        self.newSize = newSize
        self.path = path
    }

    /// Whether a proof file holds a consistency proof, from its first line that is
    /// not a comment.
    public static func isConsistencyProof(_ text: String) -> Bool {
        text.split(separator: "\n").first { !$0.hasPrefix("#") } == Substring(header)
    }
}

extension TextLines {
    /// `path: N` and N subtree roots.
    mutating func hashList() throws(EvidenceError) -> [Hash32] {
        let n = try field("path") { Int($0).flatMap { (0...64).contains($0) ? $0 : nil } }
        var out: [Hash32] = []
        for _ in 0..<n { out.append(try value("a subtree root (64 hex digits)") { Hash32(hex: $0) }) }
        return out
    }
}
