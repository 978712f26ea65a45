import ByteCoding
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
                #expect(inclusionHolds(index: UInt64(m), size: UInt64(n), leaf: l[m], path: path, root: root))
                // Another leaf, another index or a shorter path fail. (The size is bound by the
                // signed checkpoint, not by the path: paths of leaves in a complete left subtree
                // are the same in some trees of different sizes.)
                #expect(!inclusionHolds(index: UInt64(m), size: UInt64(n), leaf: MerkleHash.leaf([9]), path: path, root: root))
                if n > 1 {
                    #expect(!inclusionHolds(index: UInt64((m + 1) % n), size: UInt64(n), leaf: l[m], path: path, root: root))
                    #expect(!inclusionHolds(index: UInt64(m), size: UInt64(n), leaf: l[m], path: Array(path.dropLast()), root: root))
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
                #expect(consistencyHolds(oldSize: UInt64(m), newSize: UInt64(n), oldRoot: oldRoot, newRoot: newRoot, proof: proof), "\(m) → \(n)")
                // A different old tree (one leaf changed) does not extend to the new one.
                var other = Array(l[0..<m])
                other[m - 1] = MerkleHash.leaf([7, 7])
                #expect(!consistencyHolds(oldSize: UInt64(m), newSize: UInt64(n), oldRoot: referenceRoot(other[...]), newRoot: newRoot, proof: proof))
                if !proof.isEmpty {
                    var bad = proof
                    bad[bad.count / 2] = MerkleHash.leaf([1])
                    #expect(!consistencyHolds(oldSize: UInt64(m), newSize: UInt64(n), oldRoot: oldRoot, newRoot: newRoot, proof: bad))
                }
            }
        }
    }
}

/// Known answers from Certificate Transparency's reference implementation (the
/// eight leaves of its merkle_tree_test.cc): the checks above compare the code with
/// itself; these compare it with the rest of the world.
@Suite struct RFC6962KnownAnswerTests {
    static let inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    static var leafHashes: [Hash32] { inputs.map { MerkleHash.leaf(Hex.decode($0)!) } }

    func hashes(_ hex: [String]) -> [Hash32] { hex.map { Hash32(hex: $0)! } }

    /// The proof for `ranges` computed from the eight leaves.
    func proof(_ ranges: [Range<UInt64>]) -> [Hash32] {
        ranges.map { r in
            var acc = MerkleAccumulator()
            for h in Self.leafHashes[Int(r.lowerBound)..<Int(r.upperBound)] { acc.append(leaf: h) }
            return acc.root
        }
    }

    @Test func rootsOfEverySizeMatch() {
        for n in 1...8 {
            var acc = MerkleAccumulator()
            for h in Self.leafHashes.prefix(n) { acc.append(leaf: h) }
            #expect(acc.root.description == Self.roots[n - 1], "size \(n)")
        }
    }

    @Test func inclusionProofsMatch() {
        let cases: [(UInt64, UInt64, [String])] = [
            (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        ]
        for (index, size, expected) in cases {
            let path = proof(MerkleProof.inclusionRanges(leaf: index, size: size))
            #expect(path == hashes(expected), "leaf \(index) of \(size)")
            let root = Hash32(hex: Self.roots[Int(size) - 1])!
            #expect(inclusionHolds(index: index, size: size, leaf: Self.leafHashes[Int(index)], path: hashes(expected), root: root))
        }
    }

    @Test func consistencyProofsMatch() {
        let cases: [(UInt64, UInt64, [String])] = [
            (1, 1, []),
            (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        ]
        for (old, new, expected) in cases {
            #expect(proof(MerkleProof.consistencyRanges(old: old, new: new)) == hashes(expected), "\(old) → \(new)")
            #expect(consistencyHolds(
                oldSize: old, newSize: new, oldRoot: Hash32(hex: Self.roots[Int(old) - 1])!, newRoot: Hash32(hex: Self.roots[Int(new) - 1])!,
                proof: hashes(expected)))
        }
    }
}

/// Whether a check passes (the checks throw why not; these tests ask only whether).
private func inclusionHolds(index: UInt64, size: UInt64, leaf: Hash32, path: [Hash32], root: Hash32) -> Bool {
    (try? MerkleProof.checkInclusion(index: index, size: size, leaf: leaf, path: path, root: root)) != nil
}

private func consistencyHolds(oldSize: UInt64, newSize: UInt64, oldRoot: Hash32, newRoot: Hash32, proof: [Hash32]) -> Bool {
    (try? MerkleProof.checkConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof)) != nil
}

/// The checks say why a proof fails, not only that it does.
@Suite struct ProofFailureTests {
    @Test func eachFailureSaysWhy() {
        let l = (0..<5).map { MerkleHash.leaf([UInt8($0)]) }
        let root = MerkleHash.node(MerkleHash.node(MerkleHash.node(l[0], l[1]), MerkleHash.node(l[2], l[3])), l[4])
        let path = [l[1], MerkleHash.node(l[2], l[3]), l[4]]
        #expect(inclusionHolds(index: 0, size: 5, leaf: l[0], path: path, root: root))
        #expect(throws: MerkleProof.Failure("leaf 5 is not in a tree of 5 leaves")) {
            try MerkleProof.checkInclusion(index: 5, size: 5, leaf: l[0], path: path, root: root)
        }
        #expect(throws: MerkleProof.Failure("the path is shorter than the way to the root")) {
            try MerkleProof.checkInclusion(index: 0, size: 5, leaf: l[0], path: Array(path.dropLast()), root: root)
        }
        #expect(throws: MerkleProof.Failure("the path is longer than the way to the root")) {
            try MerkleProof.checkInclusion(index: 0, size: 5, leaf: l[0], path: path + [l[0]], root: root)
        }
        #expect(throws: MerkleProof.Failure("the path leads to another root than the checkpoint's")) {
            try MerkleProof.checkInclusion(index: 0, size: 5, leaf: l[1], path: path, root: root)
        }
        #expect(throws: MerkleProof.Failure("the older tree (6 leaves) is larger than the newer (5)")) {
            try MerkleProof.checkConsistency(oldSize: 6, newSize: 5, oldRoot: root, newRoot: root, proof: [])
        }
        #expect(throws: MerkleProof.Failure("the proof is empty")) {
            try MerkleProof.checkConsistency(oldSize: 4, newSize: 5, oldRoot: root, newRoot: root, proof: [])
        }
        #expect(throws: MerkleProof.Failure("the proof does not lead to the newer checkpoint's root")) {
            try MerkleProof.checkConsistency(oldSize: 4, newSize: 5, oldRoot: MerkleHash.node(MerkleHash.node(l[0], l[1]), MerkleHash.node(l[2], l[3])), newRoot: l[0], proof: [l[4]])
        }
    }
}
