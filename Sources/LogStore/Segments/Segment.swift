import ByteCoding
import SystemIO

/// One segment file and everything known about it: its header, the table of its
/// blocks, the streams it defines, which blocks hold each stream and each record
/// key. The last three are the segment's index; they are rebuilt from the blocks
/// whenever the index file is missing or stale.
final class Segment {
    let base: UInt64
    let path: String
    let indexPath: String
    /// The fingerprints file that builds before block flag bit 2 wrote (a writer
    /// removes it: the fingerprints are computed from the blocks).
    let idsPath: String
    let file: SystemFile
    private(set) var header: SegmentHeader
    /// The blocks, in file order.
    var blocks: [BlockEntry] = []
    /// Stream keys first used in this segment, numbered from `header.streamsBefore`.
    var definedStreams = StreamKeyList()
    /// Stream number → the blocks holding its records.
    var streamPostings = BlockPostings()
    /// Record key → the blocks holding records with that key (see ``NewRecord/keys``).
    var keyPostings = BlockPostings()
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
    /// number of each record, and the keys its records carry.
    func add(_ entry: BlockEntry, newStreams: [String], streams: [UInt32], keys: some Sequence<UInt32>) {
        let number = UInt32(blocks.count)
        blocks.append(entry)
        definedStreams.append(contentsOf: newStreams)
        for s in streams { streamPostings.add(s, block: number) }
        for k in keys { keyPostings.add(k, block: number) }
        if blocks.count % Self.compactEvery == 0 {
            streamPostings.compact()
            keyPostings.compact()
        }
    }

    /// How many blocks may pass before the lists are folded into their encoded form.
    static let compactEvery = 1024

    /// The numbers of the blocks holding records of stream `s`, in order.
    func blockNumbers(of s: UInt32) throws(LogError) -> [UInt32] { try streamPostings.blocks(of: s) }

    /// Removes every block from number `count` on (used to undo a failed append).
    func truncateBlocks(to count: Int, streamsBefore: Int) {
        guard count < blocks.count else { return }
        streamPostings.truncate(toBlocks: count)
        keyPostings.truncate(toBlocks: count)
        blocks.removeSubrange(count...)
        let keep = streamsBefore - Int(header.streamsBefore)
        definedStreams.removeSubrange(from: max(0, keep))
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
