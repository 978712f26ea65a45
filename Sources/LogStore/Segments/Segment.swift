import ByteCoding
import SystemIO

/// One segment file and everything known about it: its header, the table of its
/// blocks, the streams it defines, which blocks hold each stream, and the
/// fingerprints of its event ids. The last three are the segment's index; they are
/// rebuilt from the blocks whenever the index file is missing or stale.
final class Segment {
    let base: UInt64
    let path: String
    let indexPath: String
    let idsPath: String
    let file: SystemFile
    private(set) var header: SegmentHeader
    /// The blocks, in file order.
    var blocks: [BlockEntry] = []
    /// Stream keys first used in this segment, numbered from `header.streamsBefore`.
    var definedStreams: [String] = []
    /// Stream number → numbers of the blocks (in this segment) holding its records,
    /// for the blocks added since the index file was read.
    var postings: [UInt32: [UInt32]] = [:]
    /// The lists the index file holds, still encoded: stream number → where its list
    /// starts in `indexedPostingBytes` and how many entries it has. Decoded only for
    /// the stream asked for, so that opening a log costs little however many
    /// streams it has.
    var indexedPostings: [UInt32: (start: Int, count: Int)] = [:]
    var indexedPostingBytes: [UInt8] = []
    /// Fingerprints (``IDHash/hash32(_:)``) of every record's id.
    var idHashes: [UInt32] = []
    /// How many bytes of the segment the index file on disk describes.
    var indexedLength = 0

    init(base: UInt64, directory: String, file: SystemFile, header: SegmentHeader) {
        self.base = base
        self.path = directory + "/" + LogFormat.segmentName(base: base)
        self.indexPath = directory + "/" + LogFormat.indexName(base: base)
        self.idsPath = directory + "/" + LogFormat.idsName(base: base)
        self.file = file
        self.header = header
    }

    /// End of the last valid block (or of the header): where the next block goes.
    var end: Int { blocks.last?.end ?? header.size }
    var recordCount: Int { blocks.last.map { Int($0.lastSequence - base) + 1 } ?? 0 }
    var nextSequence: UInt64 { base + UInt64(recordCount) }
    var streamsAfter: UInt32 { header.streamsBefore + UInt32(definedStreams.count) }

    /// Reads the stored bytes of `entry` (header, body, checksum).
    func readBlock(_ entry: BlockEntry) throws(LogError) -> [UInt8] {
        return try asLogError {
            let bytes = try file.read(at: entry.offset, count: entry.length)
            guard bytes.count == entry.length else {
                throw LogError.corrupt(path: path, offset: entry.offset, reason: "block extends past the end of the file")
            }
            return bytes
        }
    }

    /// The header of the block at `entry`, checked.
    func readHeader(_ entry: BlockEntry) throws(LogError) -> BlockHeader {
        let bytes = try asLogError { try file.read(at: entry.offset, count: LogFormat.blockHeaderSize) }
        switch BlockHeader.parse(bytes, at: 0) {
        case let .success(header): return header
        case let .failure(failure): throw LogError.corrupt(path: path, offset: entry.offset, reason: failure.reason)
        }
    }

    /// Records a block in the in-memory index: the streams it defines, the stream
    /// number of each record, and each record's id fingerprint.
    func add(_ entry: BlockEntry, newStreams: [String], streams: [UInt32], idHashes hashes: [UInt32]) {
        let number = UInt32(blocks.count)
        blocks.append(entry)
        definedStreams.append(contentsOf: newStreams)
        var previous: UInt32 = .max
        for s in streams {
            if s == previous { continue }
            previous = s
            if postings[s]?.last != number { postings[s, default: []].append(number) }
        }
        idHashes.append(contentsOf: hashes)
    }

    /// The numbers of the blocks holding records of stream `s`, in order.
    func blockNumbers(of s: UInt32) -> [UInt32] {
        var out: [UInt32] = []
        if let (start, count) = indexedPostings[s] {
            var r = ByteReader(indexedPostingBytes, offset: start)
            var block: UInt32 = 0
            out.reserveCapacity(count + (postings[s]?.count ?? 0))
            for _ in 0..<count {
                block &+= UInt32(truncatingIfNeeded: (try? r.varint()) ?? 0)
                out.append(block)
            }
        }
        if let recent = postings[s] { out.append(contentsOf: recent) }
        return out
    }

    /// Every stream with records in this segment.
    var streamsWithRecords: [UInt32] { Array(Set(indexedPostings.keys).union(postings.keys)).sorted() }

    /// Decodes the index's lists into `postings` (before they are changed).
    func materializePostings() {
        guard !indexedPostings.isEmpty else { return }
        var all: [UInt32: [UInt32]] = [:]
        for s in streamsWithRecords { all[s] = blockNumbers(of: s) }
        postings = all
        indexedPostings = [:]
        indexedPostingBytes = []
    }

    /// Removes every block from number `count` on (used to undo a failed append).
    func truncateBlocks(to count: Int, streamsBefore: Int) {
        guard count < blocks.count else { return }
        materializePostings()
        let removedRecords = blocks[count...].reduce(0) { $0 + $1.count }
        blocks.removeSubrange(count...)
        idHashes.removeLast(removedRecords)
        let keep = streamsBefore - Int(header.streamsBefore)
        definedStreams.removeSubrange(max(0, keep)...)
        for (s, list) in postings {
            let trimmed = list.filter { $0 < UInt32(count) }
            postings[s] = trimmed.isEmpty ? nil : trimmed
        }
    }

    /// The block holding `sequence`, by binary search.
    func blockIndex(containing sequence: UInt64) -> Int? {
        var lo = 0
        var hi = blocks.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let b = blocks[mid]
            if sequence < b.firstSequence { hi = mid - 1 } else if sequence > b.lastSequence { lo = mid + 1 } else { return mid }
        }
        return nil
    }
}
