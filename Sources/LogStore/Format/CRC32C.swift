import CRC32CHardware

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected), the checksum of every
/// block, segment header, index and identity file in a log.
///
/// Written here rather than taken from a library: no package available to this
/// project provides CRC-32C (swift-crypto has none, Debian's bookworm has no
/// `libcrc32c-dev`), and the function is small and fully specified. Where the
/// processor has a CRC-32C instruction (SSE 4.2, ARMv8 CRC) it is used, through the
/// small C file of `Sources/CRC32CHardware` (about ten times the table's speed: a
/// point query at 100,000 VMs checks tens of megabytes of index); elsewhere the
/// table-driven code, eight bytes per step ("slicing-by-8"). Both are checked
/// against the RFC 3720 test vectors and each other in the tests.
public enum CRC32C {
    /// Whether the processor's instruction is used.
    public static let usesHardware = patchlog_crc32c_hardware_available() != 0

    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0x82F6_3B78 & (0 &- (crc & 1))) }
            tables[0][i] = crc
        }
        for i in 0..<256 {
            for t in 1..<8 {
                let previous = tables[t - 1][i]
                tables[t][i] = (previous >> 8) ^ tables[0][Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes[range]`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: [UInt8], range: Range<Int>? = nil, continuing crc: UInt32 = 0) -> UInt32 {
        let range = range ?? 0..<bytes.count
        if usesHardware {
            return bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress, !range.isEmpty else { return crc }
                return patchlog_crc32c_hardware(crc, base + range.lowerBound, range.count)
            }
        }
        return software(bytes, range: range, continuing: crc)
    }

    /// The table-driven checksum (what machines without the instruction use; the
    /// tests compare the two).
    public static func software(_ bytes: [UInt8], range: Range<Int>? = nil, continuing crc: UInt32 = 0) -> UInt32 {
        let range = range ?? 0..<bytes.count
        return bytes.withUnsafeBufferPointer { buffer in
            tables.withUnsafeBufferPointer { tablesBuffer in
                update(crc, UnsafeBufferPointer(rebasing: buffer[range]), tablesBuffer)
            }
        }
    }

    private static func update(_ crc: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<[UInt32]>) -> UInt32 {
        var c = ~crc
        var i = 0
        let n = bytes.count
        t[0].withUnsafeBufferPointer { t0 in
        t[1].withUnsafeBufferPointer { t1 in
        t[2].withUnsafeBufferPointer { t2 in
        t[3].withUnsafeBufferPointer { t3 in
        t[4].withUnsafeBufferPointer { t4 in
        t[5].withUnsafeBufferPointer { t5 in
        t[6].withUnsafeBufferPointer { t6 in
        t[7].withUnsafeBufferPointer { t7 in
            while i + 8 <= n {
                let lo = c ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
                c = t7[Int(lo & 0xFF)] ^ t6[Int((lo >> 8) & 0xFF)] ^ t5[Int((lo >> 16) & 0xFF)] ^ t4[Int(lo >> 24)]
                    ^ t3[Int(bytes[i + 4])] ^ t2[Int(bytes[i + 5])] ^ t1[Int(bytes[i + 6])] ^ t0[Int(bytes[i + 7])]
                i += 8
            }
            while i < n {
                c = (c >> 8) ^ t0[Int((c ^ UInt32(bytes[i])) & 0xFF)]
                i += 1
            }
        }}}}}}}}
        return ~c
    }
}
