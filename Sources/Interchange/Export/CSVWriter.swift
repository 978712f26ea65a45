/// Writes CSV as RFC 4180 says (comma-separated, CRLF line ends, fields with a comma,
/// quote, CR or LF in double quotes with quotes doubled) and neutralises cells a
/// spreadsheet would run as a formula: a cell that begins with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading `'`.
public struct CSVWriter {
    /// The text so far.
    public private(set) var text = ""

    /// An empty writer.
    public init() {}

    /// Appends one row.
    public mutating func row(_ cells: [String]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { text.append(",") }
            text.append(Self.field(cell))
        }
        text.append("\r\n")
    }

    /// Empties the text (after it has been written out).
    public mutating func clear() { text.removeAll(keepingCapacity: true) }

    /// One cell, neutralised and quoted as needed.
    public static func field(_ cell: String) -> String {
        var value = cell
        if let first = value.utf8.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D {
            value = "'" + value
        }
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
