import BlockCompression
import LogStore

/// Rewrites the checksums and the hash-chain links of a segment (the links of
/// compressed blocks too, whose body decompresses with the segment's dictionary) or
/// the checksum of an index file, so that they match its bytes.
///
/// A fuzzer that mutates a byte of a block almost never fixes its CRC-32C too, so
/// without this nearly every mutated input stops at the first checksum and the
/// decoders behind it (block bodies, LZ4, index payloads) are never fuzzed. The
/// layout is docs/log-format.md's; a file that does not follow it is left as it is
/// from where it stops following it.
enum ChecksumFixup {
    static func u32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    static func put(_ value: UInt32, into bytes: inout [UInt8], at: Int) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    /// The segment `bytes` with its header, block header and block checksums fixed,
    /// in a log with id `logID` (the hash chain starts from it).
    static func segment(_ input: [UInt8], logID: [UInt8]) -> [UInt8] {
        var bytes = input
        guard bytes.count >= 36 else { return bytes }
        put(CRC32C.checksum(bytes, range: 0..<32), into: &bytes, at: 32)
        let dictionaryEnd = 36 + u32(bytes, 28)
        guard dictionaryEnd + 4 <= bytes.count else { return bytes }
        put(CRC32C.checksum(bytes, range: 0..<dictionaryEnd), into: &bytes, at: dictionaryEnd)
        let dictionary = decompressed(bytes, 36..<dictionaryEnd, size: u32(bytes, 24), dictionary: [])
        var offset = dictionaryEnd + 4
        var link = HashChain.genesis(logID: logID)
        while offset + 56 <= bytes.count, bytes[offset] == 0xB1 {
            let stored = u32(bytes, offset + 8)
            let bodyEnd = offset + 56 + stored
            let flags = bytes[offset + 1]
            let raw: [UInt8]? = bodyEnd > bytes.count ? nil
                : flags & 1 == 0 ? Array(bytes[(offset + 56)..<bodyEnd])
                : dictionary.flatMap { decompressed(bytes, (offset + 56)..<bodyEnd, size: u32(bytes, offset + 4), dictionary: $0) }
            if let raw {
                // The raw body is known (stored as is, or decompressed): the link can be made.
                var sequence: UInt64 = 0
                for i in (0..<8).reversed() { sequence = sequence << 8 | UInt64(bytes[offset + 12 + i]) }
                link = HashChain.link(previous: link, firstSequence: sequence, rawBody: raw)
                bytes.replaceSubrange((offset + 20)..<(offset + 52), with: link)
            } else {
                link = Array(bytes[(offset + 20)..<(offset + 52)])
            }
            put(CRC32C.checksum(bytes, range: offset..<(offset + 52)), into: &bytes, at: offset + 52)
            guard bodyEnd + 4 <= bytes.count else { break }
            put(CRC32C.checksum(bytes, range: offset..<bodyEnd), into: &bytes, at: bodyEnd)
            offset = bodyEnd + 4
        }
        return bytes
    }

    /// `bytes[range]` decompressed to `size` bytes with `dictionary` (an empty range is
    /// an empty dictionary), or nil when it does not decompress (or is absurdly large).
    static func decompressed(_ bytes: [UInt8], _ range: Range<Int>, size: Int, dictionary: [UInt8]) -> [UInt8]? {
        if range.isEmpty { return size == 0 ? [] : nil }
        guard size <= 1 << 20, range.upperBound <= bytes.count else { return nil }
        var out = [UInt8](repeating: 0, count: size)
        do { try LZ4.decompress(bytes, range: range, into: &out, dictionary: dictionary) } catch { return nil }
        return out
    }

    /// The index (or fingerprints) file `bytes` with its checksum fixed.
    static func index(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        guard bytes.count >= 40 else { return bytes }
        let end = 36 + u32(bytes, 32)
        guard end + 4 == bytes.count else { return bytes }
        put(CRC32C.checksum(bytes, range: 0..<end), into: &bytes, at: end)
        return bytes
    }
}
