import ByteCoding
import Randomness
import Testing
@testable import LogStore

/// The numeric-coded id column (block flag bit 1, ``IDCoding``): every id comes back
/// exactly, whatever its shape, and ids that count cost a byte or two.
@Suite struct IDCodingTests {
    /// Encodes `ids` as one block, decodes it (with ids, and skipping them), and
    /// returns what came back and the size of the id column.
    func roundTrip(_ ids: [String]) throws -> (ids: [String], column: Int) {
        var b = BlockBuilder(firstSequence: 1)
        for (i, id) in ids.enumerated() { b.add(time: Int64(i), stream: UInt32(i % 3), id: Array(id.utf8), payload: [UInt8(i & 0xFF)]) }
        for s in 0..<3 { b.defineStream(Array("s\(s)".utf8), ordinal: UInt32(s)) }
        let (block, _, _) = try b.encode(compressor: .init(), dictionary: [], previousLink: HashChain.genesis(logID: [1]))
        guard case let .success(header) = BlockHeader.parse(block, at: 0) else { throw DecodeFailure("header") }
        #expect(header.numericIDs)
        let d = BlockDecoder()
        try d.decode(block, at: 0, header: header, dictionary: [])
        let back = (0..<d.count).map { d.view($0).id }
        for i in 0..<d.count { #expect(Array(d.view(i).payload) == [UInt8(i & 0xFF)]) }
        // Skipping the ids must leave the other columns where they were.
        let skipping = BlockDecoder()
        skipping.skipsIDs = true
        try skipping.decode(block, at: 0, header: header, dictionary: [])
        for i in 0..<d.count { #expect(Array(skipping.view(i).payload) == [UInt8(i & 0xFF)] && skipping.view(i).id.isEmpty) }
        // A read of one stream gets the same ids for that stream's records, none for the others.
        for stream in UInt32(0)..<3 {
            let one = BlockDecoder()
            one.onlyStream = stream
            try one.decode(block, at: 0, header: header, dictionary: [])
            for i in 0..<d.count {
                if i % 3 == Int(stream) { #expect(Array(one.view(i).payload) == [UInt8(i & 0xFF)]) }
                #expect(one.view(i).id == (i % 3 == Int(stream) ? back[i] : ""), "id \(i) read for stream \(stream)")
            }
        }
        var w = ByteWriter()
        IDCoding.encode(ids.map { Array($0.utf8) }, into: &w)
        return (back, w.bytes.count)
    }

    @Test func countersCostAByteOrTwo() throws {
        let decimal = (1...300).map { "r-\($0)" }
        let (a, aSize) = try roundTrip(decimal)
        #expect(a == decimal)
        #expect(aSize < 300 + 8) // one byte each, the first written out
        let hex = (0..<300).map { "evt-" + String(0xab000 + $0 * 37, radix: 16).leftPadded(10) }
        let (b, bSize) = try roundTrip(hex)
        #expect(b == hex)
        #expect(bSize < 600 + 20)
        // Opaque ids out of order, as the realistic fleet delivers them.
        var g = SplitMix64(seed: 5)
        let jumping = (0..<500).map { _ in "evt-" + String(0xab000 + Int.random(in: -3000...3000, using: &g), radix: 16).leftPadded(10) }
        let unique = Array(Set(jumping))
        let (c, cSize) = try roundTrip(unique)
        #expect(c == unique)
        #expect(cSize < unique.count * 3)
    }

    @Test func idsOfEveryShapeComeBackExactly() throws {
        let shapes: [[String]] = [
            // Natural width, crossing a power of the radix.
            ["r-8", "r-9", "r-10", "r-11", "r-99", "r-100", "r-7"],
            // Fixed width, and a number outgrowing its width.
            ["ord-000098", "ord-000099", "ord-000100", "ord-999999", "ord-1000000", "ord-000001"],
            ["z-099", "z-100", "z-0999", "z-1000", "z-00", "z-000", "z-0", "z-1", "z-01"],
            // Mixed widths: leading zeros that the previous id's form cannot write.
            ["x9", "x10", "x011", "x0012", "x13", "x013", "x0", "x00"],
            // Hex, lower and upper case, and case changes.
            ["evt-00000000ff", "evt-0000000100", "evt-00000000fe", "EVT-000000FF", "EVT-00000100", "EVT-000000fe", "h-ff", "h-100", "h-FF", "h-Ff"],
            // Not numbers at all, and numbers inside words.
            ["alpha", "beta", "gamma", "delta-epsilon", "abc", "abd", "abc1x", "abc2x", "-", "--", "a", "b"],
            // Unicode around the digits.
            ["événement-①-12", "événement-①-13", "ключ-7", "ключ-8", "事件-0009", "事件-0010", "🙂-1", "🙂-2", "١٢٣", "x١٢"],
            // Numbers too large for 64 bits, and at its edge.
            ["n-18446744073709551614", "n-18446744073709551615", "n-18446744073709551616", "n-99999999999999999999999",
             "n-100000000000000000000000", "n-9999999999999999999", "n-10000000000000000000", "n-0", "n-18446744073709551615"],
            ["h-fffffffffffffffe", "h-ffffffffffffffff", "h-10000000000000000", "h-ffffffffffffffffffff", "h-0"],
            ["1", "2", "0", "00", "7", "1000000", "1000001", "999", "0001", "0002"],
            // Equal ids (a block never holds two, but the coding must not care).
            ["same-1", "same-1", "same-1", "x", "x", "", ""],
            // A long prefix.
            [String(repeating: "p", count: 1000) + "-1", String(repeating: "p", count: 1000) + "-2", String(repeating: "p", count: 1017) + "9"],
        ]
        for ids in shapes {
            let (back, _) = try roundTrip(ids)
            #expect(back == ids)
        }
    }

    @Test func randomIDsOfMixedShapesRoundTrip() throws {
        var g = SplitMix64(seed: 12)
        let alphabet = Array("09afAF-_.xé🙂".map { String($0) })
        for _ in 0..<200 {
            var ids: [String] = []
            var counter = UInt64.random(in: 0...UInt64.max, using: &g) >> UInt64.random(in: 0...63, using: &g)
            for _ in 0..<Int.random(in: 1...80, using: &g) {
                switch Int.random(in: 0..<6, using: &g) {
                case 0: ids.append((0..<Int.random(in: 0...12, using: &g)).map { _ in alphabet.randomElement(using: &g)! }.joined())
                case 1:
                    counter &+= UInt64.random(in: 0...5, using: &g)
                    ids.append("c-\(counter)")
                case 2:
                    counter &-= UInt64.random(in: 0...300, using: &g)
                    ids.append("h" + String(counter, radix: 16, uppercase: Bool.random(using: &g)).leftPadded(Int.random(in: 0...18, using: &g)))
                case 3: ids.append(ids.last ?? "first")
                case 4: ids.append((ids.last ?? "") + String(Int.random(in: 0...999, using: &g)))
                default: ids.append(String(UInt64.random(in: 0...UInt64.max, using: &g)) + String(repeating: "9", count: Int.random(in: 0...4, using: &g)))
                }
            }
            let (back, _) = try roundTrip(ids)
            #expect(back == ids)
        }
    }

    @Test func badTagsAreMalformedNotGuessed() throws {
        func decode(_ column: [UInt8], count: Int) -> Bool {
            let all = Self.decode(column, count: count, idsOnlyFor: nil)
            // A read of one stream refuses and accepts the same columns, and gets the same ids.
            #expect(Self.decode(column, count: count, idsOnlyFor: 0) == all)
            #expect(Self.decode(column, count: count, idsOnlyFor: 1).map { $0.map { _ in "" } } == all.map { $0.map { _ in "" } })
            return all != nil
        }
        #expect(decode([0, 1, 65], count: 1))              // "A"
        #expect(!decode([1 << 2 | 1], count: 1))           // a number with no id before it
        #expect(decode([0, 2, 65, 49, 4 | 1], count: 2))    // "A1", then decimal +... zigzag 1 = -1: "A0"
        #expect(!decode([0, 1, 65, 4 | 1], count: 2))       // "A" has no decimal number
        #expect(!decode([0, 1, 65, 8 << 2 | 0], count: 2)) // shares 8 bytes of a 1-byte id
    }

    /// Random id columns, well-formed or not: a read of one stream walks them exactly
    /// as a read of everything does (numbers followed as numbers, digits written out
    /// only when needed), refusing the same ones.
    @Test func aWalkOfOneStreamAgreesWithTheWholeColumn() {
        var g = SplitMix64(seed: 21)
        let letters: [UInt8] = Array("09aF-x".utf8)
        var accepted = 0
        for _ in 0..<4000 {
            let count = Int.random(in: 1...10, using: &g)
            var w = ByteWriter()
            for i in 0..<count {
                switch i == 0 ? 0 : Int.random(in: 0..<6, using: &g) {
                case 0, 1:
                    let rest = (0..<Int.random(in: i == 0 ? 1...22 : 0...22, using: &g)).map { _ in letters.randomElement(using: &g)! }
                    w.varint((Bool.random(using: &g) ? 0 : UInt64.random(in: 0...3, using: &g)) << 2)
                    w.varint(rest.count)
                    w.raw(rest)
                default:
                    let z = Bool.random(using: &g) ? UInt64.random(in: 0...40, using: &g) : UInt64.random(in: 0...(UInt64.max >> 2), using: &g)
                    w.varint(z << 2 | UInt64.random(in: 1...3, using: &g))
                }
            }
            let all = Self.decode(w.bytes, count: count, idsOnlyFor: nil)
            #expect(Self.decode(w.bytes, count: count, idsOnlyFor: 0) == all, "column \(w.bytes)")
            if all != nil { accepted += 1 }
        }
        #expect(accepted > 300, "enough well-formed columns: \(accepted)")
    }

    /// The ids of a hand-made block of `count` records of stream 0 with this id column
    /// (`onlyStream` set to `stream`), or nil if it is refused.
    static func decode(_ column: [UInt8], count: Int, idsOnlyFor stream: UInt32?) -> [[UInt8]]? {
        var w = ByteWriter()
        w.varint(0) // no streams defined
        for _ in 0..<count { w.varint(0) } // times
        for _ in 0..<count { w.varint(0) } // streams
        w.raw(column)
        for _ in 0..<count { w.varint(0) } // keys
        for _ in 0..<count { w.varint(0) } // payload lengths
        let header = BlockHeader(compressed: false, count: count, rawLength: w.bytes.count, storedLength: w.bytes.count,
                                 firstSequence: 1, link: [UInt8](repeating: 0, count: 32), numericIDs: true)
        var block = ByteWriter()
        header.encode(into: &block)
        block.raw(w.bytes)
        block.u32(CRC32C.checksum(block.bytes))
        let decoder = BlockDecoder()
        decoder.onlyStream = stream
        guard (try? decoder.decode(block.bytes, at: 0, header: header, dictionary: [])) != nil else { return nil }
        return (0..<count).map { Array(decoder.view($0).id.utf8) }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
