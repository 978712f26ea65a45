import Answers
import Audit
import Events
import TextFormats

/// The printed forms of `patchlog findings` and `patchlog exposure`: JSON, CSV and
/// tables (docs/audit.md gives the fields), written with TextFormats' `JSONText`,
/// `CSVWriter` and `TextTable` (TextFormats knows nothing of the audit).
public enum AuditOutput {
    // MARK: findings

    /// The columns of `patchlog findings`; a table shows VMs as `names` does.
    public static func findingsColumns(names: VMNames? = nil) -> Columns<Finding> {
        Columns([
            Column("vm") { QueryOutput.vmCell($0.vm, names: names) },
            Column("rule") { .text($0.rule.rawValue) },
            Column("kb") { .text($0.kb?.description) },
            Column("start") { .text($0.start.description) },
            Column("end") { .text($0.end?.description, absent: "open") },
            Column("open", in: .json) { .flag($0.end == nil) },
            Column("evidence") { .numbers($0.evidence) },
            Column("detail") { .text($0.detail) },
            Column("basis") { f in
                let text = f.basis?.description ?? "the release catalog"
                guard let b = f.basis else { return Cell(json: .string(nil), csv: text, table: text) }
                return Cell(json: .custom { j in
                    j.beginObject()
                    j.member("reason", b.reason.rawValue)
                    j.member("platform", b.platform?.name)
                    j.member("patchMode", b.patchMode?.name)
                    j.member("hotpatch", b.enrolled)
                    j.member("text", b.description)
                    j.endObject()
                }, csv: text, table: text)
            },
        ])
    }

    /// `patchlog findings --format json`: an array, one object per finding.
    public static func findingsJSON(_ findings: [Finding]) -> String {
        findingsColumns().json(findings)
    }

    /// `patchlog findings` as a table or CSV (`csv: true`); evidence as sequence
    /// numbers separated by spaces; a table shows VMs as `names` does.
    public static func findingsRows(_ findings: [Finding], csv: Bool, names: VMNames? = nil) -> String {
        findingsColumns(names: names).rows(findings, csv: csv)
    }

    /// How many findings of each rule, for the line above the table.
    public static func findingsSummary(_ findings: [Finding]) -> String {
        var counts: [AuditRule: Int] = [:]
        for f in findings { counts[f.rule, default: 0] += 1 }
        let parts = AuditRule.allCases.compactMap { rule in counts[rule].map { "\(rule.rawValue) \($0)" } }
        return "\(findings.count) findings" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    // MARK: exposure

    /// The columns of `patchlog exposure`'s rows grouped `by` (`fleet`: the fleet's
    /// rows, which have no group); lengths in hours in JSON and CSV, as `36.0 h` or
    /// `3.5 d` in a table; a table shows VMs as `names` does.
    public static func exposureColumns(by: ExposureSummary.Grouping, fleet: Bool = false, names: VMNames? = nil) -> Columns<ExposureSummary.Row> {
        let grouped = by != .kind && !fleet
        func length(_ name: String, _ heading: String, _ value: @escaping (ExposureSummary.Row) -> Int64) -> Column<ExposureSummary.Row> {
            Column(name, heading: heading) { r in
                let hours = DurationText.hours(value(r))
                return Cell(json: .double(hours), csv: "\(hours)", table: r.stats.count == 0 ? "" : DurationText.short(value(r)))
            }
        }
        return Columns([
            Column("group", header: by.rawValue, in: grouped ? .all : .json) { r in
                by == .vm && !fleet ? QueryOutput.vmCell(r.group, names: names) : .text(r.group)
            },
            Column("category", header: grouped || fleet ? "category" : "kind") { .text($0.category.rawValue) },
            Column("windows") { .integer($0.stats.count) },
            Column("open") { .integer($0.open) },
            length("p50Hours", "p50") { $0.stats.p50 },
            length("p90Hours", "p90") { $0.stats.p90 },
            length("maxHours", "max") { $0.stats.max },
            Column("rebootsAvoided", in: by == .vm && !fleet ? .all : .json) { r in
                r.rebootsAvoided.map { .integer($0) } ?? Cell(json: .omitted, csv: "0", table: "0")
            },
        ])
    }

    /// `patchlog exposure --format json`: the grouped rows, the fleet rows and the
    /// reboots avoided; lengths in hours.
    public static func exposureJSON(_ s: ExposureSummary, at: Timestamp, by: ExposureSummary.Grouping) -> String {
        var j = JSONText()
        j.beginObject()
        j.member("at", at.description)
        j.member("by", by.rawValue)
        for (name, rows) in [("rows", s.rows), ("fleet", s.fleet)] {
            let columns = exposureColumns(by: by, fleet: name == "fleet")
            j.key(name)
            j.beginArray()
            for r in rows { columns.object(r, into: &j) }
            j.endArray()
        }
        j.key("rebootsAvoided"); j.number(s.rebootsAvoided)
        j.key("vmsWithHotpatches"); j.number(s.vmsWithHotpatches)
        j.key("completedReboots"); j.number(s.reboots)
        j.endObject()
        return j.string
    }

    /// `patchlog exposure` as a table (lengths as `36.0 h`, `3.5 d`) or CSV (hours).
    /// Grouped by kind, the group is the category; grouped by month or VM, the fleet's
    /// categories follow side by side, and then the reboots avoided. A table shows
    /// VMs as `names` does.
    public static func exposureRows(_ s: ExposureSummary, by: ExposureSummary.Grouping, csv: Bool, names: VMNames? = nil) -> String {
        var out = exposureColumns(by: by, names: names).rows(s.rows, csv: csv)
        if !csv {
            if by != .kind {
                out += "\nfleet, side by side\n"
                out += exposureColumns(by: by, fleet: true).rows(s.fleet, csv: false)
            }
            out += "\nopen windows count up to the moment audited\n"
            out += "reboots avoided by hotpatch: \(s.rebootsAvoided) reboot-less installs on \(s.vmsWithHotpatches) VMs (completed reboots: \(s.reboots))\n"
        }
        return out
    }
}
