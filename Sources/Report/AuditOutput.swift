import Answers
import Audit
import Events
import TextFormats

/// The printed forms of `patchlog findings` and `patchlog exposure`: JSON, CSV and
/// tables (docs/audit.md gives the fields), written with TextFormats' `JSONText`,
/// `CSVWriter` and `TextTable` (TextFormats knows nothing of the audit).
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
            j.key("basis")
            if let b = f.basis {
                j.beginObject()
                j.member("reason", b.reason.rawValue)
                j.member("platform", b.platform?.name)
                j.member("patchMode", b.patchMode?.name)
                j.member("hotpatch", b.enrolled)
                j.member("text", b.description)
                j.endObject()
            } else {
                j.null()
            }
            j.endObject()
        }
        j.endArray()
        return j.string
    }

    /// `patchlog findings` as a table or CSV (`csv: true`); evidence as sequence
    /// numbers separated by spaces.
    public static func findingsRows(_ findings: [Finding], csv: Bool) -> String {
        let header = ["vm", "rule", "kb", "start", "end", "evidence", "detail", "basis"]
        let cells = findings.map {
            [$0.vm, $0.rule.rawValue, $0.kb?.description ?? "", $0.start.description, $0.end?.description ?? (csv ? "" : "open"),
             $0.evidence.map(String.init).joined(separator: " "), $0.detail, $0.basis?.description ?? "the release catalog"]
        }
        return QueryOutput.table(header, cells, csv: csv)
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
    /// Grouped by kind, the group is the category; grouped by month or VM, the fleet's
    /// categories follow side by side, and then the reboots avoided.
    public static func exposureRows(_ s: ExposureSummary, by: ExposureSummary.Grouping, csv: Bool) -> String {
        let byKind = by == .kind
        var header = (byKind ? ["kind"] : [by.rawValue, "category"]) + ["windows", "open"]
        header += csv ? ["p50Hours", "p90Hours", "maxHours"] : ["p50", "p90", "max"]
        if by == .vm { header.append("rebootsAvoided") }
        func cells(_ r: ExposureSummary.Row, fleet: Bool = false) -> [String] {
            let lengths = [r.stats.p50, r.stats.p90, r.stats.max].map { csv ? "\(DurationText.hours($0))" : (r.stats.count == 0 ? "-" : DurationText.short($0)) }
            var c = (byKind || fleet ? [r.category.rawValue] : [r.group, r.category.rawValue]) + [String(r.stats.count), String(r.open)] + lengths
            if by == .vm && !fleet { c.append(String(r.rebootsAvoided ?? 0)) }
            return c
        }
        var out = QueryOutput.table(header, s.rows.map { cells($0) }, csv: csv)
        if !csv {
            if !byKind {
                out += "\nfleet, side by side\n"
                out += QueryOutput.table(["category", "windows", "open", "p50", "p90", "max"], s.fleet.map { cells($0, fleet: true) }, csv: false)
            }
            out += "\nopen windows count up to the moment audited\n"
            out += "reboots avoided by hotpatch: \(s.rebootsAvoided) reboot-less installs on \(s.vmsWithHotpatches) VMs (completed reboots: \(s.reboots))\n"
        }
        return out
    }
}
