/// Inclusion and consistency proofs of a Merkle tree as RFC 6962 §2.1 builds them and
/// RFC 9162 §2.1.3.2 and §2.1.4.2 verify them.
///
/// A proof is a list of subtree roots. Which subtrees is a matter of arithmetic on
/// the leaf index and tree sizes (``inclusionRanges(leaf:size:)``,
/// ``consistencyRanges(old:new:)``); computing their hashes needs the leaves
/// (``LogLeaves``); checking a proof needs only the proof and the roots.
public enum MerkleProof {
    /// The largest power of two smaller than `n` (n ≥ 2).
    static func split(_ n: UInt64) -> UInt64 {
        var k: UInt64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The leaf ranges whose subtree roots form the inclusion proof of leaf `m` in a
    /// tree of `n` leaves, in proof order (RFC 6962 "PATH").
    public static func inclusionRanges(leaf m: UInt64, size n: UInt64) -> [Range<UInt64>] {
        precondition(m < n)
        func path(_ m: UInt64, _ lo: UInt64, _ hi: UInt64) -> [Range<UInt64>] {
            let count = hi - lo
            if count == 1 { return [] }
            let k = split(count)
            return m - lo < k ? path(m, lo, lo + k) + [(lo + k)..<hi] : path(m, lo + k, hi) + [lo..<(lo + k)]
        }
        return path(m, 0, n)
    }

    /// The leaf ranges whose subtree roots form the consistency proof between trees
    /// of `m` and `n` leaves, 0 < m ≤ n, in proof order (RFC 6962 "PROOF").
    public static func consistencyRanges(old m: UInt64, new n: UInt64) -> [Range<UInt64>] {
        precondition(m > 0 && m <= n)
        func subproof(_ m: UInt64, _ lo: UInt64, _ hi: UInt64, _ whole: Bool) -> [Range<UInt64>] {
            let count = hi - lo
            if m == count { return whole ? [] : [lo..<hi] }
            let k = split(count)
            return m <= k
                ? subproof(m, lo, lo + k, whole) + [(lo + k)..<hi]
                : subproof(m - k, lo + k, hi, false) + [lo..<(lo + k)]
        }
        return subproof(m, 0, n, true)
    }

    /// Why a proof does not prove what it was checked against.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// What did not hold, for a person.
        public let reason: String
        public var description: String { reason }
        init(_ reason: String) { self.reason = reason }
    }

    /// Checks that `path` proves that the leaf with hash `leaf` is leaf number `index`
    /// of the tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2); throws
    /// why not.
    public static func checkInclusion(index: UInt64, size: UInt64, leaf: Hash32, path: [Hash32], root: Hash32) throws(Failure) {
        guard index < size else { throw Failure("leaf \(index) is not in a tree of \(size) leaves") }
        var r = leaf
        try walk(path, first: index, last: size - 1) { p, left in r = left ? MerkleHash.node(p, r) : MerkleHash.node(r, p) }
        guard r == root else { throw Failure("the path leads to another root than the checkpoint's") }
    }

    /// Checks that `proof` shows that the tree of `newSize` leaves with root `newRoot`
    /// extends the tree of `oldSize` leaves with root `oldRoot`: the log only grew
    /// (RFC 9162 §2.1.4.2); throws why not.
    public static func checkConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: Hash32, newRoot: Hash32, proof: [Hash32]) throws(Failure) {
        guard oldSize <= newSize else { throw Failure("the older tree (\(oldSize) leaves) is larger than the newer (\(newSize))") }
        if oldSize == newSize {
            guard proof.isEmpty else { throw Failure("trees of the same size need an empty proof") }
            guard oldRoot == newRoot else { throw Failure("two trees of \(oldSize) leaves with different roots") }
            return
        }
        guard oldSize > 0 else { throw Failure("the older tree is empty") }
        guard !proof.isEmpty else { throw Failure("the proof is empty") }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0]
        var sr = path[0]
        try walk(path.dropFirst(), first: fn, last: sn) { c, left in
            if left { fr = MerkleHash.node(c, fr) }
            sr = left ? MerkleHash.node(c, sr) : MerkleHash.node(sr, c)
        }
        guard fr == oldRoot else { throw Failure("the proof does not lead to the older checkpoint's root") }
        guard sr == newRoot else { throw Failure("the proof does not lead to the newer checkpoint's root") }
    }

    /// RFC 9162's walk up the tree, shared by both checks: for each hash of `path`,
    /// calls `step` with it and whether it is the left sibling, starting from node
    /// `first` of a level whose last node is `last`; throws if the path is longer or
    /// shorter than the walk to the root.
    private static func walk(_ path: some Sequence<Hash32>, first: UInt64, last: UInt64, _ step: (Hash32, Bool) -> Void) throws(Failure) {
        var fn = first
        var sn = last
        for p in path {
            guard sn != 0 else { throw Failure("the path is longer than the way to the root") }
            if fn & 1 == 1 || fn == sn {
                step(p, true)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                step(p, false)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw Failure("the path is shorter than the way to the root") }
    }
}
