import Answers
import Audit
import Events
import Replay

/// The audit report: one self-contained HTML file (no script, no font, no URL to
/// fetch) with the release calendar, per-VM timelines, the findings table and the
/// exposure distributions, for screens and for print. Everything taken from the log
/// is escaped.
///
/// ```swift
/// let result = try Audit.run(replayer, at: t, policy: AuditPolicy())
/// let html = AuditReport.html(ReportInput(scope: "fleet", result: result, releases: catalog, timelines: [...], since: nil, until: nil))
/// ```
public enum AuditReport {
    /// The HTML text of the report of `input`.
    public static func html(_ input: ReportInput) -> String {
        let result = input.result
        let end = min(input.until ?? result.at, result.at)
        let firstRelease = input.releases.map(\.publishedAt).min() ?? end
        let start = input.since ?? min(firstRelease, end)
        // Timelines begin with the month of the first thing they show.
        let firstMark = input.timelines.flatMap { $0.marks.map(\.time) + $0.pendingReboot.map(\.start) + $0.poweredOff.map(\.start) }.min()
        let timelineStart = input.since ?? firstMark.map { let (y, m) = TimeAxis.yearMonth($0); return min(TimeAxis.monthStart(y, m), end) } ?? start
        let findings = result.findings(since: input.since, until: input.until)
        let names = input.names ?? VMNames(result.vms.map(\.vm))
        let shortName = { (vm: String) in vm == "fleet" ? vm : names.display(vm) }
        let title = "Hotpatch audit: " + shortName(input.scope)
        var h = HTML()
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.element("title", [], title)
        h.raw("<style>" + style + "</style></head><body>")
        h.raw("<a class=\"skip\" href=\"#main\">Skip to the report</a><header>")
        h.element("h1", [], title)
        if shortName(input.scope) != input.scope { h.element("p", [("class", "vmid")], "VM " + input.scope) }
        h.open("p")
        h.text("As of \(result.at); from \(start) to \(end). \(result.vms.count) VMs, \(findings.count) findings, \(result.exposures.count) exposure windows. ")
        h.text("Evidence numbers are the sequence numbers of the log's events.")
        h.close("p")
        h.raw("</header><nav aria-label=\"Contents\"><ul><li><a href=\"#calendar\">Release calendar</a></li><li><a href=\"#timelines\">VM timelines</a></li>"
            + "<li><a href=\"#findings\">Findings</a></li><li><a href=\"#exposure\">Exposure</a></li></ul></nav><main id=\"main\">")

        // Calendar.
        h.raw("<section id=\"calendar\" aria-labelledby=\"h-calendar\"><h2 id=\"h-calendar\">Release calendar</h2>")
        h.raw("<figure><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Release calendar chart\">")
        h.raw(CalendarChart.svg(input.releases, from: start, to: end))
        h.raw("</div><figcaption>What each month's Patch Tuesday released: planned baselines every three months, unplanned baselines in their place when a fix cannot ship as a hotpatch, hotpatches in between. Baselines need a reboot; hotpatches do not.</figcaption></figure></section>")

        // Timelines.
        h.raw("<section id=\"timelines\" aria-labelledby=\"h-timelines\"><h2 id=\"h-timelines\">VM timelines</h2>")
        if input.timelines.isEmpty { h.raw("<p>No VM to show.</p>") }
        if input.timelinesChosen != nil { h.element("p", [], input.timelinesChosen!) }
        h.raw("<p class=\"key\">Key: ● install (green hotpatch, blue baseline, grey other) · ◆ effective after a reboot · ▮ completed reboot · ✕ failed reboot · ▲ rollback · amber bar: reboot pending · grey bar: powered off.</p>")
        for (i, t) in input.timelines.enumerated() {
            h.raw("<figure>")
            h.open("figcaption")
            h.element("strong", [], shortName(t.vm))
            if shortName(t.vm) != t.vm { h.raw(" "); h.element("small", [], t.vm) }
            h.close("figcaption")
            h.raw("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Timeline of \(HTML.escape(t.vm))\">")
            h.raw(TimelineChart.svg(t, from: timelineStart, to: end, id: i))
            h.raw("</div></figure>")
        }
        h.raw("</section>")

        // Findings.
        h.raw("<section id=\"findings\" aria-labelledby=\"h-findings\"><h2 id=\"h-findings\">Findings</h2>")
        var perRule: [AuditRule: Int] = [:]
        for f in findings { perRule[f.rule, default: 0] += 1 }
        h.open("p")
        h.text(findings.isEmpty ? "No findings." : AuditRule.allCases.compactMap { r in perRule[r].map { "\(r.rawValue): \($0)" } }.joined(separator: " · "))
        h.close("p")
        h.raw("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Findings table\"><table class=\"findings\"><caption>Findings, by VM and start (an open end means the finding still held at the moment audited)</caption><thead><tr>")
        for c in ["VM", "Rule", "KB", "From", "Until", "Evidence (event sequence numbers)", "What happened", "Why the rule applied"] { h.element("th", [("scope", "col")], c) }
        h.raw("</tr></thead><tbody>")
        for f in findings {
            h.raw("<tr>")
            h.open("th", [("scope", "row")])
            h.element("strong", [], shortName(f.vm))
            if shortName(f.vm) != f.vm { h.raw("<br>"); h.element("small", [], f.vm) }
            h.close("th")
            h.element("td", [], f.rule.rawValue)
            h.element("td", [], f.kb?.description ?? "")
            h.element("td", [], f.start.description)
            h.element("td", [], f.end?.description ?? "open")
            h.element("td", [], f.evidence.map(String.init).joined(separator: " "))
            h.element("td", [], f.detail)
            h.element("td", [], f.basis?.description ?? "the release catalog")
            h.raw("</tr>")
        }
        h.raw("</tbody></table></div></section>")

        // Exposure.
        let summary = ExposureSummary(result, by: .kind)
        h.raw("<section id=\"exposure\" aria-labelledby=\"h-exposure\"><h2 id=\"h-exposure\">Exposure</h2>")
        h.raw("<p>How long VMs stayed exposed after a Critical or Security release applied to them, until it was effective (open windows count up to the moment audited).</p>")
        h.raw("<figure><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Exposure chart\">")
        h.raw(ExposureChart.svg(result))
        h.raw("</div><figcaption>Share of each category's windows by length; the count is above each bar.</figcaption></figure>")
        h.raw("<table><caption>Exposure percentiles per category</caption><thead><tr>")
        for c in ["Category", "Windows", "Open", "p50", "p90", "Max"] { h.element("th", [("scope", "col")], c) }
        h.raw("</tr></thead><tbody>")
        for r in summary.fleet {
            h.raw("<tr>")
            h.element("th", [("scope", "row")], r.category.rawValue)
            h.element("td", [], String(r.stats.count))
            h.element("td", [], String(r.open))
            for v in [r.stats.p50, r.stats.p90, r.stats.max] { h.element("td", [], r.stats.count == 0 ? "–" : DurationText.short(v)) }
            h.raw("</tr>")
        }
        h.raw("</tbody></table>")
        h.open("p", [("class", "benefit")])
        h.text("Reboots avoided by hotpatch: \(summary.rebootsAvoided) reboot-less installs on \(summary.vmsWithHotpatches) VMs (completed reboots: \(summary.reboots)).")
        h.close("p")
        h.raw("</section></main><footer><p>Made by patchlog. Rules and definitions: docs/audit.md.</p></footer></body></html>\n")
        return h.text
    }

