/// Builds JSON text by appending to a byte buffer: strings escaped per RFC 8259,
/// members written in the order given. Used for every JSON patchlog prints.
public struct JSONText {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    /// An empty text.
    public init() {}

    /// Ends a line (between top-level values of JSON Lines).
    public mutating func newline() {
        bytes.append(0x0A)
        needsComma = [false]
    }

    /// Empties the text (after it has been written out).
    public mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = [false]
    }

    /// The text as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    /// `{`.
    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    /// `}`.
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast() }
    /// `[`.
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    /// `]`.
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast() }

    /// `"name":` before a member's value.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    /// A string value.
    public mutating func string(_ s: String) { separate(); appendQuoted(s) }
    /// A string value, or `null`.
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    /// `true` or `false`.
    public mutating func bool(_ b: Bool) { separate(); bytes.append(contentsOf: Array((b ? "true" : "false").utf8)) }
    /// `null`.
    public mutating func null() { separate(); bytes.append(contentsOf: Array("null".utf8)) }
    /// An integer.
    public mutating func number(_ n: some BinaryInteger) { separate(); bytes.append(contentsOf: Array(String(n).utf8)) }
    /// A number with a fraction.
    public mutating func number(_ d: Double) { separate(); bytes.append(contentsOf: Array((d.isFinite ? "\(d)" : "null").utf8)) }
    /// Already-valid JSON text, inserted as a value.
    public mutating func raw(_ json: String) { separate(); bytes.append(contentsOf: Array(json.utf8)) }

    /// `"name": "value"` (nil: `null`).
    public mutating func member(_ name: String, _ value: String?) { key(name); string(value) }
    /// `"name": true|false`.
    public mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }
    /// `"name": [ "a", "b" ]`.
    public mutating func member(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for s in strings { string(s) }
        endArray()
    }

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
