/// One value of a row, with the form it takes in each output: a JSON value, a CSV
/// cell and a table cell. The constructors say how a kind of value prints, once, for
/// every answer (an absent value is JSON `null`, an empty CSV cell and `-` in a table;
/// a flag is `true`/`false` in JSON and `yes`/`no` in CSV and tables).
public struct Cell {
    /// How the value is written in JSON; `.omitted` leaves the member out.
    public enum JSONForm {
        case string(String?)
        case bool(Bool)
        case integer(Int64)
        case double(Double)
        case strings([String])
        case integers([UInt64])
        /// A value written by the closure (an object, say).
        case custom((inout JSONText) -> Void)
        case omitted
    }

    /// The JSON form.
    public var json: JSONForm
    /// The CSV cell.
    public var csv: String
    /// The table cell (before `TextTable.visible`); empty shows as `-`.
    public var table: String

    /// A cell of three given forms.
    public init(json: JSONForm, csv: String, table: String) {
        self.json = json
        self.csv = csv
        self.table = table
    }

    /// Text, or nothing: `null`, an empty cell, `absent` in a table (default `-`).
    public static func text(_ s: String?, absent: String = "") -> Cell {
        Cell(json: .string(s), csv: s ?? "", table: s ?? absent)
    }

    /// A flag: `true`/`false`, `yes`/`no`.
    public static func flag(_ b: Bool) -> Cell {
        Cell(json: .bool(b), csv: b ? "yes" : "no", table: b ? "yes" : "no")
    }

    /// No value: a JSON member left out, an empty cell.
    public static var absent: Cell { Cell(json: .omitted, csv: "", table: "") }

    /// A whole number.
    public static func integer(_ n: some BinaryInteger) -> Cell {
        Cell(json: .integer(Int64(n)), csv: String(n), table: String(n))
    }

    /// A list of strings: a JSON array, `;`-separated in CSV, space-separated in a table.
    public static func list(_ items: [String]) -> Cell {
        Cell(json: .strings(items), csv: items.joined(separator: ";"), table: items.joined(separator: " "))
    }

    /// A list of numbers: a JSON array, space-separated in CSV and tables.
    public static func numbers(_ items: [UInt64]) -> Cell {
        let text = items.map(String.init).joined(separator: " ")
        return Cell(json: .integers(items), csv: text, table: text)
    }

    fileprivate func write(_ name: String, to j: inout JSONText) {
        switch json {
        case .omitted: return
        case let .string(s): j.member(name, s)
        case let .bool(b): j.member(name, b)
        case let .integer(n): j.key(name); j.number(n)
        case let .double(d): j.key(name); j.number(d)
        case let .strings(items): j.member(name, strings: items)
        case let .integers(items):
            j.key(name)
            j.beginArray()
            for n in items { j.number(n) }
            j.endArray()
        case let .custom(write): j.key(name); write(&j)
        }
    }
}

/// Where a column appears: every answer has its JSON members and its CSV/table
/// columns, mostly the same ones.
public struct ColumnPlaces: OptionSet, Sendable {
    public let rawValue: UInt8
    /// A set of places from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// A JSON member.
    public static let json = ColumnPlaces(rawValue: 1)
    /// A CSV column.
    public static let csv = ColumnPlaces(rawValue: 2)
    /// A table column.
    public static let table = ColumnPlaces(rawValue: 4)
    /// JSON, CSV and table.
    public static let all: ColumnPlaces = [.json, .csv, .table]
}

/// One column of an answer's rows: its name (the JSON member, and mostly the CSV
/// header), its heading in a table, where it appears, and its value in a row. An
/// answer lists its columns once; ``Columns`` writes the rows as JSON, CSV or a table
/// from that list.
public struct Column<Row> {
    /// JSON member.
    public var name: String
    /// CSV header.
    public var header: String
    /// Table heading.
    public var heading: String
    /// Where the column appears.
    public var places: ColumnPlaces
    /// The value in a row.
    public var cell: (Row) -> Cell

    /// A column; its CSV header and table heading default to its name.
    public init(_ name: String, header: String? = nil, heading: String? = nil, in places: ColumnPlaces = .all,
                _ cell: @escaping (Row) -> Cell) {
        self.name = name
        self.header = header ?? name
        self.heading = heading ?? header ?? name
        self.places = places
        self.cell = cell
    }
}

/// The columns of an answer, and its rows written from them.
public struct Columns<Row> {
    /// The columns, in order.
    public var columns: [Column<Row>]

    /// An answer's columns.
    public init(_ columns: [Column<Row>]) { self.columns = columns }

    /// The rows as a JSON array of objects, members in column order.
    public func json(_ rows: some Sequence<Row>) -> String {
        var j = JSONText()
        j.beginArray()
        for row in rows { object(row, into: &j) }
        j.endArray()
        return j.string
    }

    /// One row as a JSON object appended to `j`.
    public func object(_ row: Row, into j: inout JSONText) {
        j.beginObject()
        for c in columns where c.places.contains(.json) { c.cell(row).write(c.name, to: &j) }
        j.endObject()
    }

    /// The rows as CSV (`csv: true`, under the names) or a table for people (under
    /// the headings, empty cells as `-`).
    public func rows(_ rows: some Sequence<Row>, csv: Bool) -> String {
        let place: ColumnPlaces = csv ? .csv : .table
        let shown = columns.filter { $0.places.contains(place) }
        if csv {
            var w = CSVWriter()
            w.row(shown.map(\.header))
            for row in rows { w.row(shown.map { $0.cell(row).csv }) }
            return w.text
        }
        var t = TextTable(shown.map(\.heading))
        for row in rows { t.add(shown.map { let s = $0.cell(row).table; return s.isEmpty ? "-" : s }) }
        return t.text
    }
}
