import BlockCompression
import Testing

@Suite struct LZ4Tests {
    let text = Array(String(repeating: "Microsoft.Compute/virtualMachines/vm-0042 KB5034129 Security Critical ", count: 40).utf8)

    /// Readers refuse a size a block cannot decode to before making a buffer of it
    /// (issue 13, item 9): the bound must hold for the most compressible input.
    @Test func noBlockDecodesToMoreThan255BytesPerByte() throws {
        for level in [0, 9] {
            for size in [1, 19, 4096, 1 << 20] {
                let zeros = [UInt8](repeating: 0, count: size)
                var out: [UInt8] = []
                try LZ4Compressor(level: level).compress(zeros, dictionary: [], appendingTo: &out)
                #expect(LZ4.canDecode(out.count, to: size), "level \(level): \(size) zeros compress to \(out.count) bytes")
            }
        }
        #expect(LZ4.canDecode(1, to: 255) && !LZ4.canDecode(1, to: 256) && !LZ4.canDecode(0, to: 1))
    }

    @Test func blockRoundTripsWithoutDictionary() throws {
        var out: [UInt8] = []
        let n = try LZ4Compressor().compress(text, dictionary: [], appendingTo: &out)
        #expect(n == out.count && n < text.count / 5)
        var back = [UInt8](repeating: 0, count: text.count)
        try LZ4.decompress(out, range: 0..<out.count, into: &back, dictionary: [])
        #expect(back == text)
    }

    @Test func dictionaryShrinksSmallBlocksAndIsNeededToDecode() throws {
        let record = Array("{\"vm\":\"Microsoft.Compute/virtualMachines/vm-0042\",\"kb\":\"KB5034129\",\"classifications\":[\"Security\",\"Critical\"]}".utf8)
        var plain: [UInt8] = []
        var primed: [UInt8] = []
        try LZ4Compressor().compress(record, dictionary: [], appendingTo: &plain)
        try LZ4Compressor().compress(record, dictionary: text + record, appendingTo: &primed)
        #expect(primed.count < plain.count / 2)
        var back = [UInt8](repeating: 0, count: record.count)
        try LZ4.decompress(primed, range: 0..<primed.count, into: &back, dictionary: text + record)
        #expect(back == record)
        #expect(throws: LZ4Error.self) { try LZ4.decompress(primed, range: 0..<primed.count, into: &back, dictionary: []) }
    }

    @Test func highCompressionLevelRoundTrips() throws {
        var out: [UInt8] = []
        try LZ4Compressor(level: 9).compress(text, dictionary: [], appendingTo: &out)
        var back = [UInt8](repeating: 0, count: text.count)
        try LZ4.decompress(out, range: 0..<out.count, into: &back, dictionary: [])
        #expect(back == text)
    }

    @Test func corruptInputIsATypedErrorNeverACrash() {
        var back = [UInt8](repeating: 0, count: 100)
        let garbage: [UInt8] = [0xF0, 0xFF, 0xFF, 0xFF, 0x01, 0x02]
        #expect(throws: LZ4Error(code: .corruptInput)) { try LZ4.decompress(garbage, range: 0..<garbage.count, into: &back, dictionary: []) }
        #expect(throws: LZ4Error(code: .corruptInput)) { try LZ4.decompress(garbage, range: 0..<0, into: &back, dictionary: []) }
    }
}
