import ByteCoding
import Randomness
import Testing
@testable import LogStore

@Suite struct BlockPostingsTests {
    /// Lists folded into their encoded form at any moment read back the same, and
    /// keep growing and truncating as before.
    @Test func compactedListsReadBackTheSameAndGoOnGrowing() {
        var g = SplitMix64(seed: 9)
        var postings = BlockPostings()
        var reference: [UInt32: [UInt32]] = [:]
        for block in UInt32(0)..<3000 {
            for _ in 0..<Int(g.next() % 6) {
                let value = UInt32(g.next() % 40)
                postings.add(value, block: block)
                if reference[value]?.last != block { reference[value, default: []].append(block) }
            }
            if g.next() % 97 == 0 { postings.compact() }
        }
        #expect(postings.values == reference.keys.sorted())
        for (value, blocks) in reference { #expect(postings.blocks(of: value) == blocks) }
        postings.compact()
        for (value, blocks) in reference { #expect(postings.blocks(of: value) == blocks) }
        postings.truncate(toBlocks: 1500)
        for (value, blocks) in reference {
            #expect(postings.blocks(of: value) == blocks.filter { $0 < 1500 })
        }
        var w = ByteWriter()
        postings.encode(into: &w)
        var r = ByteReader(w.bytes)
        let reread = try? BlockPostings.decode(&r, in: w.bytes, blockCount: 3000)
        for value in postings.values { #expect(reread?.blocks(of: value) == postings.blocks(of: value)) }
    }
}
