import ByteCoding
/// The fixed 56-byte header of a block (see docs/log-format.md, "Block").
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | kind, always `0xB1` |
/// | 1 | 1 | flags: bit 0 = body is LZ4-compressed with the segment dictionary; bit 1 = ids are numeric-coded (``IDCoding``); bit 2 = random bytes of payloads are kept apart |
/// | 2 | 2 | record count, 1...65535 |
/// | 4 | 4 | raw (uncompressed) body length |
/// | 8 | 4 | stored body length |
/// | 12 | 8 | sequence number of the first record |
/// | 20 | 32 | hash-chain link: SHA-256 of the previous link, the first sequence and the raw body (``HashChain``) |
/// | 52 | 4 | CRC-32C of bytes 0..<52 |
///
/// The stored body follows, then a CRC-32C of header and stored body. The header's
/// own checksum tells a block cut short by a crash (intact header, file too short)
/// from a damaged length field.
struct BlockHeader: Equatable {
    var compressed: Bool
    var count: Int
    var rawLength: Int
    var storedLength: Int
    var firstSequence: UInt64
    /// The block's link in the log's hash chain.
    var link: [UInt8]
    /// The id column is numeric-coded (``IDCoding``) rather than front-coded.
    var numericIDs = false
    /// Some payloads' random bytes are in a column of their own (``NewRecord/randomBytes``).
    var separated = false

    /// Header, body and checksum together.
    var totalLength: Int { LogFormat.blockHeaderSize + storedLength + LogFormat.blockTrailerSize }
    var lastSequence: UInt64 { firstSequence + UInt64(count) - 1 }

    func encode(into w: inout ByteWriter) {
        w.u8(LogFormat.blockKind)
        w.u8((compressed ? LogFormat.blockFlagCompressed : 0) | (numericIDs ? LogFormat.blockFlagNumericIDs : 0)
             | (separated ? LogFormat.blockFlagSeparated : 0))
        w.u16(UInt16(count))
        w.u32(UInt32(rawLength))
        w.u32(UInt32(storedLength))
        w.u64(firstSequence)
        w.raw(link)
        w.u32(CRC32C.checksum(w.bytes, range: (w.bytes.count - LogFormat.blockHeaderChecked)..<w.bytes.count))
    }

    /// Parses the header at `offset`, or says why those bytes are not one.
    static func parse(_ bytes: [UInt8], at offset: Int) -> Result<BlockHeader, DecodeFailure> {
        guard offset + LogFormat.blockHeaderSize <= bytes.count else { return .failure(DecodeFailure("header is cut short")) }
        var r = ByteReader(bytes, offset: offset)
        do {
            let kind = try r.u8()
            guard kind == LogFormat.blockKind else { return .failure(DecodeFailure("not a block (kind byte \(kind))")) }
            let flags = try r.u8()
            guard flags & ~LogFormat.blockFlagsKnown == 0 else { return .failure(DecodeFailure("unknown block flags \(flags)")) }
            let count = Int(try r.u16())
            let raw = Int(try r.u32())
            let stored = Int(try r.u32())
            let first = try r.u64()
            let link = Array(try r.raw(HashChain.linkSize))
            guard CRC32C.checksum(bytes, range: offset..<(offset + LogFormat.blockHeaderChecked)) == (try r.u32()) else {
                return .failure(DecodeFailure("block header checksum mismatch"))
            }
            guard count >= 1 else { return .failure(DecodeFailure("block with no records")) }
            guard raw <= LogFormat.maxBlockBodyBytes, stored <= LogFormat.maxBlockBodyBytes else {
                return .failure(DecodeFailure("block length out of range"))
            }
            guard first >= 1 else { return .failure(DecodeFailure("sequence number 0")) }
            // The sequence after the block (first + count) must be a sequence number
            // too: it is where the next block starts, and `lastSequence` is computed
            // from it (a damaged header near 2^64 would trap in that addition).
            guard first <= UInt64.max - UInt64(count) else {
                return .failure(DecodeFailure("sequence number \(first) out of range"))
            }
            return .success(BlockHeader(
                compressed: flags & LogFormat.blockFlagCompressed != 0, count: count,
                rawLength: raw, storedLength: stored, firstSequence: first, link: link,
                numericIDs: flags & LogFormat.blockFlagNumericIDs != 0, separated: flags & LogFormat.blockFlagSeparated != 0))
        } catch {
            return .failure(DecodeFailure("header is cut short"))
        }
    }
}
