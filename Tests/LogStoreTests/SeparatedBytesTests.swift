import ByteCoding
import BlockCompression
import Randomness
import Testing
@testable import LogStore

/// Random bytes kept apart (block flag bit 2, ``NewRecord/randomBytes``): payloads
/// read back whole wherever their random bytes were, the hint is not content, and
/// keeping them apart is what makes repeating payloads with a GUID each small.
@Suite struct SeparatedBytesTests {
    func block(_ records: [(payload: [UInt8], random: Range<Int>?)]) throws -> (block: [UInt8], header: BlockHeader, body: [UInt8]) {
        var b = BlockBuilder(firstSequence: 7)
        b.defineStream(Array("s".utf8), ordinal: 0)
        for (i, r) in records.enumerated() { b.add(time: Int64(i), stream: 0, id: Array("id-\(i)".utf8), payload: r.payload, randomBytes: r.random) }
        let (block, body, _) = try b.encode(compressor: LZ4Compressor(level: 4), dictionary: [], previousLink: HashChain.genesis(logID: [1]))
        guard case let .success(header) = BlockHeader.parse(block, at: 0) else { throw DecodeFailure("header") }
        return (block, header, body)
    }

    /// A payload of up to 50 bytes from `bytes`, and, one time in two, a range of it
    /// marked random (possibly empty).
    static func randomPayload(_ g: inout SplitMix64, bytes: ClosedRange<UInt8>) -> (payload: [UInt8], random: Range<Int>?) {
        let payload = (0..<Int.random(in: 0...50, using: &g)).map { _ in UInt8.random(in: bytes, using: &g) }
        var random: Range<Int>?
        if !payload.isEmpty && Bool.random(using: &g) {
            let a = Int.random(in: 0..<payload.count, using: &g)
            random = a..<Int.random(in: a...payload.count, using: &g)
        }
        return (payload, random)
    }

    func decoded(_ block: [UInt8], _ header: BlockHeader, skipsIDs: Bool = false) throws -> [[UInt8]] {
        let d = BlockDecoder()
        d.skipsIDs = skipsIDs
        try d.decode(block, at: 0, header: header, dictionary: [])
        return (0..<d.count).map { Array(d.view($0).payload) }
    }

    @Test func payloadsComeBackWholeWhereverTheirRandomBytesWere() throws {
        let p = Array(0..<40).map(UInt8.init)
        let cases: [(payload: [UInt8], random: Range<Int>?)] = [
            (p, 2..<18), (p, nil), (p, 0..<40), (p, 0..<1), (p, 39..<40), (p, 10..<10), ([], nil), ([5], 0..<1),
            (p, 24..<40), (Array(p.prefix(16)), 0..<16), (p, 3..<19),
        ]
        let (block, header, _) = try block(cases)
        #expect(header.separated && header.numericIDs)
        #expect(try decoded(block, header) == cases.map(\.payload))
        #expect(try decoded(block, header, skipsIDs: true) == cases.map(\.payload))
        // A block whose records have no random bytes keeps the layout before flag bit 2.
        let (plain, plainHeader, _) = try self.block([(p, nil), (p, 5..<5)])
        #expect(!plainHeader.separated)
        #expect(try decoded(plain, plainHeader) == [p, p])
    }

    /// A read of one stream (``BlockDecoder/onlyStream``) gets that stream's records
    /// as a whole decode does (times, ids, keys, payloads put back together),
    /// wherever the other streams' records kept their random bytes.
    @Test func aReadOfOneStreamGetsItsRecordsWhole() throws {
        var g = SplitMix64(seed: 11)
        for _ in 0..<60 {
            var b = BlockBuilder(firstSequence: 1)
            for s in 0..<3 { b.defineStream(Array("s\(s)".utf8), ordinal: UInt32(s)) }
            for i in 0..<Int.random(in: 1...60, using: &g) {
                let (payload, random) = Self.randomPayload(&g, bytes: 0...255)
                let keys = Set((0..<Int.random(in: 0...3, using: &g)).map { _ in UInt32.random(in: 0...1000, using: &g) }).sorted()
                b.add(time: Int64(i), stream: UInt32.random(in: 0...2, using: &g), id: Array("e-\(i)".utf8), payload: payload, keys: keys, randomBytes: random)
            }
            let (block, _, _) = try b.encode(compressor: LZ4Compressor(level: 4), dictionary: [], previousLink: HashChain.genesis(logID: [1]))
            guard case let .success(header) = BlockHeader.parse(block, at: 0) else { throw DecodeFailure("header") }
            let whole = BlockDecoder()
            try whole.decode(block, at: 0, header: header, dictionary: [])
            for stream in UInt32(0)..<3 {
                for skipsIDs in [false, true] {
                    let one = BlockDecoder()
                    one.onlyStream = stream
                    one.skipsIDs = skipsIDs
                    try one.decode(block, at: 0, header: header, dictionary: [])
                    #expect(one.count == whole.count)
                    for i in 0..<whole.count where whole.streams[i] == stream {
                        #expect(Array(one.view(i).payload) == Array(whole.view(i).payload), "record \(i) of stream \(stream)")
                        #expect(Array(one.keys(i)) == Array(whole.keys(i)))
                        #expect(one.view(i).id == (skipsIDs ? "" : whole.view(i).id))
                        #expect(one.view(i).time == whole.view(i).time)
                    }
                }
            }
        }
    }

