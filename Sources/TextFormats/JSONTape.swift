/// A strict JSON parser (RFC 8259) for one line of JSON Lines at a time, built for
/// import speed: it records every value of the line as a token on a flat "tape"
/// (kind, byte range, where its subtree ends) in arrays it reuses, so parsing
/// allocates nothing per line once warm, and strings are decoded only when asked for.
///
/// Written here rather than taken from a library: Foundation's `JSONDecoder` and
/// `JSONSerialization` ran at about 21 MB/s on this data; the fast parser Debian
/// ships (simdjson) is C++ and would bring a C++ shim and toolchain into the build,
/// and yyjson is not packaged for Debian 12. A tape over one line gives the import
/// its speed and, as important, the byte offset of every value for error messages.
/// Fuzzed (issue 5) and tested against hand-written cases.
public final class JSONTape {
    /// What a token is.
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One value on the tape.
    public struct Token {
        /// Its kind.
        public var kind: Kind
        /// For strings: whether it has escapes (so it must be decoded, not copied).
        public var escaped: Bool
        /// Byte range in the array given to ``JSONTape/parse(_:range:)``: for strings,
        /// inside the quotes; for objects and arrays, from bracket to bracket.
        public var start: Int
        public var end: Int
        /// Index of the token after this value and everything inside it.
        public var next: Int
        /// Members of an object or elements of an array.
        public var count: Int
    }

