/// A moment in UTC with nanosecond precision: nanoseconds since
/// 1970-01-01T00:00:00Z. Parses RFC 3339 with any offset (and plain dates, meaning
/// that day's start in UTC) and prints RFC 3339 in UTC with `Z`.
///
/// Written here rather than with Foundation's `ISO8601DateFormatter`: that one keeps
/// only microseconds through `Date` (a `Double`), while Azure gives 7 fractional
/// digits and the contract keeps at least milliseconds exactly; and parsing is on the
/// import hot path, where a formatter object per call is too slow.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanoseconds: Int64

    /// The moment `nanoseconds` after the Unix epoch.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Orders by time.
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Why a text is not a timestamp.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text given.
        public let text: String
        /// What was wrong with it.
        public let reason: String
        /// An error for `text`, saying why.
        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }
        /// "not an RFC 3339 time: …".
        public var description: String { "\"\(text)\" is not an RFC 3339 time (\(reason)); expected e.g. 2025-02-19T02:13:45Z or 2025-02-19" }
    }

    /// Parses `2025-02-19T02:13:45.1234567+09:00`, `...Z`, or a plain date
    /// `2025-02-19` (that day's start, UTC). Lower-case `t`/`z` and a space instead of
    /// `T` are accepted, as RFC 3339 allows.
    public init(parsing text: String) throws(ParseError) {
        var utf8 = Array(text.utf8)
        if utf8.last == 0 { utf8.removeLast() }
        self = try Self.parse(utf8[...], original: text)
    }

    /// Parses the UTF-8 bytes of a timestamp (see ``init(parsing:)``).
    public static func parse(_ b: ArraySlice<UInt8>, original: @autoclosure () -> String) throws(ParseError) -> Timestamp {
        func fail(_ reason: String) -> ParseError { ParseError(text: original(), reason: reason) }
        let s = b.startIndex
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.endIndex else { return nil }
            var v = 0
            for i in at..<(at + n) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = digits(s, 4), s + 4 < b.endIndex, b[s + 4] == 45,
              let month = digits(s + 5, 2), s + 7 < b.endIndex, b[s + 7] == 45,
              let day = digits(s + 8, 2)
        else { throw fail("date must be YYYY-MM-DD") }
        guard (1...12).contains(month) else { throw fail("month \(month)") }
        guard day >= 1 && day <= daysIn(month: month, year: year) else { throw fail("day \(day)") }
        let days = daysFromCivil(year: year, month: month, day: day)
        var i = s + 10
        if i == b.endIndex {
            let (n, overflow) = Int64(days).multipliedReportingOverflow(by: 86_400_000_000_000)
            guard !overflow else { throw fail("out of range (years 1678 to 2261)") }
            return Timestamp(nanoseconds: n)
        }
        guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { throw fail("expected T after the date") }
        i += 1
        guard let hour = digits(i, 2), i + 2 < b.endIndex, b[i + 2] == 58,
              let minute = digits(i + 3, 2), i + 5 < b.endIndex, b[i + 5] == 58,
              let second = digits(i + 6, 2)
        else { throw fail("time must be HH:MM:SS") }
        guard hour < 24 else { throw fail("hour \(hour)") }
        guard minute < 60 else { throw fail("minute \(minute)") }
        guard second < 61 else { throw fail("second \(second)") }
        i += 8
        var nanos = 0
        if i < b.endIndex && b[i] == 46 {
            i += 1
            var n = 0
            while i < b.endIndex && b[i] >= 48 && b[i] <= 57 {
                if n < 9 { nanos = nanos * 10 + Int(b[i] - 48) }
                n += 1
                i += 1
            }
            guard n > 0 else { throw fail("no digits after the decimal point") }
            for _ in n..<max(n, 9) { nanos *= 10 }
        }
        guard i < b.endIndex else { throw fail("missing offset (Z or ±HH:MM)") }
        var offsetMinutes = 0
        switch b[i] {
        case 90, 122: i += 1
        case 43, 45:
            guard let oh = digits(i + 1, 2), i + 3 < b.endIndex, b[i + 3] == 58, let om = digits(i + 4, 2), oh < 24, om < 60 else {
                throw fail("offset must be ±HH:MM")
            }
            offsetMinutes = (oh * 60 + om) * (b[i] == 45 ? -1 : 1)
            i += 6
        default: throw fail("offset must be Z or ±HH:MM")
        }
        guard i == b.endIndex else { throw fail("unexpected text after the offset") }
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetMinutes * 60)
        let (n, overflow) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = n.addingReportingOverflow(Int64(nanos))
        guard !overflow, !overflow2 else { throw fail("out of range (years 1678 to 2261)") }
        return Timestamp(nanoseconds: total)
    }

    /// RFC 3339 in UTC with `Z`; fractional seconds only when not zero, as 3, 6 or 9
    /// digits (`2025-02-19T02:13:45Z`, `2025-02-19T02:13:45.123Z`).
    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(30)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``description``'s UTF-8 bytes to `out` (exports write millions).
    public func write(into out: inout [UInt8]) {
        var secs = nanoseconds / 1_000_000_000
        var frac = nanoseconds % 1_000_000_000
        if frac < 0 { frac += 1_000_000_000; secs -= 1 }
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = Self.civilFromDays(Int(days))
        func digits(_ v: Int, _ width: Int) {
            var v = v
            if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
            var buffer: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var n = 0
            withUnsafeMutableBytes(of: &buffer) { b in
                repeat {
                    b[n] = UInt8(48 + v % 10)
                    v /= 10
                    n += 1
                } while v > 0 && n < 10
                while n < width && n < 10 { b[n] = 48; n += 1 }
                for i in stride(from: n - 1, through: 0, by: -1) { out.append(b[i]) }
            }
        }
        digits(y, 4); out.append(UInt8(ascii: "-")); digits(m, 2); out.append(UInt8(ascii: "-")); digits(d, 2)
        out.append(UInt8(ascii: "T"))
        digits(Int(rem / 3600), 2); out.append(UInt8(ascii: ":")); digits(Int(rem % 3600 / 60), 2); out.append(UInt8(ascii: ":")); digits(Int(rem % 60), 2)
        if frac != 0 {
            out.append(UInt8(ascii: "."))
            var f = Int(frac)
            var width = 9
            while width > 3 && f % 1000 == 0 { f /= 1000; width -= 3 }
            digits(f, width)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date.
    public static func daysFromCivilPublic(year: Int, month: Int, day: Int) -> Int {
        daysFromCivil(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
