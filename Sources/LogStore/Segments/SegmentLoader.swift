import ByteCoding
import SystemIO

/// What the end of a segment looked like when it was loaded.
///
/// Every case but ``clean`` is a *tail*: bytes after the last valid block (header and
/// block checksums both verify) at whose offsets no later valid block begins. In the
/// last segment a writer cuts a tail and a reader ignores it; in a sealed segment it
/// is damage. Bytes that fail their checks with a valid block after them are never a
/// tail: the scan throws ``LogError/corrupt(path:offset:reason:)`` for them.
enum SegmentTail: Equatable {
    /// The last block ends exactly at the end of the file.
    case clean
    /// The file ends inside a block whose header is intact, or inside a block header,
    /// or inside the header of a segment whose creation was cut short: a write the
    /// process did not finish.
    case torn(offset: Int, bytes: Int)
    /// A run of zero bytes reaches the end of the file and explains why the bytes at
    /// `offset` are not a block: it starts at a block boundary, inside a block header,
    /// or inside a block body early enough to cover the block's checksum. Space the
    /// file system allocated but nobody wrote (a power cut).
    case zeroFilled(offset: Int, bytes: Int)
    /// The bytes from `offset` to the end are not a valid block (a header or block
    /// checksum fails) and nothing valid follows, but no zero run explains it: a write
    /// torn by a power cut (stale bytes the file system never overwrote) cannot be told
    /// from a damaged last block. A writer cuts it like any tail; `verify` reports it.
    case garbage(offset: Int, bytes: Int, reason: String)

    /// The byte offset from which the tail is not valid, if any.
    var invalidFrom: Int? {
        switch self {
        case .clean: return nil
        case let .torn(o, _), let .zeroFilled(o, _), let .garbage(o, _, _): return o
        }
    }
    /// How many bytes past the valid end.
    var invalidBytes: Int {
        switch self {
        case .clean: return 0
        case let .torn(_, b), let .zeroFilled(_, b), let .garbage(_, b, _): return b
        }
    }
}

/// The hash-chain link a verifying scan has reached (``HashChain``).
final class ChainCheck {
    var head: [UInt8]
    /// The sequence after the last block whose link was checked: where damage found
    /// next begins (0 before any block).
    var nextSequence: UInt64 = 0
    init(head: [UInt8]) { self.head = head }
}

/// Opens a segment: reads and checks its header, loads its index file if that is
/// intact and current, and reads every block the index does not cover, checking each
/// block's CRC, sequence numbers and stream numbers as it goes.
enum SegmentLoader {
    struct Loaded {
        let segment: Segment
        let tail: SegmentTail
        /// Whether the index file was missing, damaged or stale.
        let indexRebuilt: Bool
    }

    /// Returns nil when the file ends inside the segment header, or when the header
    /// fails its checks and no valid block follows it: a segment whose creation was
    /// cut short (by a crash or a power cut), which holds no records.
    static func load(
        directory: String, base: UInt64, writable: Bool, streamsBefore: UInt32, useIndex: Bool = true, chain: ChainCheck? = nil
    ) throws(LogError) -> Loaded? {
        let path = directory + "/" + LogFormat.segmentName(base: base)
        return try asLogError {
            let file = try SystemFile.open(path, access: writable ? .readWrite : .readOnly)
            let size = try file.size()
            let fixed = try file.read(at: 0, count: LogFormat.segmentHeaderFixed)
            var headerBytes = fixed
            if fixed.count == LogFormat.segmentHeaderFixed {
                let stored = Int(ByteReader.u32(fixed, at: 28))
                // No more than the file holds: a damaged length field would otherwise
                // reserve up to 64 MiB for a few bytes.
                headerBytes = try file.read(at: 0, count: min(LogFormat.segmentHeaderFixed + min(stored, LogFormat.maxBlockBodyBytes) + 4, size))
            }
            let header: SegmentHeader
            switch SegmentHeader.parse(headerBytes) {
            case let .header(h): header = h
            case .incomplete: return nil
            case let .newerVersion(v): throw LogError.newerFormat(path: path, version: v, supported: LogFormat.version)
            case let .bad(reason):
                // A header a power cut tore (zeros or stale bytes where it was written
                // but never synced) leaves a file with no valid block at any offset:
                // a segment whose creation was cut short, which holds no records (its
                // header is synced before any block is appended). With a valid block
                // in it, a bad header is damage.
                let all = try file.read(at: 0, count: size)
                if firstValidBlock(in: all, after: 0) == nil { return nil }
                throw LogError.corrupt(path: path, offset: 0, reason: reason)
            }
            guard header.base == base else {
                throw LogError.corrupt(path: path, offset: 12, reason: "header says base sequence \(header.base), file name says \(base)")
            }
            guard header.streamsBefore == streamsBefore else {
                throw LogError.corrupt(path: path, offset: 20, reason: "header says \(header.streamsBefore) streams precede it, the log has \(streamsBefore)")
            }
            let segment = Segment(base: base, directory: directory, file: file, header: header)
            var indexLoaded = false
            if useIndex {
                indexLoaded = SegmentIndexFile.load(into: segment, segmentSize: size, writable: writable) { end in
                    guard end >= 4, let b = try? file.read(at: end - 4, count: 4), b.count == 4 else { return nil }
                    return ByteReader.u32(b, at: 0)
                }
            }
            let covered = segment.end
            let tail = try scan(segment, from: segment.end, size: size, chain: chain)
            return Loaded(segment: segment, tail: tail, indexRebuilt: !indexLoaded || segment.end != covered)
        }
    }

