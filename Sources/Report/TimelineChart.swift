import Audit
import Events

/// A VM's timeline as an SVG: lanes for powered-off gaps, pending reboots, installs
/// and their effective points, and reboots and rollbacks, over the report's range,
/// with a line at the start of each month. Every mark has a title (time, what, and
/// the event's sequence number), and the description sums the timeline up in words.
enum TimelineChart {
    /// The chart of `timeline` from `start` to `end`; `id` makes its element ids unique.
    static func svg(_ timeline: VMTimeline, from start: Timestamp, to end: Timestamp, id: Int) -> String {
        let left = 120.0, width = 820.0
        let axis = TimeAxis(start: start, end: end, x0: left, width: width)
        let lanes = ["powered off", "pending reboot", "installs", "effective", "reboots"]
        let laneH = 22.0, top = 22.0
        let height = top + laneH * Double(lanes.count) + 8
        func laneY(_ i: Int) -> Double { top + laneH * Double(i) }
        var s = ""
        for (i, lane) in lanes.enumerated() {
            s += "<text x=\"4\" y=\"\(svgNumber(laneY(i) + 15))\" class=\"lane\">\(lane)</text>"
            s += "<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(laneY(i) + laneH))\" x2=\"\(svgNumber(left + width))\" y2=\"\(svgNumber(laneY(i) + laneH))\" class=\"lanerule\"/>"
        }
        for (t, label) in axis.monthStarts {
            let x = axis.x(t)
            s += "<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(top - 4))\" x2=\"\(svgNumber(x))\" y2=\"\(svgNumber(height - 8))\" class=\"grid\"/>"
            if !label.isEmpty && x < left + width - 40 { s += "<text x=\"\(svgNumber(x + 2))\" y=\"14\" class=\"tick\">\(label)</text>" }
        }
        func spans(_ list: [VMTimeline.Span], lane: Int, cls: String, what: String) {
            for span in list where (span.end ?? end) >= start && span.start <= end {
                let x1 = axis.x(span.start), x2 = max(axis.x(span.end ?? end), x1 + 2)
                s += "<g><title>\(what) from \(span.start) to \(span.end.map(\.description) ?? "the end (still)")</title>"
                s += "<rect x=\"\(svgNumber(x1))\" y=\"\(svgNumber(laneY(lane) + 4))\" width=\"\(svgNumber(x2 - x1))\" height=\"\(svgNumber(laneH - 8))\" class=\"\(cls)\"/></g>"
            }
        }
        spans(timeline.poweredOff, lane: 0, cls: "off", what: "powered off")
        spans(timeline.pendingReboot, lane: 1, cls: "pending", what: "reboot pending")
        var counts: [VMTimeline.Mark.Kind: Int] = [:]
        for mark in timeline.marks where mark.time >= start && mark.time <= end {
            counts[mark.kind, default: 0] += 1
            let x = axis.x(mark.time)
            let title = "<title>\(HTML.escape(mark.label)) at \(mark.time) (event \(mark.sequence))</title>"
            switch mark.kind {
            case .install:
                let y = laneY(2) + laneH / 2
                let cls = mark.label.hasSuffix("hotpatch") ? "hp" : mark.label.hasSuffix("baseline") ? "bl" : "ot"
                s += "<g>\(title)<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"5\" class=\"mark \(cls)\"/></g>"
            case .effective:
                let y = laneY(3) + laneH / 2
                s += "<g>\(title)<path d=\"M\(svgNumber(x)) \(svgNumber(y - 6))l6 6-6 6-6-6z\" class=\"mark eff\"/></g>"
            case .reboot:
                s += "<g>\(title)<rect x=\"\(svgNumber(x - 1.5))\" y=\"\(svgNumber(laneY(4) + 3))\" width=\"3\" height=\"\(svgNumber(laneH - 6))\" class=\"mark rb\"/></g>"
            case .failedReboot:
                let y = laneY(4) + laneH / 2
                s += "<g>\(title)<path d=\"M\(svgNumber(x - 5)) \(svgNumber(y - 5))l10 10m0-10l-10 10\" class=\"mark fail\"/></g>"
            case .rollback:
                let y = laneY(4) + laneH / 2
                s += "<g>\(title)<path d=\"M\(svgNumber(x)) \(svgNumber(y - 7))l7 12h-14z\" class=\"mark rollback\"/></g>"
            }
        }
        let summary = "\(counts[.install] ?? 0) installs, \(counts[.effective] ?? 0) effective points needing a reboot, \(counts[.reboot] ?? 0) completed reboots, "
            + "\(counts[.failedReboot] ?? 0) failed reboots, \(counts[.rollback] ?? 0) rollbacks, \(timeline.pendingReboot.count) pending-reboot spans, \(timeline.poweredOff.count) powered-off gaps."
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"tl\(id)-title tl\(id)-desc\" focusable=\"false\" viewBox=\"0 0 \(svgNumber(left + width + 10)) \(svgNumber(height))\" width=\"\(svgNumber(left + width + 10))\" height=\"\(svgNumber(height))\">"
            + "<title id=\"tl\(id)-title\">Timeline of \(HTML.escape(timeline.vm))</title><desc id=\"tl\(id)-desc\">\(HTML.escape(summary))</desc>" + s + "</svg>"
    }
}
