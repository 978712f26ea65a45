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

    /// The table as text, ending with a newline.
    public var text: String {
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
