import ByteCoding
import BlockCompression

/// The header at the start of every segment file (see docs/log-format.md, "Segment
/// header").
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `PLOGSEG\0` |
/// | 8 | 2 | format version |
/// | 10 | 2 | flags, 0 |
/// | 12 | 8 | base sequence: the first record's sequence number |
/// | 20 | 4 | streams defined before this segment |
/// | 24 | 4 | dictionary length, uncompressed |
/// | 28 | 4 | dictionary length as stored (LZ4, no dictionary; 0 if empty) |
/// | 32 | 4 | CRC-32C of bytes 0..<32 |
/// | 36 | n | dictionary |
/// | 36+n | 4 | CRC-32C of bytes 0..<36+n |
///
/// The first checksum lets a reader trust the dictionary length before reading the
/// dictionary, and so tell a header cut short by a crash from a damaged one.
struct SegmentHeader: Equatable {
    var base: UInt64
    var streamsBefore: UInt32
    var dictionary: [UInt8]
    /// Bytes the header takes in the file, checksum included.
    var size: Int

    /// Encodes a header holding `dictionary` (compressed inside it).
    static func encode(base: UInt64, streamsBefore: UInt32, dictionary: [UInt8]) throws(LZ4Error) -> [UInt8] {
        var stored: [UInt8] = []
        if !dictionary.isEmpty {
            try LZ4Compressor(level: 0).compress(dictionary, dictionary: [], appendingTo: &stored)
        }
        var w = ByteWriter(capacity: LogFormat.segmentHeaderFixed + stored.count + 4)
        w.raw(LogFormat.segmentMagic)
        w.u16(LogFormat.version)
        w.u16(0)
        w.u64(base)
        w.u32(streamsBefore)
        w.u32(UInt32(dictionary.count))
        w.u32(UInt32(stored.count))
        w.u32(CRC32C.checksum(w.bytes))
        w.raw(stored)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// What reading a header found.
    enum Parsed {
        case header(SegmentHeader)
        /// The file ends inside the header (a segment whose creation was cut short).
        case incomplete
        case newerVersion(UInt16)
        case bad(String)
    }

    /// Parses the header at the start of `bytes` (which may hold more of the file).
    static func parse(_ bytes: [UInt8]) -> Parsed {
        guard bytes.count >= LogFormat.segmentHeaderFixed else { return .incomplete }
        guard Array(bytes[0..<8]) == LogFormat.segmentMagic else { return .bad("not a segment (bad magic)") }
        var r = ByteReader(bytes, offset: 8)
        do {
            let version = try r.u16()
            let flags = try r.u16()
            let base = try r.u64()
            let streamsBefore = try r.u32()
            let rawLength = Int(try r.u32())
            let storedLength = Int(try r.u32())
            guard CRC32C.checksum(bytes, range: 0..<32) == (try r.u32()) else {
                return .bad("segment header checksum mismatch")
            }
            guard rawLength <= LogFormat.maxBlockBodyBytes, storedLength <= LogFormat.maxBlockBodyBytes else {
                return .bad("dictionary length out of range")
            }
            let end = LogFormat.segmentHeaderFixed + storedLength
            guard bytes.count >= end + 4 else { return .incomplete }
            guard CRC32C.checksum(bytes, range: 0..<end) == ByteReader.u32(bytes, at: end) else {
                return .bad("segment header checksum mismatch")
            }
            if version > LogFormat.version { return .newerVersion(version) }
            guard flags == 0 else { return .bad("unknown segment flags") }
            // Before a buffer of the claimed size is made (up to 64 MiB of zeros).
            guard LZ4.canDecode(storedLength, to: rawLength) else { return .bad("segment dictionary does not decompress") }
            var dictionary = [UInt8](repeating: 0, count: rawLength)
            if rawLength > 0 {
                do {
                    try LZ4.decompress(bytes, range: LogFormat.segmentHeaderFixed..<end, into: &dictionary, dictionary: [])
                } catch {
                    return .bad("segment dictionary does not decompress")
                }
            }
            return .header(SegmentHeader(base: base, streamsBefore: streamsBefore, dictionary: dictionary, size: end + 4))
        } catch {
            return .incomplete
        }
    }
}