    /// A syntax error, with the byte offset in the line where it was found.
    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Offset in the line, from 0.
        public let offset: Int
        /// What was expected.
        public let message: String
        /// An error at `offset`.
        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }
        /// "column N: message".
        public var description: String { "column \(offset + 1): \(message)" }
    }

    /// The tokens of the last line parsed; token 0 is the root value. An object's
    /// members follow it as key, value, key, value…
    public private(set) var tokens: [Token] = []
    /// The bytes of the last line parsed.
    public private(set) var line: [UInt8] = []
    static let maxDepth = 64

    /// A parser with empty tape.
    public init() {}

    /// Parses `bytes[range]` as one JSON value with nothing but white space around it.
    public func parse(_ bytes: [UInt8], range: Range<Int>) throws(SyntaxError) {
        line = bytes
        // The parse runs on a struct with local state: no dynamic exclusivity
        // checks on class properties in the inner loops.
        var parser = TapeParser(line: bytes, position: range.lowerBound, end: range.upperBound, base: range.lowerBound, tokens: tokens)
        tokens = []
        defer { tokens = parser.tokens }
        parser.tokens.removeAll(keepingCapacity: true)
        try parser.parseDocument()
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: UInt32(c - 48)
        case 97...102: UInt32(c - 87)
        case 65...70: UInt32(c - 55)
        default: nil
        }
    }

    // MARK: reading values

    /// The raw bytes of token `i` (for strings, between the quotes, undecoded).
    public func rawBytes(_ i: Int) -> ArraySlice<UInt8> {
        line[tokens[i].start..<tokens[i].end]
    }

    /// The text of string token `i`, escapes decoded; nil if it is not valid UTF-8
    /// or has an unpaired surrogate.
    public func string(_ i: Int) -> String? {
        let t = tokens[i]
        let raw = rawBytes(i)
        if !t.escaped { return String(validating: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = raw.startIndex
        while j < raw.endIndex {
            let c = raw[j]
            if c != UInt8(ascii: "\\") { out.append(c); j += 1; continue }
            let e = raw[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(raw, j)
                j += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard j + 6 <= raw.endIndex, raw[j] == UInt8(ascii: "\\"), raw[j + 1] == UInt8(ascii: "u") else { return nil }
                    let low = Self.hex4(raw, j + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    return nil
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: out.append(e)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex4(_ raw: ArraySlice<UInt8>, _ j: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 4 | (hexValue(raw[j + $1]) ?? 0) }
    }

    /// A short description of token `i` for "got …" in error messages: a string
    /// (quoted, cut at 60 characters), a number as written, or the kind of value.
    public func describe(_ i: Int) -> String {
        switch tokens[i].kind {
        case .string:
            let s = string(i) ?? "?"
            return "\"" + (s.count > 60 ? String(s.prefix(60)) + "…" : s) + "\""
        case .object: return "an object"
        case .array: return "an array"
        case .number: return String(decoding: rawBytes(i), as: UTF8.self)
        case .true: return "true"
        case .false: return "false"
        case .null: return "null"
        }
    }

    /// Whether string token `i` equals `text` exactly (no decoding for unescaped).
    public func stringEquals(_ i: Int, _ text: StaticString) -> Bool {
        let t = tokens[i]
        guard t.kind == .string, !t.escaped, t.end - t.start == text.utf8CodeUnitCount else { return false }
        let base = t.start
        for k in 0..<text.utf8CodeUnitCount where line[base + k] != text.utf8Start[k] { return false }
        return true
    }
}

/// The parsing state of one line, kept in a struct so that the hot loops work on
/// local state.
struct TapeParser {
    typealias SyntaxError = JSONTape.SyntaxError
    typealias Kind = JSONTape.Kind
    let line: [UInt8]
    var position: Int
    let end: Int
    let base: Int
    var tokens: [JSONTape.Token]

    func fail(_ message: String) -> SyntaxError { SyntaxError(offset: position - base, message: message) }

    mutating func parseDocument() throws(SyntaxError) {
        skipSpace()
        try value(depth: 0)
        skipSpace()
        guard position == end else { throw fail("unexpected text after the JSON value") }
    }

    mutating func skipSpace() {
        while position < end {
            let c = line[position]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
            position += 1
        }
    }

    mutating func value(depth: Int) throws(SyntaxError) {
        guard position < end else { throw fail("expected a value, found the end of the line") }
        switch line[position] {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", Kind.true)
        case UInt8(ascii: "f"): try literal("false", Kind.false)
        case UInt8(ascii: "n"): try literal("null", Kind.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("expected a value")
        }
    }

    mutating func literal(_ word: StaticString, _ kind: Kind) throws(SyntaxError) {
        let n = word.utf8CodeUnitCount
        guard position + n <= end else { throw fail("expected \(word)") }
        for i in 0..<n where line[position + i] != word.utf8Start[i] { throw fail("expected \(word)") }
        tokens.append(JSONTape.Token(kind: kind, escaped: false, start: position, end: position + n, next: tokens.count + 1, count: 0))
        position += n
    }

    mutating func number() throws(SyntaxError) {
        let start = position
        if line[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end, isDigit(line[position]) else { throw fail("expected a digit") }
        if line[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < end && isDigit(line[position]) { position += 1 }
        }
        if position < end && line[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(line[position]) else { throw fail("expected a digit after the decimal point") }
            while position < end && isDigit(line[position]) { position += 1 }
        }
        if position < end && (line[position] | 0x20) == UInt8(ascii: "e") {
            position += 1
            if position < end && (line[position] == UInt8(ascii: "+") || line[position] == UInt8(ascii: "-")) { position += 1 }
            guard position < end, isDigit(line[position]) else { throw fail("expected a digit in the exponent") }
            while position < end && isDigit(line[position]) { position += 1 }
        }
        tokens.append(JSONTape.Token(kind: .number, escaped: false, start: start, end: position, next: tokens.count + 1, count: 0))
    }

    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    mutating func string() throws(SyntaxError) {
        position += 1
        let start = position
        var escaped = false
        while true {
            guard position < end else { throw fail("unterminated string") }
            let c = line[position]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("control character in a string (escape it)") }
            if c == UInt8(ascii: "\\") {
                escaped = true
                position += 1
                guard position < end else { throw fail("unterminated string") }
                switch line[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < end, (1...4).allSatisfy({ JSONTape.hexValue(line[position + $0]) != nil }) else {
                        throw fail("\\u must be followed by 4 hex digits")
                    }
                    position += 5
                default:
                    throw fail("invalid escape in a string")
                }
                continue
            }
            position += 1
        }
        tokens.append(JSONTape.Token(kind: .string, escaped: escaped, start: start, end: position, next: tokens.count + 1, count: 0))
        position += 1
    }

    mutating func object(depth: Int) throws(SyntaxError) {
        guard depth <= JSONTape.maxDepth else { throw fail("nested more than \(JSONTape.maxDepth) levels deep") }
        let me = tokens.count
        tokens.append(JSONTape.Token(kind: .object, escaped: false, start: position, end: position, next: 0, count: 0))
        position += 1
        skipSpace()
        var count = 0
        if position < end && line[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipSpace()
                guard position < end, line[position] == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
                try string()
                skipSpace()
                guard position < end, line[position] == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
                position += 1
                skipSpace()
                try value(depth: depth)
                count += 1
                skipSpace()
                guard position < end else { throw fail("unterminated object") }
                if line[position] == UInt8(ascii: ",") { position += 1; continue }
                if line[position] == UInt8(ascii: "}") { position += 1; break }
                throw fail("expected ',' or '}' in an object")
            }
        }
        tokens[me].end = position
        tokens[me].count = count
        tokens[me].next = tokens.count
    }

    mutating func array(depth: Int) throws(SyntaxError) {
        guard depth <= JSONTape.maxDepth else { throw fail("nested more than \(JSONTape.maxDepth) levels deep") }
        let me = tokens.count
        tokens.append(JSONTape.Token(kind: .array, escaped: false, start: position, end: position, next: 0, count: 0))
        position += 1
        skipSpace()
        var count = 0
        if position < end && line[position] == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipSpace()
                try value(depth: depth)
                count += 1
                skipSpace()
                guard position < end else { throw fail("unterminated array") }
                if line[position] == UInt8(ascii: ",") { position += 1; continue }
                if line[position] == UInt8(ascii: "]") { position += 1; break }
                throw fail("expected ',' or ']' in an array")
            }
        }
        tokens[me].end = position
        tokens[me].count = count
        tokens[me].next = tokens.count
    }

}
