/// Decimal digits written straight into a byte buffer, without making a string.
public enum DecimalDigits {
    /// Appends the decimal digits of `value` (no sign, no leading zeros; `0` for zero).
    @inline(__always)
    public static func append(_ value: UInt64, to out: inout [UInt8]) {
        let start = out.count
        var v = value
        repeat {
            out.append(UInt8(truncatingIfNeeded: 48 + v % 10))
            v /= 10
        } while v > 0
        out[start...].reverse()
    }
}
