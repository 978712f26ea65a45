import ByteCoding
import SystemIO

/// The stream → blocks lists of a sealed segment's index, left in the index file and
/// read a chunk at a time: a point query on a log of 100,000 VMs reads the chunk that
/// holds its VM's list (a few kilobytes per segment), not every VM's list (tens of
/// megabytes in all).
///
/// The lists follow the index's checksummed payload in the file, in chunks of
/// ``entriesPerChunk`` lists; the payload holds a directory of the chunks (first
/// value, entries, byte length, CRC-32C), so every byte a reader uses is checked
/// before it is believed (see docs/log-format.md, "Index file").
final class ChunkedPostings: @unchecked Sendable {
    /// How many lists a chunk holds: small enough that reading one is cheap, large
    /// enough that the directory is a small part of the index.
    static let entriesPerChunk = 128

    struct Chunk: Equatable {
        var firstValue: UInt32
        var entries: Int
        var offset: Int
        var length: Int
        var crc: UInt32
    }

    let path: String
    let chunks: [Chunk]
    /// How the chunks code each list's block numbers.
    let coding: BlockListCoding
    /// Guards the file handle (readers may share a segment across threads).
    private let lock = Condition()
    private var file: SystemFile?

    init(path: String, chunks: [Chunk], coding: BlockListCoding) {
        self.path = path
        self.chunks = chunks
        self.coding = coding
    }

    deinit { file?.close() }

    /// The bytes of chunk `i`, checked against its CRC.
    func bytes(ofChunk i: Int) throws(LogError) -> [UInt8] {
        let chunk = chunks[i]
        let bytes: [UInt8]
        do {
            bytes = try lock.withLock { () throws(SystemError) -> [UInt8] in
                if file == nil { file = try SystemFile.open(path, access: .readOnly) }
                return try file!.read(at: chunk.offset, count: chunk.length)
            }
        } catch {
            throw LogError.io(error)
        }
        guard bytes.count == chunk.length, CRC32C.checksum(bytes) == chunk.crc else {
            throw LogError.corrupt(path: path, offset: chunk.offset,
                                   reason: "stream list chunk \(i) fails its checksum (the index is derived: delete it and it is rebuilt)")
        }
        return bytes
    }

    /// The chunk that would hold `value`, if any.
    func chunk(holding value: UInt32) -> Int? {
        var lo = 0
        var hi = chunks.count - 1
        guard hi >= 0, chunks[0].firstValue <= value else { return nil }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if chunks[mid].firstValue <= value { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Reads the directory written by ``BlockPostings/encodeChunked(directory:chunks:)``
    /// at `p`; the chunks begin at `dataStart` in the file at `path`, which is
    /// `fileSize` bytes long.
    static func decodeDirectory(_ p: inout ByteReader, path: String, dataStart: Int, fileSize: Int, coding: BlockListCoding) throws(ByteReader.Truncated) -> ChunkedPostings {
        let n = try p.count(atMost: p.remaining)
        var chunks: [Chunk] = []
        chunks.reserveCapacity(n)
        var value: UInt32 = 0
        var offset = dataStart
        for i in 0..<n {
            let delta = try p.count(atMost: Int(UInt32.max))
            guard UInt64(value) + UInt64(delta) <= UInt64(UInt32.max), i == 0 || delta > 0 else { throw ByteReader.Truncated() }
            value += UInt32(delta)
            let entries = try p.count(atMost: entriesPerChunk)
            let length = try p.count(atMost: fileSize)
            let crc = try p.u32()
            guard entries > 0, offset + length <= fileSize else { throw ByteReader.Truncated() }
            chunks.append(Chunk(firstValue: value, entries: entries, offset: offset, length: length, crc: crc))
            offset += length
        }
        guard offset == fileSize else { throw ByteReader.Truncated() }
        return ChunkedPostings(path: path, chunks: chunks, coding: coding)
    }
}
