import Audit
import Events

/// Exposure distributions as an SVG: one panel per category (hotpatch, baseline,
/// not enrolled, other), each a histogram of window lengths in bins, as a share of
/// the category's windows, with the count above each bar.
enum ExposureChart {
    static let bins: [(String, Int64)] = [("≤1", 1), ("1–3", 3), ("3–7", 7), ("7–14", 14), ("14–30", 30), (">30", .max)]

    /// The bin of a closed window's length (the last bin is for open windows).
    static func bin(_ w: ExposureWindow, at: Timestamp) -> Int {
        if w.closure == .open { return bins.count }
        let days = w.duration(at: at)
        for (i, b) in bins.enumerated() where b.1 == .max || days <= b.1 * 86_400_000_000_000 { return i }
        return bins.count - 1
    }

    /// The chart of `result`'s windows.
    static func svg(_ result: AuditResult) -> String {
        let labels = bins.map(\.0) + ["open"]
        let panelW = 250.0, panelH = 190.0, barArea = 120.0
        let categories = ExposureCategory.allCases
        let width = panelW * Double(categories.count) + 10, height = panelH + 16
        var counts: [ExposureCategory: [Int]] = [:]
        for c in categories { counts[c] = Array(repeating: 0, count: labels.count) }
        for w in result.exposures { counts[w.category]![bin(w, at: result.at)] += 1 }
        var desc: [String] = []
        var s = ""
        for (p, c) in categories.enumerated() {
            let row = counts[c]!
            let total = row.reduce(0, +)
            let stats = Percentiles(result.exposures.filter { $0.category == c }.map { $0.duration(at: result.at) })
            desc.append("\(c.rawValue): \(total) windows" + (total == 0 ? "" : ", " + zip(labels, row).map { "\($0) \($1)" }.joined(separator: ", ")))
            let x0 = Double(p) * panelW + 10
            s += "<g><text x=\"\(svgNumber(x0))\" y=\"16\" class=\"panel\">\(c.rawValue) (\(total))</text>"
            s += "<text x=\"\(svgNumber(x0))\" y=\"32\" class=\"stats\">" + (total == 0 ? "no windows" : "p50 \(DurationText.short(stats.p50)) · p90 \(DurationText.short(stats.p90)) · max \(DurationText.short(stats.max))") + "</text>"
            let barW = (panelW - 30) / Double(labels.count)
            let base = 40 + barArea
            s += "<line x1=\"\(svgNumber(x0))\" y1=\"\(svgNumber(base))\" x2=\"\(svgNumber(x0 + panelW - 30))\" y2=\"\(svgNumber(base))\" class=\"axis\"/>"
            for (i, n) in row.enumerated() {
                let share = total == 0 ? 0 : Double(n) / Double(total)
                let h = share * barArea
                let x = x0 + Double(i) * barW
                let cls = i == labels.count - 1 ? "bar open" : "bar \(c.rawValue)"
                s += "<g><title>\(c.rawValue), \(labels[i])\(i < bins.count ? " days" : ""): \(n) windows (\(total == 0 ? 0 : Int((share * 100).rounded()))%)</title>"
                s += "<rect x=\"\(svgNumber(x + 2))\" y=\"\(svgNumber(base - h))\" width=\"\(svgNumber(barW - 4))\" height=\"\(svgNumber(h))\" class=\"\(cls)\"/>"
                if n > 0 { s += "<text x=\"\(svgNumber(x + barW / 2))\" y=\"\(svgNumber(base - h - 3))\" class=\"count\">\(n)</text>" }
                s += "<text x=\"\(svgNumber(x + barW / 2))\" y=\"\(svgNumber(base + 14))\" class=\"bin\">\(labels[i])</text></g>"
            }
            s += "<text x=\"\(svgNumber(x0 + panelW - 30))\" y=\"\(svgNumber(base + 28))\" class=\"unit\">days</text></g>"
        }
        let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"exp-title exp-desc\" focusable=\"false\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\">"
            + "<title id=\"exp-title\">Exposure windows by length, per category</title><desc id=\"exp-desc\">\(HTML.escape(desc.joined(separator: "; ")))</desc>"
        return head + s + "</svg>"
    }
}