    static let style = """
    :root{color-scheme:light}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;max-width:1100px;padding:0 16px 32px}
    .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;outline:3px solid #1f4e8c}
    a:focus,[tabindex]:focus{outline:3px solid #1f4e8c;outline-offset:2px}
    nav ul{list-style:none;padding:0;display:flex;gap:16px;flex-wrap:wrap}h1{font-size:1.6em;margin:16px 0 4px}h2{border-bottom:2px solid #ccc;padding-bottom:4px;margin-top:28px}
    figure{margin:12px 0}figcaption{font-size:.9em;color:#444}.scroll{overflow-x:auto}
    table{border-collapse:collapse;font-size:.85em;margin:8px 0}caption{text-align:left;font-weight:600;padding:4px 0}
    th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}thead th{background:#eef1f5}tbody th{font-weight:normal;max-width:230px}tbody th small,figcaption small{word-break:break-all;color:#555}
    .key{font-size:.85em;color:#333}.vmid{word-break:break-all;color:#444}.benefit{font-weight:600}
    svg text{font-family:system-ui,sans-serif;fill:#1a1a1a}.year{font-size:13px;font-weight:600}.month{font-size:11px;text-anchor:middle}
    .cellword{font-size:11px;text-anchor:middle;font-weight:600}.cellkb{font-size:9px;text-anchor:middle}.legend,.lane,.tick,.stats{font-size:11px}
    .panel{font-size:13px;font-weight:600}.count{font-size:10px;text-anchor:middle}.tick{text-anchor:start}.unit{font-size:10px;text-anchor:end;fill:#444}.bin{font-size:10px;text-anchor:middle}
    .cell.planned{fill:#1f4e8c}.cell.unplanned{fill:#b34700}.cell.hotpatch{fill:#2e7d32}.cell.empty{fill:#f1f1f1;stroke:#ccc}
    text.planned,text.unplanned,text.hotpatch{fill:#fff}
    .axis,.lanerule{stroke:#999}.grid{stroke:#ddd}.bar.hotpatch{fill:#2e7d32}.bar.baseline{fill:#1f4e8c}.bar.not-enrolled{fill:#8a5a00}.bar.other{fill:#777}.bar.open{fill:#fff;stroke:#b00020;stroke-dasharray:3 2}
    .off{fill:#bbb}.pending{fill:#f0b400}.mark.hp{fill:#2e7d32}.mark.bl{fill:#1f4e8c}.mark.ot{fill:#888}.mark.eff{fill:#6a1b9a}.mark.rb{fill:#1f4e8c}
    .mark.fail{stroke:#b00020;stroke-width:2;fill:none}.mark.rollback{fill:#b00020}
    @media print{nav,.skip{display:none}body{max-width:none;font-size:11px}.scroll{overflow:visible}svg{max-width:100%;height:auto}section{break-inside:avoid-page}table{break-inside:auto}tr{break-inside:avoid}thead{display:table-header-group}}
    """
}

/// What a report shows.
public struct ReportInput: Sendable {
    /// `fleet` or the VM's id, for the title.
    public var scope: String
    /// The audit.
    public var result: AuditResult
    /// The catalog's releases (for the calendar).
    public var releases: [ReleaseCatalog.Entry]
    /// The timelines to draw.
    public var timelines: [VMTimeline]
    /// How the timelines were chosen, when not all VMs are drawn.
    public var timelinesChosen: String?
    /// The start of the range shown; nil: the first release (timelines: their first month).
    public var since: Timestamp?
    /// The end of the range shown; nil: the moment audited.
    public var until: Timestamp?
    /// How VMs are named in headings (the whole id is shown beside a shorter name);
    /// nil: by the names of the VMs audited.
    public var names: VMNames?

    /// A report's input.
    public init(scope: String, result: AuditResult, releases: [ReleaseCatalog.Entry], timelines: [VMTimeline],
                timelinesChosen: String? = nil, since: Timestamp?, until: Timestamp?, names: VMNames? = nil) {
        self.scope = scope
        self.result = result
        self.releases = releases
        self.timelines = timelines
        self.timelinesChosen = timelinesChosen
        self.since = since
        self.until = until
        self.names = names
    }
}
