import Randomness
import Testing
@testable import LogStore

/// Block lists coded as varints and as Rice codes decode to what was coded.
@Suite struct BlockListCodingTests {
    /// Random ascending lists of every density (a block in two, a block in a
    /// thousand), lists that are not ascending (differences modulo 2^32, as anyone
    /// may write), the largest numbers, and the empty list.
    @Test(arguments: [UInt64(1), 2, 3])
    func listsDecodeToWhatWasCoded(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var lists: [[UInt32]] = [[], [0], [UInt32.max], [0, UInt32.max], [UInt32.max, 0, 5], [7, 7, 7]]
        for spread in [1, 2, 30, 250, 5000, 1 << 20] {
            var b: UInt32 = 0
            lists.append((0..<Int(g.next(upTo: 60) + 1)).map { _ in b += UInt32(g.next(upTo: spread) + 1); return b })
        }
        for coding in [BlockListCoding.varint, .rice] {
            for list in lists {
                var bytes: [UInt8] = [0xEE]
                coding.append(list, to: &bytes)
                bytes.append(0xEF)
                var out: [UInt32] = [42]
                coding.decode(bytes, from: 1, end: bytes.count - 1, count: list.count, into: &out)
                #expect(out == [42] + list, "\(coding) \(list.prefix(8))")
            }
        }
    }

    /// Rice codes of a sparse list (a VM in ~25 of 5,000 blocks) take about two
    /// thirds of the varints.
    @Test func riceCodesOfASparseListAreSmaller() {
        var g = SplitMix64(seed: 4)
        var b: UInt32 = 0
        let list = (0..<25).map { _ in b += UInt32(g.next(upTo: 400) + 1); return b }
        var varint: [UInt8] = []
        BlockListCoding.varint.append(list, to: &varint)
        var rice: [UInt8] = []
        BlockListCoding.rice.append(list, to: &rice)
        #expect(rice.count * 4 < varint.count * 3, "\(rice.count) against \(varint.count)")
    }

    /// A list cut short decodes to fewer numbers, never to numbers that were not there.
    @Test func aListCutShortDecodesToAPrefix() {
        let list: [UInt32] = [3, 90, 91, 400, 4000, 4001]
        var bytes: [UInt8] = []
        BlockListCoding.rice.append(list, to: &bytes)
        for end in 0..<bytes.count {
            var out: [UInt32] = []
            BlockListCoding.rice.decode(bytes, from: 0, end: end, count: list.count, into: &out)
            #expect(out == Array(list.prefix(out.count)))
            #expect(out.count < list.count || end == bytes.count)
        }
    }
}
