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

    /// Whether `path` proves that the leaf with hash `leaf` is leaf number `index`
    /// of the tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(index: UInt64, size: UInt64, leaf: Hash32, path: [Hash32], root: Hash32) -> Bool {
        guard index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in path {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHash.node(p, r)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                r = MerkleHash.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows that the tree of `newSize` leaves with root `newRoot`
    /// extends the tree of `oldSize` leaves with root `oldRoot`: the log only grew
    /// (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: Hash32, newRoot: Hash32, proof: [Hash32]) -> Bool {
        guard oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard oldSize > 0, !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHash.node(c, fr)
                sr = MerkleHash.node(c, sr)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                sr = MerkleHash.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
