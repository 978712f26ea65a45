import Foundation
import LogStore
import Testing
@testable import Evidence

/// A log of `n` small records; `edit` may change the list first.
func memoryLog(_ n: Int, edit: (inout [NewRecord]) -> Void = { _ in }) throws -> InMemoryLog {
    var records = (1...max(n, 1)).prefix(n).map { i in
        NewRecord(time: Int64(i) * 1_000_000_000, stream: "vm:\(i % 3)", id: "e\(i)", payload: Array("payload \(i)".utf8))
    }
    edit(&records)
    let log = InMemoryLog()
    _ = try log.append(records)
    return log
}

@Suite struct CheckpointTests {
    let key = SigningKey()

    func checkpoint(_ log: any LogStore, size: UInt64? = nil) throws -> Checkpoint {
        try Checkpoint.make(log: log, logID: "00112233445566778899aabbccddeeff", treeSize: size ?? log.count, time: "2026-11-22T04:00:00Z", key: key)
    }

    @Test func aCheckpointRoundTripsThroughTextAndItsSignatureHolds() throws {
        let cp = try checkpoint(try memoryLog(10))
        let parsed = try Checkpoint(text: cp.text, file: "cp.txt")
        #expect(parsed == cp)
        #expect(parsed.isSigned(by: key.publicKey))
        #expect(!parsed.isSigned(by: SigningKey().publicKey))
        #expect(parsed.groupsMatchRoot)
        // Any change to a signed field breaks the signature.
        let edited = try Checkpoint(text: cp.text.replacingOccurrences(of: "time: 2026-11-22T04:00:00Z", with: "time: 2026-11-21T04:00:00Z"), file: "cp.txt")
        #expect(!edited.isSigned(by: key.publicKey))
        // The unsigned groups must be exactly those of the tree size: an edited group
        // line is refused, never trusted (and never traps).
        #expect(throws: EvidenceError.malformed(file: "cp.txt", line: 9, reason: "groups: expected 0 10 for a tree of 10 records, got 63 1")) {
            try Checkpoint(text: cp.text.replacingOccurrences(of: "groups: 0 10", with: "groups: 63 1"), file: "cp.txt")
        }
        var badGroup = parsed
        badGroup.groups[3] = MerkleHash.leaf([1])
        #expect(!badGroup.groupsMatchRoot)
        #expect(throws: EvidenceError.self) { try badGroup.compare(with: try memoryLog(10)) }
    }

    @Test func malformedCheckpointsNameTheFileAndLine() {
        #expect(throws: EvidenceError.malformed(file: "cp.txt", line: 1, reason: "expected \"patchlog checkpoint 1\"")) {
            try Checkpoint(text: "hello\n", file: "cp.txt")
        }
        #expect(throws: EvidenceError.malformed(file: "cp.txt", line: 3, reason: "sequence: \"x\" is not valid")) {
            try Checkpoint(text: "patchlog checkpoint 1\nlog: 00\nsequence: x\n", file: "cp.txt")
        }
    }

    @Test func theSameLogMatchesAndAGrownLogStillMatches() throws {
        let log = try memoryLog(20)
        let cp = try checkpoint(log)
        #expect(try cp.compare(with: log) == .intact(grownBy: 0))
        _ = try log.append([NewRecord(time: 99, stream: "vm:x", id: "later", payload: [1])])
        #expect(try cp.compare(with: log) == .intact(grownBy: 1))
    }

    @Test(arguments: [1, 7, 13, 20])
    func anEditedRecordIsFoundAtItsSequence(_ seq: Int) throws {
        let cp = try checkpoint(try memoryLog(20))
        let edited = try memoryLog(20) { $0[seq - 1].payload = Array("forged".utf8) }
        #expect(try cp.compare(with: edited) == .differs(firstPossible: UInt64(seq), lastPossible: UInt64(seq), records: 20, treeSize: 20))
    }

    @Test func deletedInsertedAndReorderedRecordsAreFoundWhereTheyBegin() throws {
        let cp = try checkpoint(try memoryLog(20))
        let deleted = try memoryLog(20) { $0.remove(at: 11) }
        #expect(try cp.compare(with: deleted) == .differs(firstPossible: 12, lastPossible: 12, records: 19, treeSize: 20))
        let inserted = try memoryLog(20) { $0.insert(NewRecord(time: 5, stream: "vm:1", id: "extra", payload: [0]), at: 4) }
        #expect(try cp.compare(with: inserted) == .differs(firstPossible: 5, lastPossible: 5, records: 21, treeSize: 20))
        let reordered = try memoryLog(20) { $0.swapAt(8, 9) }
        #expect(try cp.compare(with: reordered) == .differs(firstPossible: 9, lastPossible: 9, records: 20, treeSize: 20))
    }

    @Test func aTruncationBelowTheCheckpointIsNotADifference() throws {
        let cp = try checkpoint(try memoryLog(20))
        let short = try memoryLog(15)
        #expect(try cp.compare(with: short) == .truncated(records: 15, treeSize: 20, verifiedUpTo: 15))
        #expect(try cp.compare(with: try memoryLog(0)) == .truncated(records: 0, treeSize: 20, verifiedUpTo: 0))
    }

    @Test func bigLogsAreLocatedToTheirGroup() throws {
        let log = try memoryLog(5000)
        let cp = try checkpoint(log)
        #expect(cp.groupBits == 1)
        #expect(cp.groups.count == 2500)
        #expect(cp.groupsMatchRoot)
        let edited = try memoryLog(5000) { $0[3000].id = "forged" } // sequence 3001
        #expect(try cp.compare(with: edited) == .differs(firstPossible: 3001, lastPossible: 3002, records: 5000, treeSize: 5000))
    }

    @Test func inclusionProofsVerifyWithoutTheLog() throws {
        let log = try memoryLog(37)
        let cp = try checkpoint(log)
        for seq in [1, 2, 18, 36, 37] as [UInt64] {
            let proof = try InclusionProof.make(log: log, logID: cp.logID, sequence: seq, treeSize: cp.treeSize)
            let parsed = try InclusionProof(text: proof.text(comment: ["a note"]), file: "p.txt")
            #expect(parsed == proof)
            #expect(throws: Never.self) { try parsed.check(against: cp) }
            var forged = parsed
            forged.record.payload = Array("forged".utf8)
            #expect(throws: MerkleProof.Failure("the path leads to another root than the checkpoint's")) { try forged.check(against: cp) }
        }
        #expect(throws: EvidenceError.invalidRequest("sequence 38 is not in a tree of 37 records (1...37)")) {
            try InclusionProof.make(log: log, logID: cp.logID, sequence: 38, treeSize: 37)
        }
    }

    @Test func consistencyProofsShowTheLogOnlyGrew() throws {
        let log = try memoryLog(10)
        let old = try checkpoint(log)
        _ = try log.append((11...30).map { NewRecord(time: Int64($0), stream: "vm:1", id: "n\($0)", payload: [UInt8($0)]) })
        let new = try checkpoint(log)
        let proof = try ConsistencyProof.make(log: log, logID: old.logID, oldSize: old.treeSize, newSize: new.treeSize)
        let parsed = try ConsistencyProof(text: proof.text, file: "c.txt")
        #expect(parsed == proof)
        #expect(throws: Never.self) { try parsed.check(old: old, new: new) }
        // A rewritten history (same size, other records) is not extended by the new tree.
        let other = try checkpoint(try memoryLog(10) { $0[3].payload = [0] })
        #expect(throws: MerkleProof.Failure.self) { try parsed.check(old: other, new: new) }
    }

    @Test func keysRoundTripAndRefuseTheOtherKind() throws {
        let k = try SigningKey(text: key.text, file: "k")
        #expect(k.publicKey == key.publicKey)
        #expect(try VerifyingKey(text: key.publicKey.text, file: "k.pub") == key.publicKey)
        #expect(throws: EvidenceError.badKey(file: "k", reason: "this is a private key; expected a public one")) {
            try VerifyingKey(text: key.text, file: "k")
        }
    }
}
