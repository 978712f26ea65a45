import ByteCoding

/// The id column of a block with the numeric-ids flag (docs/log-format.md, "Ids"):
/// an id that is the previous id's prefix followed by another number of the same
/// form — `evt-00000ab016` after `evt-00000ab0c6`, `r-10` after `r-9` — is stored as
/// the difference of the two numbers (one or two bytes, where front coding stored the
/// four to ten digits that differ); any other id is front-coded as before.
///
/// Each id is a varint `tag`: `tag & 3 == 0` is a front-coded id (`tag >> 2` bytes
/// shared with the previous id, then `varint rest` and `rest` bytes); `tag & 3` =
/// 1, 2, 3 is a number in radix ``Radix`` (decimal, lower-case hex, upper-case hex),
/// `tag >> 2` the zigzag of its difference from the previous id's number.
enum IDCoding {
    /// How the digits of an id's number are written.
    enum Radix: Int, CaseIterable {
        case decimal = 1, lowerHex = 2, upperHex = 3

        var base: UInt64 { self == .decimal ? 10 : 16 }
        /// The most digits taken from the end of an id: the most whose value always
        /// fits 64 bits.
        var maxDigits: Int { self == .decimal ? 19 : 16 }
        /// The most digits a number of this radix can have when written out.
        var maxWritten: Int { self == .decimal ? 20 : 16 }

        @inline(__always)
        func digit(_ c: UInt8) -> UInt64? {
            switch c {
            case 48...57: return UInt64(c - 48)
            case 97...102 where self == .lowerHex: return UInt64(c - 87)
            case 65...70 where self == .upperHex: return UInt64(c - 55)
            default: return nil
            }
        }

        @inline(__always)
        func character(_ d: UInt64) -> UInt8 {
            d < 10 ? UInt8(48 + d) : UInt8(d - 10) + (self == .upperHex ? 65 : 97)
        }
    }

    /// An id read as a prefix and a number: the number is the run of digits at the
    /// end of the id (at most ``Radix/maxDigits``), and is written with `width`
    /// digits (zero-padded) if its digits began with a 0 and there were more than one
    /// of them, else with as many digits as it needs (`width` 0).
    struct NumberForm {
        var prefixLength: Int
        var width: Int
        var value: UInt64
    }

    static func form(of id: UnsafeBufferPointer<UInt8>, radix: Radix) -> NumberForm? {
        var start = id.count
        var value: UInt64 = 0
        var scale: UInt64 = 1
        while start > 0 && id.count - start < radix.maxDigits, let d = radix.digit(id[start - 1]) {
            value &+= d &* scale
            scale &*= radix.base
            start -= 1
        }
        let digits = id.count - start
        guard digits > 0 else { return nil }
        let width = digits > 1 && id[start] == 48 ? digits : 0
        return NumberForm(prefixLength: start, width: width, value: value)
    }

    /// The number of digits of `value` in `radix`.
    @inline(__always)
    static func digitCount(_ value: UInt64, radix: Radix) -> Int {
        var n = 1
        var v = value
        if radix == .decimal {
            while v >= 10 { v /= 10; n += 1 }
        } else {
            while v >= 16 { v >>= 4; n += 1 }
        }
        return n
    }

    /// Writes the digits of `value` in `radix` so that the last one is at `end - 1`,
    /// and `0`s before them down to `start`.
    @inline(__always)
    static func fill(_ value: UInt64, radix: Radix, _ b: UnsafeMutableBufferPointer<UInt8>, from start: Int, to end: Int) {
        var i = end - 1
        var v = value
        if radix == .decimal {
            repeat { b[i] = UInt8(truncatingIfNeeded: 48 + v % 10); v /= 10; i -= 1 } while v > 0
        } else {
            let letters: UInt8 = radix == .upperHex ? 55 : 87
            repeat {
                let d = UInt8(truncatingIfNeeded: v & 15)
                b[i] = d < 10 ? 48 + d : letters + d
                v >>= 4
                i -= 1
            } while v > 0
        }
        while i >= start { b[i] = 48; i -= 1 }
    }

