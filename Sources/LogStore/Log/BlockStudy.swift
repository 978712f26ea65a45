import BlockCompression
import ByteCoding

/// Where the bytes of a log's blocks go (`patchlog-bench columns`): each block is
/// decoded, its body re-encoded in variants, and each variant compressed the way the
/// writer would (the segment's dictionary, the log's LZ4 level). A column's share is
/// what the blocks lose, compressed, when it is left out; "alone" is the column
/// compressed by itself. Measurement only: nothing here is written to a log.
@_spi(Study) public struct BlockStudy {
    /// One labelled part of a payload (a field of the event codec, say), as a byte range
    /// of the payload.
    public typealias Splitter = (ArraySlice<UInt8>) -> [(label: String, range: Range<Int>)]

    /// A decoded block's columns.
    public struct Columns {
        public var newStreams: [[UInt8]]
        public var newStreamBase: UInt32
        public var times: [Int64]
        public var streams: [UInt32]
        public var ids: [[UInt8]]
        public var keys: [[UInt32]]
        public var payloads: [ArraySlice<UInt8>]
        public var dictionary: [UInt8]
        public var storedLength: Int
        public var rawLength: Int
    }

    /// Calls `body` with every block of `log`, in order.
    public static func forEachBlock(_ log: FileLog, _ body: (Columns) throws -> Void) throws {
        let segments = log.state.withLock { log.segments }
        let decoder = BlockDecoder()
        for segment in segments {
            for entry in segment.blocks {
                let bytes = try segment.readBlock(entry)
                guard case let .success(header) = BlockHeader.parse(bytes, at: 0) else { continue }
                try decoder.decode(bytes, at: 0, header: header, dictionary: segment.header.dictionary)
                let n = decoder.count
                let c = Columns(
                    newStreams: decoder.newStreams.map { Array($0.utf8) }, newStreamBase: decoder.newStreamBase,
                    times: decoder.times, streams: decoder.streams,
                    ids: (0..<n).map { Array(decoder.idBytes[decoder.idStarts[$0]..<decoder.idStarts[$0 + 1]]) },
                    keys: (0..<n).map { Array(decoder.keys($0)) },
                    payloads: (0..<n).map { decoder.view($0).payload },
                    dictionary: segment.header.dictionary, storedLength: header.storedLength, rawLength: header.rawLength)
                try body(c)
            }
        }
    }

    /// The body the writer makes of these records now, given where each payload's
    /// random bytes are.
    public static func writerBody(_ c: Columns, randomBytes: ([UInt8]) -> Range<Int>?) -> [UInt8] {
        var b = BlockBuilder(firstSequence: 1)
        for (i, key) in c.newStreams.enumerated() { b.defineStream(key, ordinal: c.newStreamBase + UInt32(i)) }
        for i in 0..<c.times.count {
            let payload = Array(c.payloads[i])
            b.add(time: c.times[i], stream: c.streams[i], id: c.ids[i], payload: payload, keys: c.keys[i], randomBytes: randomBytes(payload))
        }
        return b.encodeBody()
    }

    /// The column encodings of the current format (docs/log-format.md, "Block body").
    public static func encodeNewStreams(_ c: Columns, into w: inout ByteWriter) {
        w.varint(c.newStreams.count)
        if !c.newStreams.isEmpty {
            w.varint(UInt64(c.newStreamBase))
            BlockBuilder.frontCode(c.newStreams, into: &w)
        }
    }

    public static func encodeTimes(_ times: [Int64], into w: inout ByteWriter) {
        var previous: Int64 = 0
        for t in times {
            TimeCoding.write(t &- previous, into: &w)
            previous = t
        }
    }

    public static func encodeStreams(_ streams: [UInt32], into w: inout ByteWriter) {
        for s in streams { w.varint(UInt64(s)) }
    }

    public static func encodeIDs(_ ids: [[UInt8]], into w: inout ByteWriter) {
        IDCoding.encode(ids, into: &w)
    }

    /// The id column of blocks without the numeric-ids flag.
    public static func encodeIDsFrontCoded(_ ids: [[UInt8]], into w: inout ByteWriter) {
        BlockBuilder.frontCode(ids, into: &w)
    }

    public static func encodeKeys(_ keys: [[UInt32]], into w: inout ByteWriter) {
        BlockBuilder.encodeKeys(keys, into: &w)
    }

    /// `bytes` compressed with `dictionary` at `level`: its stored length (never more
    /// than the raw length, as the writer stores a block as is when LZ4 does not help).
    public static func compressedSize(_ bytes: [UInt8], dictionary: [UInt8], compressor: LZ4Compressor) -> Int {
        var out: [UInt8] = []
        out.reserveCapacity(LZ4Compressor.bound(bytes.count))
        guard (try? compressor.compress(bytes, dictionary: dictionary, appendingTo: &out)) != nil else { return bytes.count }
        return min(out.count, bytes.count)
    }
}

extension BlockStudy {
    /// The bytes of each section of every segment's index file, as they would be
    /// written now: block table, streams defined, stream → blocks, key → blocks; and
    /// each compressed alone with LZ4HC 4.
    public static func indexSections(_ log: FileLog) -> [(name: String, bytes: Int, compressed: Int)] {
        let segments = log.state.withLock { log.segments }
        let compressor = LZ4Compressor(level: 4)
        var table = 0, defined = 0, streams = 0, keys = 0
        var tableC = 0, definedC = 0, streamsC = 0, keysC = 0
        for segment in segments {
            var p = ByteWriter()
            SegmentIndexFile.encodeBlockTable(segment, into: &p)
            table += p.bytes.count
            tableC += compressedSize(p.bytes, dictionary: [], compressor: compressor)
            p = ByteWriter()
            SegmentIndexFile.encodeDefinedStreams(segment, into: &p)
            defined += p.bytes.count
            definedC += compressedSize(p.bytes, dictionary: [], compressor: compressor)
            p = ByteWriter()
            var postings = segment.streamPostings
            try? postings.loadChunks()
            postings.encode(into: &p)
            streams += p.bytes.count
            streamsC += compressedSize(p.bytes, dictionary: [], compressor: compressor)
            p = ByteWriter()
            segment.keyPostings.encode(into: &p)
            keys += p.bytes.count
            keysC += compressedSize(p.bytes, dictionary: [], compressor: compressor)
        }
        return [("block table", table, tableC), ("streams defined", defined, definedC), ("stream -> blocks", streams, streamsC), ("key -> blocks", keys, keysC)]
    }

    /// Every stream's block list, per segment (for trying other encodings of them).
    public static func streamLists(_ log: FileLog) -> [(blocks: Int, lists: [[UInt32]])] {
        let segments = log.state.withLock { log.segments }
        return segments.map { s in
            var postings = s.streamPostings
            try? postings.loadChunks()
            var lists: [[UInt32]] = []
            postings.forEachList { _, list in lists.append(list) }
            return (s.blocks.count, lists)
        }
    }
}
