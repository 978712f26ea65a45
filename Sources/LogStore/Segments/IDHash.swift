/// The fingerprint of an event id kept in the id index: FNV-1a over its UTF-8 bytes.
/// 64 bits in memory; the index file keeps the top 32 (a membership filter whose
/// hits are checked against the record itself).
enum IDHash {
    static func hash64<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func hash32(_ h64: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h64 >> 32) }
}