    /// Appends to `bytes` a copy of `count` of its bytes from `from` on (the bytes a
    /// front-coded id shares with the one before it).
    @inline(__always)
    static func appendCopy(of count: Int, from: Int, to bytes: inout [UInt8]) {
        guard count > 0 else { return }
        let start = bytes.count
        bytes.append(contentsOf: zeros[0..<count])
        bytes.withUnsafeMutableBufferPointer { b in (b.baseAddress! + start).update(from: b.baseAddress! + from, count: count) }
    }

    /// Room to grow an array by before filling it in place.
    private static let zeros = [UInt8](repeating: 0, count: LogFormat.maxKeyBytes + 32)

    /// Appends to `bytes` the id a numeric `tag` codes after the id that starts at
    /// `previousStart` and runs to the end of `bytes`; false if `tag` codes none (the
    /// previous id has no number of that radix, or the id would be too long).
    static func appendNumeric(tag: UInt64, previousStart: Int, to bytes: inout [UInt8]) -> Bool {
        guard let radix = Radix(rawValue: Int(tag & 3)) else { return false }
        let found: NumberForm? = bytes.withUnsafeBufferPointer { form(of: UnsafeBufferPointer(rebasing: $0[previousStart...]), radix: radix) }
        guard let f = found, let (value, digits) = number(after: f, tag: tag, radix: radix) else { return false }
        let total = f.prefixLength + digits
        let start = bytes.count
        bytes.append(contentsOf: zeros[0..<total])
        bytes.withUnsafeMutableBufferPointer { b in
            if f.prefixLength > 0 {
                (b.baseAddress! + start).update(from: b.baseAddress! + previousStart, count: f.prefixLength)
            }
            fill(value, radix: radix, b, from: start + f.prefixLength, to: start + total)
        }
        return true
    }

