/// Where one block is and what it holds, as kept in a segment's index (one entry per
/// block: the sparse sequence → position and time → sequence index).
struct BlockEntry: Equatable {
    /// Offset of the block's header in the segment file.
    var offset: Int
    /// Its length in the file, header and checksum included.
    var length: Int
    var firstSequence: UInt64
    var count: Int
    var minTime: Int64
    var maxTime: Int64
    /// The block's CRC-32C, which ties an index to the exact bytes it describes.
    var crc: UInt32
    var rawLength: Int

    var lastSequence: UInt64 { firstSequence + UInt64(count) - 1 }
    var end: Int { offset + length }
}
