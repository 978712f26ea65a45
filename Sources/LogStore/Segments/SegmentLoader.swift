import ByteCoding
import SystemIO

/// What the end of a segment looked like when it was loaded.
enum SegmentTail: Equatable {
    /// The last block ends exactly at the end of the file.
    case clean
    /// The file ends inside a block, or inside the header of a segment whose creation
    /// was cut short: a write the process did not finish.
    case torn(offset: Int, bytes: Int)
    /// Only zero bytes follow the last block (space the file system allocated but the
    /// writer never filled).
    case zeroFilled(offset: Int, bytes: Int)
    /// The last block is complete but fails its checksum: damage, or a write still in
    /// progress when a reader looks.
    case badFinalBlock(offset: Int, bytes: Int, reason: String)

    /// The byte offset from which the tail is not valid, if any.
    var invalidFrom: Int? {
        switch self {
        case .clean: return nil
        case let .torn(o, _), let .zeroFilled(o, _), let .badFinalBlock(o, _, _): return o
        }
    }
    /// How many bytes past the valid end.
    var invalidBytes: Int {
        switch self {
        case .clean: return 0
        case let .torn(_, b), let .zeroFilled(_, b), let .badFinalBlock(_, b, _): return b
        }
    }
}

/// The hash-chain link a verifying scan has reached (``HashChain``).
final class ChainCheck {
    var head: [UInt8]
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

    /// Returns nil when the file ends inside the segment header: a segment whose
    /// creation was cut short, which holds no records.
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
                headerBytes = try file.read(at: 0, count: LogFormat.segmentHeaderFixed + min(stored, LogFormat.maxBlockBodyBytes) + 4)
            }
            let header: SegmentHeader
            switch SegmentHeader.parse(headerBytes) {
            case let .header(h): header = h
            case .incomplete: return nil
            case let .newerVersion(v): throw LogError.newerFormat(path: path, version: v, supported: LogFormat.version)
            case let .bad(reason): throw LogError.corrupt(path: path, offset: 0, reason: reason)
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
                indexLoaded = SegmentIndexFile.load(into: segment, segmentSize: size) { end in
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
                if try allZero(segment, from: offset, size: size) { return .zeroFilled(offset: offset, bytes: remaining) }
                throw LogError.corrupt(path: segment.path, offset: offset, reason: failure.reason)
            }
            if header.totalLength > remaining {
                return .torn(offset: offset, bytes: remaining)
            }
            let bytes: [UInt8]
            do { bytes = try segment.file.read(at: offset, count: header.totalLength) } catch { throw LogError.io(error) }
            do {
                try decoder.decode(bytes, at: 0, header: header, dictionary: segment.header.dictionary)
            } catch {
                if header.totalLength == remaining {
                    return .badFinalBlock(offset: offset, bytes: remaining, reason: error.reason)
                }
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
            offset += header.totalLength
        }
        return .clean
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