    /// The number a numeric `tag` codes after an id of form `f`, and how many digits
    /// it is written with; nil if the id would be longer than ``LogFormat/maxKeyBytes``.
    private static func number(after f: NumberForm, tag: UInt64, radix: Radix) -> (value: UInt64, digits: Int)? {
        let z = tag >> 2
        let value = f.value &+ UInt64(bitPattern: Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
        let digits = max(digitCount(value, radix: radix), f.width)
        guard f.prefixLength + digits <= LogFormat.maxKeyBytes else { return nil }
        return (value, digits)
    }

    /// One id column walked id by id, keeping only the latest id, for a read that keeps
    /// a few of a block's records (one stream's): each id is coded against the one
    /// before it, so every id must be walked, but a run of numbers is followed as
    /// numbers, and an id is written out only when it is asked for or the next one
    /// shares its bytes. Accepts and refuses exactly what
    /// ``appendNumeric(tag:previousStart:to:)`` and front coding accept and refuse.
    struct Walk {
        /// The id; only its prefix while ``pending`` holds its number.
        private var bytes: [UInt8] = []
        /// The id as its prefix (``bytes``) and a number not written out yet.
        private var pending: (radix: Radix, value: UInt64, digits: Int)?
        /// The id as a prefix and a number of a radix: the form the next numeric id of
        /// that radix is coded against, when it is known without reading the digits.
        private var number: (radix: Radix, prefixLength: Int, value: UInt64, digits: Int)?

        /// Empties it, keeping its buffer, for the next block.
        mutating func reset() {
            bytes.removeAll(keepingCapacity: true)
            pending = nil
            number = nil
        }

        /// The id's length.
        private var length: Int { bytes.count + (pending?.digits ?? 0) }

        /// Writes out the number of the id, if it is pending.
        private mutating func write() {
            guard let p = pending else { return }
            pending = nil
            let start = bytes.count
            bytes.append(contentsOf: IDCoding.zeros[0..<p.digits])
            bytes.withUnsafeMutableBufferPointer { IDCoding.fill(p.value, radix: p.radix, $0, from: start, to: start + p.digits) }
        }

        /// The id, written out.
        mutating func id() -> [UInt8] {
            write()
            return bytes
        }

        /// Takes a front-coded id: `shared` bytes of the one before (none for the
        /// first), then `rest`. With `bounded`, the whole id must fit
        /// ``LogFormat/maxKeyBytes`` (the numeric-ids column's rule). False if malformed.
        mutating func frontCoded(shared: UInt64, rest: UnsafeBufferPointer<UInt8>, first: Bool, bounded: Bool) -> Bool {
            guard shared <= UInt64(first ? 0 : length) else { return false }
            if bounded { guard Int(shared) + rest.count <= LogFormat.maxKeyBytes else { return false } }
            write()
            bytes.removeLast(bytes.count - Int(shared))
            bytes.append(contentsOf: rest)
            number = nil
            return true
        }

        /// Takes a numeric id (`tag & 3` != 0) coded against the one before. False if
        /// malformed.
        mutating func numeric(tag: UInt64) -> Bool {
            guard let radix = Radix(rawValue: Int(tag & 3)) else { return false }
            let f: NumberForm
            if let n = number, n.radix == radix, formIsKnown(n) {
                f = NumberForm(prefixLength: n.prefixLength, width: n.digits > IDCoding.digitCount(n.value, radix: radix) ? n.digits : 0, value: n.value)
            } else {
                write()
                guard let g = bytes.withUnsafeBufferPointer({ IDCoding.form(of: $0, radix: radix) }) else { return false }
                f = g
            }
            guard let (value, digits) = IDCoding.number(after: f, tag: tag, radix: radix) else { return false }
            // The id before is no longer needed (its pending digits are dropped): keep
            // its prefix, the new id's.
            bytes.removeLast(bytes.count - f.prefixLength)
            pending = (radix, value, digits)
            number = (radix, f.prefixLength, value, digits)
            return true
        }

        /// Whether ``form(of:radix:)`` of the id `n` describes (its prefix, then its
        /// digits) would give exactly that prefix and number: its digits are all the
        /// form reads, and the prefix does not end in a digit the form would read on.
        private func formIsKnown(_ n: (radix: Radix, prefixLength: Int, value: UInt64, digits: Int)) -> Bool {
            guard n.digits <= n.radix.maxDigits else { return false }
            if n.digits == n.radix.maxDigits || n.prefixLength == 0 { return true }
            return n.radix.digit(bytes[n.prefixLength - 1]) == nil
        }
    }

    /// The number `rest` holds if it is exactly how `form` writes some number: digits
    /// of `radix` only, as many as `form`'s width asks (or more, without a leading 0).
    static func number(_ rest: UnsafeBufferPointer<UInt8>, like form: NumberForm, radix: Radix) -> UInt64? {
        let minimum = max(form.width, 1)
        guard rest.count >= minimum, rest.count <= radix.maxWritten else { return nil }
        if rest.count > minimum && rest[0] == 48 { return nil }
        var value: UInt64 = 0
        for c in rest {
            guard let d = radix.digit(c) else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix.base)
            let (sum, o2) = shifted.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// Writes the ids as the numeric-ids column.
    static func encode(_ ids: [[UInt8]], into w: inout ByteWriter) {
        var previous: [UInt8] = []
        for id in ids {
            if let (radix, zigzag) = numericCode(id, after: previous) {
                w.varint(zigzag << 2 | UInt64(radix.rawValue))
            } else {
                var shared = 0
                let limit = min(previous.count, id.count)
                while shared < limit && previous[shared] == id[shared] { shared += 1 }
                w.varint(UInt64(shared) << 2)
                w.varint(id.count - shared)
                w.raw(id[shared...])
            }
            previous = id
        }
    }

    /// How `id` follows `previous` as a number, if it does: the radix with the
    /// smallest difference (decimal first on a tie).
    static func numericCode(_ id: [UInt8], after previous: [UInt8]) -> (Radix, UInt64)? {
        guard !previous.isEmpty else { return nil }
        return previous.withUnsafeBufferPointer { p in
            id.withUnsafeBufferPointer { i in
                var best: (Radix, UInt64)?
                for radix in Radix.allCases {
                    guard let f = form(of: p, radix: radix), i.count > f.prefixLength,
                          memcmp(p.baseAddress!, i.baseAddress!, f.prefixLength) == 0,
                          let v = number(UnsafeBufferPointer(rebasing: i[f.prefixLength...]), like: f, radix: radix)
                    else { continue }
                    let d = Int64(bitPattern: v &- f.value)
                    let z = UInt64(bitPattern: (d << 1) ^ (d >> 63))
                    guard z <= UInt64.max >> 2 else { continue }
                    if best == nil || z < best!.1 { best = (radix, z) }
                }
                return best
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
