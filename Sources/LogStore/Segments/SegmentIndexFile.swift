import ByteCoding
import SystemIO

/// The index file beside a segment (`<base>.idx`; see docs/log-format.md, "Index
/// file"): the segment's block table, the streams it defines, each stream's blocks,
/// and its id fingerprints, all delta-coded. It never holds the only copy of
/// anything: every field is derived from the segment and is rebuilt from it when the
/// file is missing, damaged or stale.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `PLOGIDX\0` |
/// | 8 | 2 | format version |
/// | 10 | 2 | reserved, 0 |
/// | 12 | 8 | base sequence of the segment |
/// | 20 | 8 | covered length: bytes of the segment described |
/// | 28 | 4 | CRC-32C of the last block covered (0 if none) |
/// | 32 | 4 | payload length P |
/// | 36 | P | payload |
/// | 36+P | 4 | CRC-32C of bytes 0..<36+P |
enum SegmentIndexFile {
    /// The index of `segment` as it stands in memory.
    static func encode(_ segment: Segment) -> [UInt8] {
        var p = ByteWriter(capacity: segment.blocks.count * 12 + segment.idHashes.count * 3)
        p.varint(segment.blocks.count)
        var previousEnd = segment.header.size
        var previousMin: Int64 = 0
        for b in segment.blocks {
            p.varint(b.offset - previousEnd)
            p.varint(b.length)
            p.varint(b.count)
            p.zigzag(b.minTime &- previousMin)
            p.varint(UInt64(bitPattern: b.maxTime &- b.minTime))
            p.u32(b.crc)
            p.varint(b.rawLength)
            previousEnd = b.end
            previousMin = b.minTime
        }
        p.varint(segment.definedStreams.count)
        BlockBuilder.frontCode(segment.definedStreams.map { Array($0.utf8) }, into: &p)
        let streams = segment.streamsWithRecords
        p.varint(streams.count)
        var previousStream: UInt32 = 0
        var list = ByteWriter()
        for s in streams {
            let blocks = segment.blockNumbers(of: s)
            p.varint(UInt64(s - previousStream))
            previousStream = s
            p.varint(blocks.count)
            list.bytes.removeAll(keepingCapacity: true)
            var previousBlock: UInt32 = 0
            for b in blocks {
                list.varint(UInt64(b - previousBlock))
                previousBlock = b
            }
            p.varint(list.bytes.count)
            p.raw(list.bytes)
        }
        // The fingerprints last, with their byte length first: a reader skips them.
        var f = ByteWriter(capacity: segment.idHashes.count * 3)
        let hashes = segment.idHashes.sorted()
        f.varint(hashes.count)
        var previousHash: UInt32 = 0
        for h in hashes {
            f.varint(UInt64(h - previousHash))
            previousHash = h
        }
        p.varint(f.bytes.count)
        p.raw(f.bytes)

        var w = ByteWriter(capacity: LogFormat.indexHeaderSize + p.bytes.count + 4)
        w.raw(LogFormat.indexMagic)
        w.u16(LogFormat.version)
        w.u16(0)
        w.u64(segment.base)
        w.u64(UInt64(segment.end))
        w.u32(segment.blocks.last?.crc ?? 0)
        w.u32(UInt32(p.bytes.count))
        w.raw(p.bytes)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Writes the index of `segment` atomically (temporary file and rename).
    static func write(_ segment: Segment, directory: String) throws(SystemError) {
        try FileSystem.writeAtomically(encode(segment), to: segment.indexPath, directory: directory)
        segment.indexedLength = segment.end
    }

    /// Loads the index file into `segment` if it is intact and describes a prefix of
    /// the segment as it is on disk; returns false (loading nothing) otherwise.
    /// Readers pass `withIDs: false`: they never append, so they skip the id
    /// fingerprints, the largest part of an index.
    static func load(into segment: Segment, segmentSize: Int, withIDs: Bool = true, lastBlockCRC: (Int) -> UInt32?) -> Bool {
        guard let bytes = try? FileSystem.read(segment.indexPath),
              bytes.count >= LogFormat.indexHeaderSize + 4,
              Array(bytes[0..<8]) == LogFormat.indexMagic
        else { return false }
        var r = ByteReader(bytes, offset: 8)
        do {
            let version = try r.u16()
            _ = try r.u16()
            let base = try r.u64()
            let covered = Int(try r.u64())
            let lastCRC = try r.u32()
            let payloadLength = Int(try r.u32())
            let end = LogFormat.indexHeaderSize + payloadLength
            guard version <= LogFormat.version, base == segment.base, covered <= segmentSize,
                  bytes.count == end + 4,
                  CRC32C.checksum(bytes, range: 0..<end) == ByteReader.u32(bytes, at: end)
            else { return false }
            var p = ByteReader(bytes, offset: LogFormat.indexHeaderSize, end: end)
            let blockCount = try p.count(atMost: payloadLength)
            var blocks: [BlockEntry] = []
            blocks.reserveCapacity(blockCount)
            var previousEnd = segment.header.size
            var previousMin: Int64 = 0
            var sequence = segment.base
            for _ in 0..<blockCount {
                let offset = previousEnd + (try p.count(atMost: segmentSize))
                let length = try p.count(atMost: segmentSize)
                let count = try p.count(atMost: LogFormat.maxRecordsPerBlock)
                let minTime = previousMin &+ (try p.zigzag())
                let maxTime = minTime &+ Int64(bitPattern: try p.varint())
                let crc = try p.u32()
                let raw = try p.count(atMost: LogFormat.maxBlockBodyBytes)
                guard count > 0 else { return false }
                blocks.append(BlockEntry(
                    offset: offset, length: length, firstSequence: sequence, count: count,
                    minTime: minTime, maxTime: maxTime, crc: crc, rawLength: raw))
                sequence += UInt64(count)
                previousEnd = offset + length
                previousMin = minTime
            }
            guard previousEnd == covered || (blocks.isEmpty && covered <= segment.header.size) else { return false }
            if let last = blocks.last, lastBlockCRC(last.end) != lastCRC || last.crc != lastCRC { return false }

            let streamCount = try p.count(atMost: payloadLength)
            var streams: [String] = []
            var previous: [UInt8] = []
            for _ in 0..<streamCount {
                let shared = try p.count(atMost: previous.count)
                let rest = try p.lengthPrefixed(atMost: LogFormat.maxKeyBytes)
                let key = Array(previous[0..<shared]) + rest
                streams.append(String(decoding: key, as: UTF8.self))
                previous = key
            }
            // Stream lists are kept encoded; only where each one is, is read now.
            let postingCount = try p.count(atMost: payloadLength)
            var postings: [UInt32: (start: Int, count: Int)] = [:]
            postings.reserveCapacity(postingCount)
            var stream: UInt32 = 0
            for _ in 0..<postingCount {
                stream += UInt32(try p.count(atMost: Int(UInt32.max)))
                let n = try p.count(atMost: blockCount)
                let length = try p.count(atMost: p.remaining)
                postings[stream] = (p.offset, n)
                p.offset += length
            }
            let hashBytes = try p.count(atMost: p.remaining)
            guard hashBytes == p.remaining else { return false }
            var hashes: [UInt32] = []
            if withIDs {
                let hashCount = try p.count(atMost: Int(sequence - segment.base))
                guard hashCount == Int(sequence - segment.base) else { return false }
                hashes.reserveCapacity(hashCount)
                var h: UInt32 = 0
                for _ in 0..<hashCount {
                    h &+= UInt32(truncatingIfNeeded: try p.varint())
                    hashes.append(h)
                }
                guard p.remaining == 0 else { return false }
            }
            segment.blocks = blocks
            segment.definedStreams = streams
            segment.indexedPostings = postings
            segment.indexedPostingBytes = bytes
            segment.postings = [:]
            segment.idHashes = hashes
            segment.indexedLength = covered
            return true
        } catch {
            return false
        }
    }
}
