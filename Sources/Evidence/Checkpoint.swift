import ByteCoding
import LogStore

/// A signed statement of what a log held at one moment: its id, how many records
/// (the tree size, equal to the last sequence number), the Merkle root over them,
/// and when. Publish it (print it, mail it, commit it elsewhere); later, anyone with
/// the public key can prove that the log still begins with exactly those records.
///
/// Text form (UTF-8, one field per line; the signature covers every byte before the
/// `signature` line):
///
/// ```
/// patchlog checkpoint 1
/// log: 5f0c…(32 hex digits)
/// log-created: 2026-11-01T09:12:44.123456789Z
/// sequence: 1504337
/// tree-size: 1504337
/// root: 9a1b…(64 hex digits)
/// time: 2026-11-22T04:30:00Z
/// key: 0123456789abcdef
/// signature: …(128 hex digits, Ed25519)
/// groups: 9 2939
/// <one subtree root per line>
/// ```
///
/// `log-created`, the creation time in the log's identity file (nanoseconds), is signed
/// with the rest, so that it cannot be altered unseen; checkpoints written before it
/// existed have no such line, and are still read and checked.
///
/// The optional `groups: K N` section, after the signature, lists the roots of the N
/// subtrees of 2^K consecutive records (the last may be shorter). It is not signed
/// but must hash up to the signed root; `verify` uses it to say where a log first
/// differs (to within 2^K records; K is 0, exact, for logs of up to 4,096 records).
public struct Checkpoint: Sendable, Equatable {
    /// The log's id (hex).
    public var logID: String
    /// When the log was created, as its identity file says (RFC 3339, UTC, to the
    /// nanosecond); nil in checkpoints written before this line existed.
    public var logCreated: String?
    /// How many records the tree covers: records 1...treeSize.
    public var treeSize: UInt64
    /// The Merkle tree's root over those records.
    public var root: Hash32
    /// When it was made (RFC 3339, UTC), as written by the maker.
    public var time: String
    /// ``VerifyingKey/keyID`` of the key that signed it.
    public var keyID: String
    /// Ed25519 signature of ``signedText``.
    public var signature: [UInt8]
    /// log2 of the group size (``groupBits(forSize:)`` of the tree size).
    public var groupBits: Int
    /// The roots of the subtrees of 2^groupBits consecutive records, in order (empty
    /// when the file has no groups section).
    public var groups: [Hash32]

    static let header = "patchlog checkpoint 1"
    /// Most groups a checkpoint lists.
    public static let maxGroups: UInt64 = 4096

    /// The signed part of the text.
    public var signedText: String {
        """
        \(Self.header)
        log: \(logID)
        \(logCreated.map { "log-created: \($0)\n" } ?? "")sequence: \(treeSize)
        tree-size: \(treeSize)
        root: \(root)
        time: \(time)
        key: \(keyID)

        """
    }

    /// The whole file's text.
    public var text: String {
        var s = signedText + "signature: \(Hex.encode(signature))\n"
        if !groups.isEmpty {
            s += "groups: \(groupBits) \(groups.count)\n"
            for g in groups { s += "\(g)\n" }
        }
        return s
    }

    /// The smallest K for which a tree of `size` leaves has at most ``maxGroups``
    /// groups of 2^K.
    public static func groupBits(forSize size: UInt64) -> Int {
        var k = 0
        while groupCount(size: size, bits: k) > maxGroups { k += 1 }
        return k
    }

    /// How many groups of 2^`bits` leaves a tree of `size` has (the last may be short).
    public static func groupCount(size: UInt64, bits: Int) -> UInt64 {
        bits >= 63 ? (size > 0 ? 1 : 0) : size / (1 << UInt64(bits)) + (size % (1 << UInt64(bits)) == 0 ? 0 : 1)
    }

    /// The leaf ranges of the groups of 2^`bits` leaves in a tree of `size`.
    public static func groupRanges(size: UInt64, bits: Int) -> [Range<UInt64>] {
        let width: UInt64 = bits >= 63 ? UInt64.max : 1 << UInt64(bits)
        var out: [Range<UInt64>] = []
        var start: UInt64 = 0
        while start < size {
            let end = size - start > width ? start + width : size
            out.append(start..<end)
            start = end
        }
        return out
    }

    /// Makes and signs the checkpoint of the first `treeSize` records of `log`.
    public static func make(log: any LogStore, logID: String, logCreated: String? = nil, treeSize: UInt64, time: String, key: SigningKey) throws -> Checkpoint {
        let bits = groupBits(forSize: treeSize)
        let ranges = groupRanges(size: treeSize, bits: bits)
        let (groups, root) = try LogLeaves.hashes(of: ranges, size: treeSize, in: log)
        var cp = Checkpoint(logID: logID, logCreated: logCreated, treeSize: treeSize, root: root, time: time, keyID: key.publicKey.keyID,
                            signature: [], groupBits: bits, groups: groups)
        cp.signature = try key.sign(Array(cp.signedText.utf8))
        return cp
    }

    /// Whether `key` signed this checkpoint.
    public func isSigned(by key: VerifyingKey) -> Bool {
        key.isValidSignature(signature, for: Array(signedText.utf8))
    }

    /// Whether the groups, when present, hash up to the root.
    public var groupsMatchRoot: Bool {
        guard !groups.isEmpty else { return true }
        guard groupBits == Self.groupBits(forSize: treeSize), UInt64(groups.count) == Self.groupCount(size: treeSize, bits: groupBits) else { return false }
        var acc = MerkleAccumulator()
        for (range, g) in zip(Self.groupRanges(size: treeSize, bits: groupBits), groups) {
            acc.append(subtree: g, size: UInt64(range.count))
        }
        return acc.root == root
    }
}