    /// Reads blocks from `offset` to `size`, adding each valid one to `segment`, and
    /// checks each block's hash-chain link when given `chain`.
    /// Returns how the file ends; throws for damage before the end.
    static func scan(_ segment: Segment, from start: Int, size: Int, chain: ChainCheck? = nil) throws(LogError) -> SegmentTail {
        let decoder = BlockDecoder()
        var offset = start
        while offset < size {
            let remaining = size - offset
            let headBytes: [UInt8]
            do { headBytes = try segment.file.read(at: offset, count: min(remaining, LogFormat.blockHeaderSize)) } catch { throw LogError.io(error) }
            if headBytes.count < LogFormat.blockHeaderSize {
                return try allZero(segment, from: offset, size: size) ? .zeroFilled(offset: offset, bytes: remaining) : .torn(offset: offset, bytes: remaining)
            }
            let header: BlockHeader
            switch BlockHeader.parse(headBytes, at: 0) {
            case let .success(h): header = h
            case let .failure(failure):
                // A header whose own checksum verifies but whose fields are impossible
                // was written that way: damage, never a torn write.
                if headerChecksumMatches(headBytes) {
                    throw LogError.corrupt(path: segment.path, offset: offset, reason: failure.reason)
                }
                return try invalidTail(segment, from: offset, size: size, reason: failure.reason, checksumAt: nil)
            }
            if header.totalLength > remaining {
                return .torn(offset: offset, bytes: remaining)
            }
            let bytes: [UInt8]
            do { bytes = try segment.file.read(at: offset, count: header.totalLength) } catch { throw LogError.io(error) }
            let checksumAt = LogFormat.blockHeaderSize + header.storedLength
            guard CRC32C.checksum(bytes, range: 0..<checksumAt) == ByteReader.u32(bytes, at: checksumAt) else {
                return try invalidTail(
                    segment, from: offset, size: size,
                    reason: "block checksum mismatch (records from sequence \(header.firstSequence))", checksumAt: offset + checksumAt)
            }
            do {
                try decoder.decodeVerified(bytes, at: 0, header: header, dictionary: segment.header.dictionary)
            } catch {
                // Both checksums verify: these bytes are what was written. Damage.
                throw LogError.corrupt(path: segment.path, offset: offset, reason: error.reason)
            }
            if let chain {
                let expected = HashChain.link(previous: chain.head, firstSequence: header.firstSequence, rawBody: decoder.body)
                guard expected == header.link else {
                    throw LogError.corrupt(path: segment.path, offset: offset, reason: "hash chain broken: the records of sequences \(header.firstSequence)-\(header.lastSequence) (or a block before them) are not what was written")
                }
                chain.head = header.link
            }
            guard header.firstSequence == segment.nextSequence else {
                throw LogError.corrupt(path: segment.path, offset: offset, reason: "block starts at sequence \(header.firstSequence), expected \(segment.nextSequence)")
            }
            if !decoder.newStreams.isEmpty && decoder.newStreamBase != segment.streamsAfter {
                throw LogError.corrupt(path: segment.path, offset: offset, reason: "block defines stream \(decoder.newStreamBase), expected \(segment.streamsAfter)")
            }
            let known = segment.streamsAfter + UInt32(decoder.newStreams.count)
            var minTime = Int64.max
            var maxTime = Int64.min
            for i in 0..<decoder.count {
                guard decoder.streams[i] < known else {
                    throw LogError.corrupt(path: segment.path, offset: offset, reason: "record refers to undefined stream \(decoder.streams[i])")
                }
                minTime = min(minTime, decoder.times[i])
                maxTime = max(maxTime, decoder.times[i])
            }
            let entry = BlockEntry(
                offset: offset, length: header.totalLength, firstSequence: header.firstSequence, count: header.count,
                minTime: minTime, maxTime: maxTime, crc: ByteReader.u32(bytes, at: header.totalLength - 4),
                rawLength: header.rawLength)
            segment.add(entry, newStreams: decoder.newStreams, streams: decoder.streams, keys: decoder.keyValues)
            chain?.nextSequence = segment.nextSequence
            offset += header.totalLength
        }
        return .clean
    }

