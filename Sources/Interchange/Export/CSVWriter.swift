/// Writes CSV as RFC 4180 says (comma-separated, CRLF line ends, fields with a comma,
/// quote, CR or LF in double quotes with quotes doubled) and neutralises cells a
/// spreadsheet would run as a formula: a cell that begins with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading `'`.
public struct CSVWriter {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// The text so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends one row.
    public mutating func row(_ cells: [String]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.append(cell, to: &bytes)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Empties the text (after it has been written out).
    public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    /// One cell, neutralised and quoted as needed.
    public static func field(_ cell: String) -> String {
        var out: [UInt8] = []
        append(cell, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one cell, neutralised and quoted as needed.
    static func append(_ cell: String, to out: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { u in
            let first = u.first
            let neutralise = first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
            let quote = u.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
            if quote { out.append(UInt8(ascii: "\"")) }
            if neutralise { out.append(UInt8(ascii: "'")) }
            if quote {
                for b in u {
                    out.append(b)
                    if b == UInt8(ascii: "\"") { out.append(b) }
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: u)
            }
        }
    }
}
