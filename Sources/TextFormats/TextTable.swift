/// A plain-text table for people: a header row, then rows, columns padded to their
/// widest cell.
public struct TextTable {
    /// Column titles.
    public var header: [String]
    /// Rows of cells.
    public var rows: [[String]] = []

    /// A table with these columns.
    public init(_ header: [String]) { self.header = header }

    /// Appends a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// `s` made safe to print on a terminal: control characters (C0, DEL, C1: an
    /// escape sequence in a VM id could rewrite the screen, a carriage return hide what
    /// came before it) and the bidirectional overrides (which reorder what is shown)
    /// are written visibly as Swift escapes, `\u{1B}`; so is a backslash that starts
    /// one of those, `\\u{`, so that the escaped form is not ambiguous. Everything
    /// else is unchanged. Table output uses it for every cell; JSON and CSV keep
    /// exact values.
    public static func visible(_ s: String) -> String {
        func unsafe(_ v: Unicode.Scalar) -> Bool {
            v.value < 0x20 || (0x7F...0x9F).contains(v.value) || (0x202A...0x202E).contains(v.value)
                || (0x2066...0x2069).contains(v.value)
        }
        guard s.unicodeScalars.contains(where: { unsafe($0) || $0 == "\\" }) else { return s }
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        for (i, v) in scalars.enumerated() {
            if unsafe(v) {
                out.append(contentsOf: "\\u{\(String(v.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else if v == "\\", i + 2 < scalars.count, scalars[i + 1] == "u", scalars[i + 2] == "{" {
                out.append(contentsOf: "\\\\".unicodeScalars)
            } else {
                out.append(v)
            }
        }
        return String(out)
    }

    /// The table as text, ending with a newline. Cells are shown through
    /// ``visible(_:)``.
    public var text: String {
        let header = self.header.map(Self.visible)
        let rows = self.rows.map { $0.map(Self.visible) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                out += last ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            return out + "\n"
        }
        return line(header) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
    }
}
