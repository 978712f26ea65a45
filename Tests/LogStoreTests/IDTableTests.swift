import Testing
@testable import LogStore

@Suite struct IDTableTests {
    @Test func everyInsertedSequenceIsACandidateOfItsFingerprintAndNoOther() {
        var table = IDTable()
        var g = 0x1234_5678 as UInt32
        var expected: [UInt32: [UInt64]] = [:]
        for seq in 1...5000 as ClosedRange<UInt64> {
            g = g &* 1_664_525 &+ 1_013_904_223
            let fp = seq % 7 == 0 ? 42 : g >> 8 // many records share fingerprint 42
            table.insert(fp: fp, sequence: seq)
            expected[fp, default: []].append(seq)
        }
        #expect(table.count == 5000)
        for (fp, seqs) in expected {
            var found: [UInt64] = []
            table.candidates(fp: fp, last: 5000) { found.append($0); return true }
            #expect(found.sorted() == seqs)
        }
        var none = 0
        table.candidates(fp: 3, last: 5000) { _ in none += 1; return true }
        #expect(none == 0)
    }

    @Test func fingerprintZeroAndSequencesPast32BitsAreFound() {
        var table = IDTable()
        table.insert(fp: 0, sequence: 7)
        table.insert(fp: 9, sequence: (1 << 32) + 5)
        var found: [UInt64] = []
        table.candidates(fp: 0, last: 10) { found.append($0); return true }
        #expect(found == [7])
        found = []
        table.candidates(fp: 9, last: (1 << 32) + 10) { found.append($0); return true }
        #expect(found == [5, (1 << 32) + 5]) // the caller reads both and compares ids
    }
}