    /// The bytes from `offset` to `size` do not form a valid block (`reason`). If a
    /// valid block (header and block checksums both verify) begins at any later
    /// offset, that is damage in the middle of the segment and this throws. Otherwise
    /// it is a tail: zero-filled when the run of zeros that ends the file starts early
    /// enough to explain the failure (inside the header, or at or before the block
    /// checksum at `checksumAt`, when the header was read), garbage otherwise.
    private static func invalidTail(
        _ segment: Segment, from offset: Int, size: Int, reason: String, checksumAt: Int?
    ) throws(LogError) -> SegmentTail {
        let bytes: [UInt8]
        do { bytes = try segment.file.read(at: offset, count: size - offset) } catch { throw LogError.io(error) }
        if let later = firstValidBlock(in: bytes, after: 0) {
            throw LogError.corrupt(path: segment.path, offset: offset, reason: reason + " (a valid block follows at offset \(offset + later))")
        }
        var zerosFrom = bytes.count
        while zerosFrom > 0 && bytes[zerosFrom - 1] == 0 { zerosFrom -= 1 }
        let explained = checksumAt.map { offset + zerosFrom <= $0 } ?? (zerosFrom < LogFormat.blockHeaderSize)
        if zerosFrom == 0 || explained { return .zeroFilled(offset: offset, bytes: bytes.count) }
        return .garbage(offset: offset, bytes: bytes.count, reason: reason)
    }

    /// The offset after `start` in `bytes` of the first valid block: its header
    /// checksum verifies and the whole block, which fits in `bytes`, matches its block
    /// checksum. Sequence numbers and chain links are not looked at.
    static func firstValidBlock(in bytes: [UInt8], after start: Int) -> Int? {
        let minimum = LogFormat.blockHeaderSize + LogFormat.blockTrailerSize
        var at = start + 1
        while at + minimum <= bytes.count {
            defer { at += 1 }
            guard bytes[at] == LogFormat.blockKind, case let .success(header) = BlockHeader.parse(bytes, at: at) else { continue }
            let end = at + header.totalLength
            guard end <= bytes.count else { continue }
            if CRC32C.checksum(bytes, range: at..<(end - 4)) == ByteReader.u32(bytes, at: end - 4) { return at }
        }
        return nil
    }

    /// Whether the header's own checksum (over its first 52 bytes) verifies.
    private static func headerChecksumMatches(_ head: [UInt8]) -> Bool {
        head.count >= LogFormat.blockHeaderSize
            && CRC32C.checksum(head, range: 0..<LogFormat.blockHeaderChecked) == ByteReader.u32(head, at: LogFormat.blockHeaderChecked)
    }

    private static func allZero(_ segment: Segment, from offset: Int, size: Int) throws(LogError) -> Bool {
        var at = offset
        while at < size {
            let chunk: [UInt8]
            do { chunk = try segment.file.read(at: at, count: min(1 << 20, size - at)) } catch { throw LogError.io(error) }
            if chunk.isEmpty { break }
            if chunk.contains(where: { $0 != 0 }) { return false }
            at += chunk.count
        }
        return true
    }
}
