import ByteCoding
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
                var w = ByteWriter()
                w.u8(0xEE)
                coding.append(list, to: &w)
                w.u8(0xEF)
                let bytes = w.bytes
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
        var varint = ByteWriter()
        BlockListCoding.varint.append(list, to: &varint)
        var rice = ByteWriter()
        BlockListCoding.rice.append(list, to: &rice)
        #expect(rice.bytes.count * 4 < varint.bytes.count * 3, "\(rice.bytes.count) against \(varint.bytes.count)")
    }

    /// A list cut short decodes to fewer numbers, never to numbers that were not there.
    @Test func aListCutShortDecodesToAPrefix() {
        let list: [UInt32] = [3, 90, 91, 400, 4000, 4001]
        var w = ByteWriter()
        BlockListCoding.rice.append(list, to: &w)
        let bytes = w.bytes
        for end in 0..<bytes.count {
            var out: [UInt32] = []
            BlockListCoding.rice.decode(bytes, from: 0, end: end, count: list.count, into: &out)
            #expect(out == Array(list.prefix(out.count)))
            #expect(out.count < list.count || end == bytes.count)
        }
    }

    /// Parameters the writer never picks still decode as docs/log-format.md says:
    /// k = 32 (no quotient bits, 32 low bits) and k = 0 (unary only), written here
    /// bit by bit.
    @Test func handWrittenCodesOfTheExtremeParametersDecode() {
        func code(k: Int, _ deltas: [UInt64]) -> [UInt8] {
            var bits: [Bool] = []
            for d in deltas {
                bits += Array(repeating: true, count: Int(d >> UInt64(k))) + [false]
                bits += (0..<k).map { d >> UInt64($0) & 1 == 1 }
            }
            var bytes: [UInt8] = [UInt8(k)]
            for (i, bit) in bits.enumerated() {
                if i % 8 == 0 { bytes.append(0) }
                if bit { bytes[bytes.count - 1] |= 1 << UInt8(i % 8) }
            }
            return bytes
        }
        var out: [UInt32] = []
        let wide = code(k: 32, [0xDEAD_BEEF, 1, 0x1000_0000])
        BlockListCoding.rice.decode(wide, from: 0, end: wide.count, count: 3, into: &out)
        #expect(out == [0xDEAD_BEEF, 0xDEAD_BEF0, 0xEEAD_BEF0])
        out = []
        let unary = code(k: 0, [3, 0, 40, 1])
        BlockListCoding.rice.decode(unary, from: 0, end: unary.count, count: 4, into: &out)
        #expect(out == [3, 3, 43, 44])
        // A quotient that would not fit 32 bits is damage: the list stops before it.
        out = []
        let tooLarge = code(k: 31, [5, 4 << 31])
        BlockListCoding.rice.decode(tooLarge, from: 0, end: tooLarge.count, count: 2, into: &out)
        #expect(out == [5])
    }
}
