import ByteCoding

/// Writes CSV as RFC 4180 says (comma-separated, CRLF line ends, fields with a comma,
/// quote, CR or LF in double quotes with quotes doubled) and neutralises cells a
/// spreadsheet would run as a formula: a cell that begins with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading `'`.
public struct CSVWriter {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the current row has a cell yet.
    private var inRow = false

    /// An empty writer.
    public init() {}

    /// The text so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends one row.
    public mutating func row(_ cells: [String]) {
        for c in cells { cell(c) }
        endRow()
    }

    /// Appends one cell to the current row (cells written one by one, without an
    /// array per row: an export writes millions).
    public mutating func cell(_ text: String) {
        separate()
        Self.append(text, to: &bytes)
    }

    /// Appends a number cell.
    public mutating func cell(_ n: UInt64) {
        separate()
        DecimalDigits.append(n, to: &bytes)
    }

    /// Appends a cell whose bytes `write` appends; they must need no quoting and
    /// cannot start a formula (digits, times).
    public mutating func cell(plain write: (inout [UInt8]) -> Void) {
        separate()
        write(&bytes)
    }

    /// Appends the cells `other` holds (a row begun and not ended there): cells
    /// shared by several rows are formatted once. Nothing, if `other` holds no cell.
    public mutating func cells(of other: CSVWriter) {
        guard other.inRow else { return }
        separate()
        bytes.append(contentsOf: other.bytes)
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        inRow = false
    }

    private mutating func separate() {
        if inRow { bytes.append(UInt8(ascii: ",")) }
        inRow = true
    }

    /// Empties the text (after it has been written out).
    public mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        inRow = false
    }

    /// One cell, neutralised and quoted as needed.
    public static func field(_ cell: String) -> String {
        var out: [UInt8] = []
        append(cell, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one cell, neutralised and quoted as needed.
    static func append(_ cell: String, to out: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { append(bytes: $0, to: &out) }
    }

    /// Appends one cell given as UTF-8 bytes.
    static func append(bytes u: some Collection<UInt8>, to out: inout [UInt8]) {
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
