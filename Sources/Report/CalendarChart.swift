import Events
import Replay

/// The release calendar as an SVG, like the seeds' sample schedule: a row per year,
/// a cell per month, each cell naming what its Patch Tuesday released (planned
/// baseline, unplanned baseline, hotpatch). Words are written in the cells, so
/// the chart reads without colour (printed in black and white).
enum CalendarChart {
    enum Kind: Int { case none, hotpatch, unplanned, planned }

    /// The chart of `releases` published in the months from `start` to `end`.
    static func svg(_ releases: [ReleaseCatalog.Entry], from start: Timestamp, to end: Timestamp) -> String {
        let (y0, _) = TimeAxis.yearMonth(start)
        let (y1, _) = TimeAxis.yearMonth(end)
        var months: [String: (Kind, [String])] = [:]
        for e in releases where e.publishedAt >= TimeAxis.monthStart(y0, 1) && e.publishedAt <= end {
            let (y, m) = TimeAxis.yearMonth(e.publishedAt)
            let kind: Kind
            switch e.release.kind {
            case .baseline: kind = e.release.planned == false ? .unplanned : .planned
            case .hotpatch: kind = .hotpatch
            case .other: continue
            }
            let key = TimeAxis.label(y, m)
            var cell = months[key] ?? (.none, [])
            if kind.rawValue > cell.0.rawValue { cell.0 = kind }
            cell.1.append(e.release.kb.description)
            months[key] = cell
        }
        let cellW = 74.0, cellH = 62.0, left = 52.0, top = 8.0
        let years = Array(y0...max(y0, y1))
        let width = left + cellW * 12 + 8, height = top + cellH * Double(years.count) + 40
        var counts = [Kind: Int]()
        for (_, cell) in months { counts[cell.0, default: 0] += 1 }
        let summary = "Release calendar \(y0)\(y1 > y0 ? "–\(y1)" : ""): \(counts[.planned] ?? 0) months with a planned baseline, \(counts[.unplanned] ?? 0) with an unplanned baseline, \(counts[.hotpatch] ?? 0) with a hotpatch."
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"cal-title cal-desc\" focusable=\"false\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\">"
        s += "<title id=\"cal-title\">Release calendar</title><desc id=\"cal-desc\">\(HTML.escape(summary))</desc>"
        for (row, year) in years.enumerated() {
            let y = top + Double(row) * cellH
            s += "<text x=\"4\" y=\"\(svgNumber(y + cellH / 2 + 4))\" class=\"year\">\(year)</text>"
            for m in 1...12 {
                let x = left + Double(m - 1) * cellW
                let key = TimeAxis.label(year, m)
                let (kind, kbs) = months[key] ?? (.none, [])
                let inRange = TimeAxis.monthStart(year, m) <= end
                let (cls, word): (String, String)
                switch kind {
                case .planned: (cls, word) = ("planned", "Baseline")
                case .unplanned: (cls, word) = ("unplanned", "Unplanned")
                case .hotpatch: (cls, word) = ("hotpatch", "Hotpatch")
                case .none: (cls, word) = ("empty", inRange ? "–" : "")
                }
                s += "<g><title>\(HTML.escape(key + ": " + (kind == .none ? "no baseline or hotpatch" : word + " " + kbs.joined(separator: ", "))))</title>"
                s += "<text x=\"\(svgNumber(x + cellW / 2))\" y=\"\(svgNumber(y + 13))\" class=\"month\">\(TimeAxis.monthNames[m - 1])</text>"
                s += "<rect x=\"\(svgNumber(x + 3))\" y=\"\(svgNumber(y + 18))\" width=\"\(svgNumber(cellW - 6))\" height=\"\(svgNumber(cellH - 26))\" rx=\"4\" class=\"cell \(cls)\"/>"
                s += "<text x=\"\(svgNumber(x + cellW / 2))\" y=\"\(svgNumber(y + 36))\" class=\"cellword \(cls)\">\(word)</text>"
                if let kb = kbs.first { s += "<text x=\"\(svgNumber(x + cellW / 2))\" y=\"\(svgNumber(y + 49))\" class=\"cellkb \(cls)\">\(HTML.escape(kb))</text>" }
                s += "</g>"
            }
        }
        // Legend.
        let ly = top + cellH * Double(years.count) + 14
        for (i, (cls, word)) in [("planned", "Planned baseline (reboot)"), ("unplanned", "Unplanned baseline (reboot)"), ("hotpatch", "Hotpatch (no reboot)")].enumerated() {
            let x = left + Double(i) * 240
            s += "<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(ly))\" width=\"16\" height=\"16\" rx=\"3\" class=\"cell \(cls)\"/>"
            s += "<text x=\"\(svgNumber(x + 22))\" y=\"\(svgNumber(ly + 13))\" class=\"legend\">\(word)</text>"
        }
        return s + "</svg>"
    }
}