    @Test func randomPayloadsOfRandomShapesRoundTrip() throws {
        var g = SplitMix64(seed: 3)
        for _ in 0..<100 {
            var records: [(payload: [UInt8], random: Range<Int>?)] = []
            for _ in 0..<Int.random(in: 1...60, using: &g) {
                let (payload, random) = Self.randomPayload(&g, bytes: 0...3)
                records.append((payload, random))
            }
            let (block, header, _) = try block(records)
            #expect(try decoded(block, header) == records.map(\.payload))
        }
    }

    @Test func guidsApartMakeRepeatingPayloadsSmall() throws {
        // Assessments of one month: the same list of patches, a random GUID each.
        var g = SplitMix64(seed: 8)
        let list: [UInt8] = [3, 0x90, 0xF2, 0xB9, 0x26, 6, 8, 0x90, 0xF2, 0xB9, 0x27, 2, 9, 0x90, 0xF2, 0xB9, 0x28, 4, 8]
        let records = (0..<400).map { _ -> (payload: [UInt8], random: Range<Int>?) in
            ([0x27, 0x05] + (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) } + list, 2..<18)
        }
        let apart = try block(records)
        let together = try block(records.map { ($0.payload, nil) })
        #expect(try decoded(apart.block, apart.header) == records.map(\.payload))
        // 16 random bytes each are left either way; the rest nearly vanishes only when apart.
        #expect(apart.header.storedLength < 400 * 16 + 400 * 3)
        #expect(Double(apart.header.storedLength) < 0.9 * Double(together.header.storedLength))
    }

    @Test func badSeparatedColumnsAreMalformed() throws {
        let (block, header, body) = try block([([1, 2, 3, 4], 1..<3)])
        #expect(!header.compressed)
        func decodes(_ change: ([UInt8]) -> [UInt8]) -> Bool {
            let changed = change(body)
            var h = header
            h.rawLength = changed.count
            h.storedLength = changed.count
            var w = ByteWriter()
            h.encode(into: &w)
            w.raw(changed)
            w.u32(CRC32C.checksum(w.bytes))
            return (try? BlockDecoder().decode(w.bytes, at: 0, header: h, dictionary: [])) != nil
        }
        #expect(decodes { $0 })
        let lengthAt = body.count - 4 - 3 // length 4, at+1 = 2, count 2, then 2 random bytes, 2 rest bytes
        #expect(body[lengthAt] == 4 && body[lengthAt + 1] == 2 && body[lengthAt + 2] == 2)
        #expect(!decodes { var b = $0; b[lengthAt + 2] = 4; return b })  // more random bytes than the payload has left
        #expect(!decodes { var b = $0; b[lengthAt + 1] = 6; return b })  // starts past the payload
        #expect(!decodes { var b = $0; b[lengthAt + 2] = 0; return b })  // an empty range is written as none
        #expect(!decodes { Array($0.dropLast()) })                        // payload bytes missing
    }

    @Test func theHintIsNotContent() throws {
        let dir = TemporaryDirectory()
        let payload = Array(0..<30).map(UInt8.init)
        let log = try FileLog.create(at: dir.at("log"))
        let r = NewRecord(time: 1, stream: "s", id: "e-1", payload: payload, randomBytes: 4..<20)
        #expect(try log.append([r]) == [.appended(1)])
        // Without the hint, or with another, it is the same record: a no-op.
        #expect(try log.append([NewRecord(time: 1, stream: "s", id: "e-1", payload: payload)]) == [.duplicate(1)])
        #expect(try log.append([NewRecord(time: 1, stream: "s", id: "e-1", payload: payload, randomBytes: 0..<1)]) == [.duplicate(1)])
        #expect(try log.read(1...1).first?.payload == payload)
        #expect(throws: LogError.self) { try log.append([NewRecord(time: 2, stream: "s", id: "e-2", payload: payload, randomBytes: 20..<31)]) }
        #expect(throws: LogError.self) { try log.append([NewRecord(time: 2, stream: "s", id: "e-2", payload: [], randomBytes: 0..<1)]) }
        #expect(throws: LogError.self) { try InMemoryLog().append([NewRecord(time: 2, stream: "s", id: "e-2", payload: [], randomBytes: -1..<0)]) }
        log.close()
        let reopened = try FileLog.open(at: dir.at("log"), access: .reader)
        #expect(try reopened.readAll().map(\.payload) == [payload])
        #expect(try FileLog.verify(directory: dir.at("log")).problem == nil)
    }
}
