import Audit
import Events

/// The printed forms of `patchlog findings` and `patchlog exposure`: JSON, CSV and
/// tables (docs/audit.md gives the fields).
public enum AuditOutput {
    // MARK: findings

    /// `patchlog findings --format json`: an array, one object per finding.
    public static func findingsJSON(_ findings: [Finding]) -> String {
        var j = JSONText()
        j.beginArray()
        for f in findings {
            j.beginObject()
            j.member("vm", f.vm)
            j.member("rule", f.rule.rawValue)
            j.member("kb", f.kb?.description)
            j.member("start", f.start.description)
            j.member("end", f.end?.description)
            j.member("open", f.end == nil)
            j.key("evidence")
            j.beginArray()
            for s in f.evidence { j.number(s) }
            j.endArray()
            j.member("detail", f.detail)
            j.endObject()
        }
        j.endArray()
        return j.string
    }

    /// `patchlog findings` as a table or CSV (`csv: true`); evidence as sequence
    /// numbers separated by spaces.
    public static func findingsRows(_ findings: [Finding], csv: Bool) -> String {
        let header = ["vm", "rule", "kb", "start", "end", "evidence", "detail"]
        let cells = findings.map {
            [$0.vm, $0.rule.rawValue, $0.kb?.description ?? "", $0.start.description, $0.end?.description ?? (csv ? "" : "open"),
             $0.evidence.map(String.init).joined(separator: " "), $0.detail]
        }
        return rows(header, cells, csv: csv)
    }

    /// How many findings of each rule, for the line above the table.
    public static func findingsSummary(_ findings: [Finding]) -> String {
        var counts: [AuditRule: Int] = [:]
        for f in findings { counts[f.rule, default: 0] += 1 }
        let parts = AuditRule.allCases.compactMap { rule in counts[rule].map { "\(rule.rawValue) \($0)" } }
        return "\(findings.count) findings" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    // MARK: exposure

    /// `patchlog exposure --format json`: the grouped rows, the fleet rows and the
    /// reboots avoided; lengths in hours.
    public static func exposureJSON(_ s: ExposureSummary, at: Timestamp, by: ExposureSummary.Grouping) -> String {
        var j = JSONText()
        j.beginObject()
        j.member("at", at.description)
        j.member("by", by.rawValue)
        func rowsArray(_ name: String, _ rows: [ExposureSummary.Row]) {
            j.key(name)
            j.beginArray()
            for r in rows {
                j.beginObject()
                j.member("group", r.group)
                j.member("category", r.category.rawValue)
                j.key("windows"); j.number(r.stats.count)
                j.key("open"); j.number(r.open)
                j.key("p50Hours"); j.number(DurationText.hours(r.stats.p50))
                j.key("p90Hours"); j.number(DurationText.hours(r.stats.p90))
                j.key("maxHours"); j.number(DurationText.hours(r.stats.max))
                if let avoided = r.rebootsAvoided { j.key("rebootsAvoided"); j.number(avoided) }
                j.endObject()
            }
            j.endArray()
        }
        rowsArray("rows", s.rows)
        rowsArray("fleet", s.fleet)
        j.key("rebootsAvoided"); j.number(s.rebootsAvoided)
        j.key("vmsWithHotpatches"); j.number(s.vmsWithHotpatches)
        j.key("completedReboots"); j.number(s.reboots)
        j.endObject()
        return j.string
    }

    /// `patchlog exposure` as a table (lengths as `36.0 h`, `3.5 d`) or CSV (hours).
    public static func exposureRows(_ s: ExposureSummary, by: ExposureSummary.Grouping, csv: Bool) -> String {
        var header = [by.rawValue, "category", "windows", "open", csv ? "p50Hours" : "p50", csv ? "p90Hours" : "p90", csv ? "maxHours" : "max"]
        if by == .vm { header.append("rebootsAvoided") }
        func cells(_ r: ExposureSummary.Row) -> [String] {
            let lengths = [r.stats.p50, r.stats.p90, r.stats.max].map { csv ? "\(DurationText.hours($0))" : (r.stats.count == 0 ? "-" : DurationText.short($0)) }
            var c = [r.group, r.category.rawValue, String(r.stats.count), String(r.open)] + lengths
            if by == .vm { c.append(String(r.rebootsAvoided ?? 0)) }
            return c
        }
        var out = rows(header, s.rows.map(cells), csv: csv)
        if !csv {
            out += "\nfleet, side by side (open windows count up to the moment audited)\n"
            var h = header
            h[0] = "fleet"
            if by == .vm { h.removeLast() }
            out += rows(h, s.fleet.map { Array(cells($0).prefix(h.count)) }, csv: false)
            out += "\nreboots avoided by hotpatch: \(s.rebootsAvoided) reboot-less installs on \(s.vmsWithHotpatches) VMs (completed reboots: \(s.reboots))\n"
        }
        return out
    }

    private static func rows(_ header: [String], _ cells: [[String]], csv: Bool) -> String {
        if csv {
            var w = CSVWriter()
            w.row(header)
            for c in cells { w.row(c) }
            return w.text
        }
        var t = TextTable(header)
        for c in cells { t.add(c.map { $0.isEmpty ? "-" : $0 }) }
        return t.text
    }
}
