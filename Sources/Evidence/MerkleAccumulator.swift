/// The root of a Merkle tree (RFC 9162 §2.1.1, "MTH") computed from its leaves in
/// order, keeping only O(log n) hashes: the roots of the complete subtrees so far.
///
/// Subtrees may also be pushed whole (their hash and size), as long as each is
/// aligned the way the tree splits — which holds for the groups of 2^k leaves a
/// checkpoint records, the last of them possibly short.
public struct MerkleAccumulator: Sendable {
    private var stack: [(hash: Hash32, size: UInt64)] = []
    /// Leaves pushed so far.
    public private(set) var size: UInt64 = 0

    /// An empty tree.
    public init() {}

    /// Adds the next leaf by its leaf hash.
    public mutating func append(leaf hash: Hash32) { append(subtree: hash, size: 1) }

    /// Adds the next `size` leaves by the root of their subtree.
    public mutating func append(subtree hash: Hash32, size count: UInt64) {
        var h = hash
        var s = count
        while let last = stack.last, last.size == s {
            h = MerkleHash.node(last.hash, h)
            s *= 2
            stack.removeLast()
        }
        stack.append((h, s))
        size += count
    }

    /// The tree's root hash (the empty tree's hash when nothing was pushed).
    public var root: Hash32 {
        guard var h = stack.last?.hash else { return MerkleHash.empty }
        for entry in stack.dropLast().reversed() { h = MerkleHash.node(entry.hash, h) }
        return h
    }
}
