import ByteCoding

/// How an index file writes one value's block numbers (see docs/log-format.md,
/// "Index file"): as `varint` differences (index layouts 0 to 2), or Rice-coded
/// (layout 3 on). A VM of a 100,000-VM fleet is in ~25 of a segment's ~5,000 blocks:
/// differences of ~200, two bytes each as varints, about ten bits Rice-coded.
///
/// Rice coding of a list: one byte `k` (0...32), then the differences (each block
/// number minus the one before it, the first minus 0, modulo 2^32), each as its
/// quotient `d >> k` in unary (that many 1 bits, then a 0 bit) followed by its `k`
/// low bits, least significant first; bits fill each byte from its lowest bit.
/// Written by hand: it is a dozen lines, and no package of this machine's list
/// codes integers this way.
enum BlockListCoding: Sendable {
    case varint
    case rice

    /// Appends `blocks` coded as `self` says.
    func append(_ blocks: [UInt32], to out: inout ByteWriter) {
        switch self {
        case .varint:
            var previous: UInt32 = 0
            for b in blocks {
                out.varint(UInt64(b &- previous))
                previous = b
            }
        case .rice:
            Self.appendRice(blocks, to: &out.bytes)
        }
    }

    /// Decodes `count` block numbers from `bytes[start..<end]`, appending them to
    /// `out`; stops early (leaving fewer) where the bytes end or are malformed.
    func decode(_ bytes: [UInt8], from start: Int, end: Int, count: Int, into out: inout [UInt32]) {
        switch self {
        case .varint:
            var r = ByteReader(bytes, offset: start, end: end)
            var block: UInt32 = 0
            for _ in 0..<count {
                guard let d = try? r.varint() else { return }
                block &+= UInt32(truncatingIfNeeded: d)
                out.append(block)
            }
        case .rice:
            Self.decodeRice(bytes, from: start, end: end, count: count, into: &out)
        }
    }

    /// The Rice parameter that codes `deltas` in the fewest bits, among those
    /// around the logarithm of their mean.
    private static func parameter(_ deltas: [UInt32]) -> Int {
        guard !deltas.isEmpty else { return 0 }
        let mean = deltas.reduce(UInt64(0)) { $0 + UInt64($1) } / UInt64(deltas.count)
        let guess = mean == 0 ? 0 : 63 - mean.leadingZeroBitCount
        var best = guess
        var bestBits = UInt64.max
        for k in max(0, guess - 1)...min(32, guess + 1) {
            let bits = deltas.reduce(UInt64(0)) { $0 + (UInt64($1) >> UInt64(k)) + 1 + UInt64(k) }
            if bits < bestBits { bestBits = bits; best = k }
        }
        return best
    }

    private static func appendRice(_ blocks: [UInt32], to out: inout [UInt8]) {
        var deltas: [UInt32] = []
        deltas.reserveCapacity(blocks.count)
        var previous: UInt32 = 0
        for b in blocks { deltas.append(b &- previous); previous = b }
        let k = parameter(deltas)
        out.append(UInt8(k))
        var buffer: UInt64 = 0
        var filled = 0
        func put(_ value: UInt64, bits: Int) {
            var value = value
            var bits = bits
            while bits > 0 {
                let take = min(bits, 64 - filled)
                let part = take == 64 ? value : value & ((1 << UInt64(take)) - 1)
                buffer |= part << UInt64(filled)
                filled += take
                bits -= take
                value = take == 64 ? 0 : value >> UInt64(take)
                while filled >= 8 {
                    out.append(UInt8(truncatingIfNeeded: buffer))
                    buffer >>= 8
                    filled -= 8
                }
            }
        }
        for d in deltas {
            var q = UInt64(d) >> UInt64(k)
            while q >= 32 { put((1 << 32) - 1, bits: 32); q -= 32 }
            put((1 << q) - 1, bits: Int(q) + 1)  // q ones, then a zero
            put(UInt64(d), bits: k)
        }
        if filled > 0 { out.append(UInt8(truncatingIfNeeded: buffer)) }
    }

    private static func decodeRice(_ bytes: [UInt8], from start: Int, end: Int, count: Int, into out: inout [UInt32]) {
        guard start < end, bytes[start] <= 32 else { return }
        let k = Int(bytes[start])
        var bit = (start + 1) * 8
        let endBit = end * 8
        @inline(__always) func next() -> UInt64? {
            guard bit < endBit else { return nil }
            let v = UInt64(bytes[bit >> 3] >> UInt8(bit & 7)) & 1
            bit += 1
            return v
        }
        var block: UInt32 = 0
        for _ in 0..<count {
            var q: UInt64 = 0
            while true {
                guard let b = next() else { return }
                if b == 0 { break }
                q += 1
            }
            var low: UInt64 = 0
            for i in 0..<k {
                guard let b = next() else { return }
                low |= b << UInt64(i)
            }
            // A difference must fit 32 bits (a larger quotient is damage).
            guard q >> UInt64(32 - k) == 0 else { return }
            block &+= UInt32(q << UInt64(k) | low)
            out.append(block)
        }
    }
}
