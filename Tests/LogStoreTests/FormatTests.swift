import ByteCoding
import Testing
@testable import LogStore

@Suite struct FormatTests {
    @Test func crc32cMatchesRFC3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        // The table-driven code gives the same, on machines with the instruction too.
        #expect(CRC32C.software([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.software(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func hardwareAndTableChecksumsAgreeOnEveryLengthAndOffset() {
        var bytes = [UInt8](repeating: 0, count: 300)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 131 &+ 7) }
        for start in 0..<17 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                #expect(CRC32C.checksum(bytes, range: start..<end, continuing: 0x1234_5678)
                        == CRC32C.software(bytes, range: start..<end, continuing: 0x1234_5678), "\(start)..<\(end)")
            }
        }
    }

    @Test func crc32cContinuesAcrossPieces() {
        let bytes = Array("the quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32C.checksum(bytes)
        let first = CRC32C.checksum(bytes, range: 0..<13)
        #expect(CRC32C.checksum(bytes, range: 13..<bytes.count, continuing: first) == whole)
    }

    @Test func varintsAndZigzagRoundTrip() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 127, 128, 300, -300, .max, .min, 1 << 40]
        var w = ByteWriter()
        for v in values { w.zigzag(v); w.varint(UInt64(bitPattern: v)) }
        var r = ByteReader(w.bytes)
        for v in values {
            #expect(try r.zigzag() == v)
            #expect(try r.varint() == UInt64(bitPattern: v))
        }
        #expect(r.remaining == 0)
    }

    @Test func timeDeltasRoundTripAndWholeSecondsAreShort() throws {
        let deltas: [Int64] = [0, 1, -1, 1_000_000_000, 3_600_000_000_000, -86_400_000_000_000, 123_456_789, .max, .min, .max - 1, 1_735_689_600_000_000_000]
        var w = ByteWriter()
        for d in deltas { TimeCoding.write(d, into: &w) }
        w.bytes.withUnsafeBufferPointer { buffer in
            var r = BodyCursor(buffer)
            for d in deltas { #expect(r.time() == d) }
            #expect(r.offset == buffer.count)
        }
        var one = ByteWriter()
        TimeCoding.write(3_600_000_000_000, into: &one) // an hour in nanoseconds
        #expect(one.bytes.count == 2)
    }

    @Test func truncatedVarintIsAnErrorNotATrap() {
        var r = ByteReader([0x80, 0x80])
        #expect(throws: ByteReader.Truncated.self) { _ = try r.varint() }
    }

    @Test func segmentNamesSortAndParse() {
        #expect(LogFormat.segmentName(base: 1) == "00000000000000000001.seg")
        #expect(LogFormat.segmentBase(fileName: "00000000000000004097.seg") == 4097)
        #expect(LogFormat.segmentBase(fileName: "4097.seg") == nil)
        #expect(LogFormat.segmentBase(fileName: "00000000000000004097.idx") == nil)
    }

    @Test func blockRoundTripsThroughEncodeAndDecode() throws {
        var b = BlockBuilder(firstSequence: 42)
        b.defineStream(Array("vm-a".utf8), ordinal: 3)
        b.add(time: 1_000, stream: 3, id: Array("evt-0001".utf8), payload: Array("hello".utf8))
        b.add(time: 500, stream: 1, id: Array("evt-0002".utf8), payload: [])
        let (block, raw, link) = try b.encode(compressor: .init(), dictionary: [], previousLink: HashChain.genesis(logID: [1, 2]))
        guard case let .success(header) = BlockHeader.parse(block, at: 0) else { Issue.record("header"); return }
        #expect(header.link == link && link == HashChain.link(previous: HashChain.genesis(logID: [1, 2]), firstSequence: 42, rawBody: raw))
        let d = BlockDecoder()
        try d.decode(block, at: 0, header: header, dictionary: [])
        #expect(d.count == 2)
        #expect(d.newStreams == ["vm-a"] && d.newStreamBase == 3)
        #expect(d.view(0).sequence == 42 && d.view(1).sequence == 43)
        #expect(d.view(1).time == 500 && d.view(1).stream.rawValue == 1)
        #expect(d.view(0).id == "evt-0001" && d.view(1).id == "evt-0002")
        #expect(Array(d.view(0).payload) == Array("hello".utf8) && d.view(1).payload.isEmpty)
    }
}
