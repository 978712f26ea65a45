import Randomness
import Testing
@testable import Evidence

/// The tree hash exactly as RFC 6962 §2.1 defines it, recursively: the reference the
/// streaming code and the proofs are checked against.
func referenceRoot(_ leaves: ArraySlice<Hash32>) -> Hash32 {
    if leaves.isEmpty { return MerkleHash.empty }
    if leaves.count == 1 { return leaves.first! }
    let k = Int(MerkleProof.split(UInt64(leaves.count)))
    let mid = leaves.startIndex + k
    return MerkleHash.node(referenceRoot(leaves[..<mid]), referenceRoot(leaves[mid...]))
}

func leaves(_ n: Int) -> [Hash32] { (0..<n).map { MerkleHash.leaf(Array("leaf \($0)".utf8)) } }

@Suite struct MerkleTreeTests {
    @Test func hashesFollowRFC6962() {
        // The empty tree is SHA-256 of nothing; a leaf and a node differ by prefix.
        #expect(MerkleHash.empty.description == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // SHA-256(0x00) — the leaf hash of empty data, as in RFC 6962 test vectors.
        #expect(MerkleHash.leaf([UInt8]()).description == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test func streamingRootEqualsTheRecursiveDefinition() {
        for n in 0...70 {
            let l = leaves(n)
            var acc = MerkleAccumulator()
            for h in l { acc.append(leaf: h) }
            #expect(acc.root == referenceRoot(l[...]), "n = \(n)")
        }
    }

    @Test func groupsOfAlignedSubtreesHashToTheRoot() {
        for n in [1, 2, 5, 8, 13, 64, 100] {
            let l = leaves(n)
            for bits in 0...4 {
                var acc = MerkleAccumulator()
                for r in Checkpoint.groupRanges(size: UInt64(n), bits: bits) {
                    acc.append(subtree: referenceRoot(l[Int(r.lowerBound)..<Int(r.upperBound)]), size: UInt64(r.count))
                }
                #expect(acc.root == referenceRoot(l[...]), "n = \(n), bits = \(bits)")
            }
        }
    }

    @Test func everyInclusionProofVerifiesAndNoAlteredOneDoes() {
        for n in 1...40 {
            let l = leaves(n)
            let root = referenceRoot(l[...])
            for m in 0..<n {
                let path = MerkleProof.inclusionRanges(leaf: UInt64(m), size: UInt64(n)).map { referenceRoot(l[Int($0.lowerBound)..<Int($0.upperBound)]) }
                #expect(MerkleProof.verifyInclusion(index: UInt64(m), size: UInt64(n), leaf: l[m], path: path, root: root))
                // Another leaf, another index or a shorter path fail. (The size is bound by the
                // signed checkpoint, not by the path: paths of leaves in a complete left subtree
                // are the same in some trees of different sizes.)
                #expect(!MerkleProof.verifyInclusion(index: UInt64(m), size: UInt64(n), leaf: MerkleHash.leaf([9]), path: path, root: root))
                if n > 1 {
                    #expect(!MerkleProof.verifyInclusion(index: UInt64((m + 1) % n), size: UInt64(n), leaf: l[m], path: path, root: root))
                    #expect(!MerkleProof.verifyInclusion(index: UInt64(m), size: UInt64(n), leaf: l[m], path: Array(path.dropLast()), root: root))
                }
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndNoAlteredOneDoes() {
        for n in 1...34 {
            let l = leaves(n)
            let newRoot = referenceRoot(l[...])
            for m in 1...n {
                let oldRoot = referenceRoot(l[0..<m])
                let proof = MerkleProof.consistencyRanges(old: UInt64(m), new: UInt64(n)).map { referenceRoot(l[Int($0.lowerBound)..<Int($0.upperBound)]) }
                #expect(MerkleProof.verifyConsistency(oldSize: UInt64(m), newSize: UInt64(n), oldRoot: oldRoot, newRoot: newRoot, proof: proof), "\(m) → \(n)")
                // A different old tree (one leaf changed) does not extend to the new one.
                var other = Array(l[0..<m])
                other[m - 1] = MerkleHash.leaf([7, 7])
                #expect(!MerkleProof.verifyConsistency(oldSize: UInt64(m), newSize: UInt64(n), oldRoot: referenceRoot(other[...]), newRoot: newRoot, proof: proof))
                if !proof.isEmpty {
                    var bad = proof
                    bad[bad.count / 2] = MerkleHash.leaf([1])
                    #expect(!MerkleProof.verifyConsistency(oldSize: UInt64(m), newSize: UInt64(n), oldRoot: oldRoot, newRoot: newRoot, proof: bad))
                }
            }
        }
    }
}
