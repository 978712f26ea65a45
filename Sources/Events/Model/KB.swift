import ByteCoding

/// A Knowledge Base article number: `KB` followed by digits. Compared by its digits,
/// so `kb5034129`, `KB5034129` and Azure's bare `5034129` are the same KB.
///
/// Kept as one integer (the number, and how many leading zeros it was written with,
/// so that printing gives back exactly the digits given), which makes KBs cheap to
/// compare, hash and store.
public struct KB: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `number << 4 | leading zeros`.
    public let packed: UInt64

    /// A KB from its packed form (see ``packed``).
    public init(packed: UInt64) { self.packed = packed }

    /// The KB with this number and no leading zeros.
    public init(_ number: UInt64) { packed = number << 4 }

    /// Parses `KB` + digits (any case) or digits alone; nil for anything else, for
    /// more than 18 digits, or for more than 15 leading zeros.
    public init?<C: Collection>(utf8 text: C) where C.Element == UInt8 {
        var i = text.startIndex
        if text.count >= 2, text[i] | 0x20 == 0x6B, text[text.index(after: i)] | 0x20 == 0x62 {
            i = text.index(i, offsetBy: 2)
        }
        guard i != text.endIndex else { return nil }
        var number: UInt64 = 0
        var digits = 0
        var zeros = 0
        var leading = true
        while i != text.endIndex {
            let c = text[i]
            guard c >= 48 && c <= 57 else { return nil }
            if leading && c == 48 && text.index(after: i) != text.endIndex { zeros += 1 } else { leading = false }
            number = number * 10 + UInt64(c - 48)
            digits += 1
            guard digits <= 18 else { return nil }
            i = text.index(after: i)
        }
        guard zeros <= 15 else { return nil }
        packed = number << 4 | UInt64(zeros)
    }

    /// Parses a string (see ``init(utf8:)``).
    public init?(_ text: String) { self.init(utf8: Array(text.utf8)) }

    /// The article number.
    public var number: UInt64 { packed >> 4 }

    /// `KB` followed by the digits as given.
    public var description: String {
        var out: [UInt8] = []
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``description``'s UTF-8 bytes (without making a string).
    public func write(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "K"))
        out.append(UInt8(ascii: "B"))
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: Int(packed & 0xF)))
        DecimalDigits.append(number, to: &out)
    }

    /// Orders by number.
    public static func < (a: KB, b: KB) -> Bool { a.packed < b.packed }
}
