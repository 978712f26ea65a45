import ByteCoding
/// The varint form of a time difference in a block (see docs/log-format.md, "Times").
///
/// Event times are usually whole seconds or milliseconds, so a difference in
/// nanoseconds has many trailing decimal zeros. The code is
/// `zigzag(delta / 10^e) << 4 | e` with the largest `e` in 0...14 that divides
/// `delta`; `e = 15` marks a difference too large for that form, followed by the
/// plain zigzag varint.
enum TimeCoding {
    private static let powers: [Int64] = (0...14).map { e in (0..<e).reduce(Int64(1)) { p, _ in p * 10 } }

    /// 10^e.
    @inline(__always)
    static func power(_ e: Int) -> Int64 { powers[e] }

    static func write(_ delta: Int64, into w: inout ByteWriter) {
        var e = 0
        if delta != 0 {
            while e < 14 && delta % powers[e + 1] == 0 { e += 1 }
        }
        let q = delta / powers[e]
        let z = UInt64(bitPattern: (q << 1) ^ (q >> 63))
        if z <= UInt64.max >> 4 {
            w.varint(z << 4 | UInt64(e))
        } else {
            w.varint(15)
            w.zigzag(delta)
        }
    }
}
