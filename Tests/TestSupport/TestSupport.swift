import Foundation

/// What the test targets share: where the fixtures are, and how two JSON texts are
/// compared. One copy, so that a moved fixture directory or a change of comparison
/// is made once.
public enum TestSupport {
    /// The repository's `Fixtures` directory (found from this source file's path, so
    /// tests run from any working directory).
    public static let fixtures: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    /// The path of `relative` under `Fixtures` (`fixture("replay")`,
    /// `fixture("demo/sample-history.jsonl")`).
    public static func fixture(_ relative: String) -> String {
        fixtures + "/" + relative
    }

    /// A JSON value as text with sorted keys and no spaces, so that two values compare
    /// equal as text exactly when they are the same JSON (member order aside).
    public static func canonical(_ json: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// The canonical form (see ``canonical(_:)``) of a JSON text.
    public static func canonical(text: String) throws -> String {
        canonical(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed))
    }

    /// The rows of an RFC 4180 CSV text, as cells (quotes removed, `""` read as `"`);
    /// written here, not taken from the exporter, so that tests check its output
    /// against an independent reading.
    public static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(cell); cell = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(cell); cell = ""
                rows.append(row); row = []
            } else {
                cell.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }
}
