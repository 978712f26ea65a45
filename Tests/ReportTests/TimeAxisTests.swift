import Events
@testable import Report
import Testing

/// The report's time axis names months without labels running into each other.
@Suite struct TimeAxisTests {
    /// The labelled months of an axis from `from` to `to`, `width` units wide.
    static func labels(_ from: String, _ to: String, width: Double) throws -> [(x: Double, label: String)] {
        let axis = TimeAxis(start: try Timestamp(parsing: from), end: try Timestamp(parsing: to), x0: 100, width: width)
        return axis.monthStarts.filter { !$0.1.isEmpty }.map { (axis.x($0.0), $0.1) }
    }

    @Test(arguments: [("2025-01-01", "2025-04-01", 900.0), ("2025-01-01", "2026-01-01", 900.0), ("2024-01-01", "2026-07-01", 900.0),
                      ("2019-01-01", "2026-01-01", 900.0), ("2025-01-01", "2026-01-01", 300.0), ("1990-01-01", "2026-01-01", 600.0)])
    func monthLabelsDoNotOverlap(_ from: String, _ to: String, _ width: Double) throws {
        let shown = try Self.labels(from, to, width: width)
        #expect(!shown.isEmpty)
        for (a, b) in zip(shown, shown.dropFirst()) {
            #expect(b.x - a.x >= TimeAxis.labelWidth(a.label), "\(a.label) at \(a.x) runs into \(b.label) at \(b.x)")
        }
        #expect(shown.contains { $0.label.hasPrefix("Jan ") })
    }

    @Test func aWideAxisNamesEveryMonth() throws {
        let shown = try Self.labels("2025-01-01", "2025-12-31", width: 1200)
        #expect(shown.map(\.label) == ["Jan 2025", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    }
}
