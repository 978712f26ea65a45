import Testing
import TextFormats

/// One list of columns gives an answer's JSON, CSV and table (issue 16, item 4).
@Suite struct ColumnsTests {
    struct Row {
        var name: String
        var note: String?
        var on: Bool
        var tags: [String]
        var seqs: [UInt64]
    }

    static var columns: Columns<Row> { Columns<Row>([
        Column("name") { .text($0.name) },
        Column("note", heading: "a note") { .text($0.note, absent: "none") },
        Column("on", in: [.json, .csv]) { .flag($0.on) },
        Column("tags") { .list($0.tags) },
        Column("seqs", header: "sequences") { .numbers($0.seqs) },
        Column("extra", in: .json) { $0.on ? .integer(7) : .absent },
    ]) }

    static let rows = [
        Row(name: "a", note: "x,y", on: true, tags: ["t1", "t2"], seqs: [1, 2]),
        Row(name: "b", note: nil, on: false, tags: [], seqs: []),
    ]

    @Test func jsonHasEveryJSONColumnInOrderAndLeavesOutAbsentMembers() {
        #expect(Self.columns.json(Self.rows) == #"[{"name":"a","note":"x,y","on":true,"tags":["t1","t2"],"seqs":[1,2],"extra":7},"#
            + #"{"name":"b","note":null,"on":false,"tags":[],"seqs":[]}]"#)
    }

    @Test func csvUsesHeadersQuotesCellsAndWritesNothingForAbsentValues() {
        #expect(Self.columns.rows(Self.rows, csv: true) == "name,note,on,tags,sequences\r\na,\"x,y\",yes,t1;t2,1 2\r\nb,,no,,\r\n")
    }

    @Test func tableUsesHeadingsAndShowsEmptyCellsAsADash() {
        let table = Self.columns.rows(Self.rows, csv: false)
        let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines == ["name a note tags sequences", "---- ------ ----- ---------", "a x,y t1 t2 1 2", "b none - -"])
    }
}
