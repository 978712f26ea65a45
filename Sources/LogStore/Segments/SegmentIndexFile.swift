import ByteCoding
import SystemIO

/// The index file beside a segment (`<base>.idx`; see docs/log-format.md, "Index
/// file"): the segment's block table, the streams it defines, each stream's blocks
/// and each record key's blocks, all delta-coded. It never holds the only copy of
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
    /// Section 1 of the payload: the block table, delta-coded.
    static func encodeBlockTable(_ segment: Segment, into p: inout ByteWriter) {
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
    }

    /// Section 2 of the payload: the streams the segment defines, sorted with their
    /// numbers (layouts 2 and 3; see ``SortedStreamKeys``).
    static func encodeDefinedStreams(_ segment: Segment, into p: inout ByteWriter) {
        p.varint(segment.definedStreams.count)
        SortedStreamKeys.encode(segment.definedStreams.all, into: &p)
    }

    /// The index of `segment` as it stands in memory.
    static func encode(_ segment: Segment) -> [UInt8] {
        var chunks: [UInt8] = []
        var file = wrap(magic: LogFormat.indexMagic, layout: riceListsLayout, segment: segment, capacity: segment.blocks.count * 12) { p in
            encodeBlockTable(segment, into: &p)
            encodeDefinedStreams(segment, into: &p)
            chunks = segment.streamPostings.encodeChunked(directory: &p)
            segment.keyPostings.encode(into: &p)
        }
        file.append(contentsOf: chunks)
        return file
    }

    /// The index layout (the header's reserved field): 0, the stream lists inside the
    /// checksummed payload (indexes written before chunking; still read); 1, the
    /// stream lists in checksummed chunks after it, with a directory in the payload
    /// (still read); 2, as 1 with the defined streams sorted (``SortedStreamKeys``)
    /// instead of front-coded in number order (still read); 3, as 2 with the block
    /// lists Rice-coded.
    static let chunkedLayout: UInt16 = 1
    static let sortedKeysLayout: UInt16 = 2
    /// The layout this build writes: as 2, with every block list Rice-coded
    /// (``BlockListCoding``) instead of as varint differences.
    static let riceListsLayout: UInt16 = 3

    /// The 36-byte header of an index file (the payload's length given).
    private static func header(magic: [UInt8], layout: UInt16 = 0, segment: Segment, payloadLength: Int) -> ByteWriter {
        var w = ByteWriter(capacity: LogFormat.indexHeaderSize + 4)
        w.raw(magic)
        w.u16(LogFormat.version)
        w.u16(layout)
        w.u64(segment.base)
        w.u64(UInt64(segment.end))
        w.u32(segment.blocks.last?.crc ?? 0)
        w.u32(UInt32(payloadLength))
        return w
    }

    /// The header, the payload `write` appends, and the CRC-32C of everything, built
    /// in one buffer.
    private static func wrap(magic: [UInt8], layout: UInt16 = 0, segment: Segment, capacity: Int, _ write: (inout ByteWriter) -> Void) -> [UInt8] {
        var w = header(magic: magic, layout: layout, segment: segment, payloadLength: 0) // the length is set below
        w.bytes.reserveCapacity(LogFormat.indexHeaderSize + capacity + 4)
        write(&w)
        let length = UInt32(w.bytes.count - LogFormat.indexHeaderSize)
        for i in 0..<4 { w.bytes[LogFormat.indexHeaderSize - 4 + i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// What the shared header says, if the file is whole: base, covered length, last
    /// block CRC, and where the payload is.
    private static func unwrap(_ bytes: [UInt8], magic: [UInt8]) -> (base: UInt64, covered: Int, lastCRC: UInt32, payload: Range<Int>)? {
        guard bytes.count >= LogFormat.indexHeaderSize + 4, Array(bytes[0..<8]) == magic else { return nil }
        var r = ByteReader(bytes, offset: 8)
        guard let version = try? r.u16(), version <= LogFormat.version, (try? r.u16()) != nil,
              let base = try? r.u64(), let covered = try? r.u64(), let lastCRC = try? r.u32(), let length = try? r.u32()
        else { return nil }
        let end = LogFormat.indexHeaderSize + Int(length)
        guard bytes.count == end + 4, CRC32C.checksum(bytes, range: 0..<end) == ByteReader.u32(bytes, at: end) else { return nil }
        // A covered length past Int.max (a crafted file, checksum recomputed) once
        // trapped converting it: found by fuzzing the record reader
        // (Fixtures/fuzz/record-reader/index-covered-length-past-int-max).
        guard let coveredLength = Int(exactly: covered) else { return nil }
        return (base, coveredLength, lastCRC, LogFormat.indexHeaderSize..<end)
    }

    /// Writes the index of `segment` atomically (temporary file and rename).
    static func write(_ segment: Segment, directory: String) throws(SystemError) {
        try FileSystem.writeAtomically(encode(segment), to: segment.indexPath, directory: directory)
        segment.indexedLength = segment.end
    }

    /// Loads the index file into `segment` if it is intact and describes a prefix of
    /// the segment as it is on disk; returns false (loading nothing) otherwise.
    /// A writer (`writable`) holds every stream list in memory, since it may change
    /// them; a reader leaves a sealed segment's lists in the file, chunk by chunk.
    static func load(into segment: Segment, segmentSize: Int, writable: Bool = true, lastBlockCRC: (Int) -> UInt32?) -> Bool {
        // The header, then the checksummed payload; chunked stream lists stay in the
        // file until a query asks for one.
        guard let file = try? SystemFile.open(segment.indexPath, access: .readOnly) else { return false }
        defer { file.close() }
        guard let fileSize = try? file.size(), fileSize >= LogFormat.indexHeaderSize + 4,
              let head = try? file.read(at: 0, count: LogFormat.indexHeaderSize), head.count == LogFormat.indexHeaderSize,
              Array(head[0..<8]) == LogFormat.indexMagic
        else { return false }
        let layout = ByteReader.u16(head, at: 10)
        let length = Int(ByteReader.u32(head, at: LogFormat.indexHeaderSize - 4))
        let checkedEnd = LogFormat.indexHeaderSize + length + 4
        guard layout <= riceListsLayout, checkedEnd <= fileSize, layout >= chunkedLayout || checkedEnd == fileSize,
              let bytes = try? file.read(at: 0, count: checkedEnd), bytes.count == checkedEnd,
              let (base, covered, lastCRC, payload) = unwrap(bytes, magic: LogFormat.indexMagic),
              base == segment.base, covered <= segmentSize
        else { return false }
        let payloadLength = payload.count
        do {
            var p = ByteReader(bytes, offset: payload.lowerBound, end: payload.upperBound)
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
            // Checked and kept encoded: a point query walks them for its one key.
            let streams = layout >= sortedKeysLayout
                ? try StreamKeyList.readSorted(streamCount, from: &p, in: bytes, maxKeyBytes: LogFormat.maxKeyBytes)
                : try StreamKeyList.read(streamCount, from: &p, in: bytes, maxKeyBytes: LogFormat.maxKeyBytes)
            // Stream and key lists are kept encoded (stream lists in the file, chunk by
            // chunk); only where each one is, is read now.
            let coding: BlockListCoding = layout >= riceListsLayout ? .rice : .varint
            var streamPostings = layout >= chunkedLayout
                ? BlockPostings.chunked(try ChunkedPostings.decodeDirectory(&p, path: segment.indexPath, dataStart: checkedEnd, fileSize: fileSize, coding: coding))
                : try BlockPostings.decode(&p, in: bytes, blockCount: blockCount, coding: coding)
            let keyPostings = try BlockPostings.decode(&p, in: bytes, blockCount: blockCount, coding: coding)
            guard p.remaining == 0 else { return false }
            if writable {
                // A writer may change the lists: it holds them all.
                do { try streamPostings.loadChunks() } catch { return false }
            }
            segment.blocks = blocks
            segment.definedStreams = streams
            segment.streamPostings = streamPostings
            segment.keyPostings = keyPostings
            segment.indexedLength = covered
            return true
        } catch {
            return false
        }
    }
}
