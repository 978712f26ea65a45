import Events
import Replay
import TextFormats

/// The printed forms of query answers: the JSON shapes of docs/events.md's query
/// contract, and tables and CSV for people and spreadsheets.
public enum QueryOutput {
    // MARK: state

    /// `patchlog state --format json`, exactly the contract's shape.
    public static func stateJSON(_ s: VMState, at: Timestamp, supportedImage: Bool, asRecorded: UInt64?) -> String {
        var j = JSONText()
        j.beginObject()
        j.member("vm", s.vm)
        j.member("at", at.description)
        j.member("registered", s.registered)
        j.member("hotpatchEnabled", s.hotpatchEnabled)
        j.member("supportedImage", supportedImage)
        j.member("baseline", s.baseline?.description)
        j.member("pendingReboot", s.pendingReboot)
        j.key("installed")
        j.beginArray()
        for p in s.installed {
            j.beginObject()
            j.member("kb", p.kb.description)
            j.member("kind", p.kind.name)
            j.member("installedAt", p.installedAt.description)
            j.member("effectiveAt", p.effectiveAt?.description)
            j.endObject()
        }
        j.endArray()
        j.member("lastAssessmentAt", s.lastAssessmentAt?.description)
        j.member("missing", strings: s.missing.map(\.description))
        if isArc(s.vm) { j.member("arc", true) }
        if let asRecorded { j.key("asRecorded"); j.number(asRecorded) }
        j.endObject()
        return j.string
    }

    /// `patchlog state` for a person; the VM as `names` shows it (default: its id).
    public static func stateTable(_ s: VMState, at: Timestamp, supportedImage: Bool, asRecorded: UInt64?, names: VMNames? = nil) -> String {
        var out = "VM            \(TextTable.visible(names?.display(s.vm) ?? s.vm))\n"
        out += "at            \(at)" + (asRecorded.map { " (as recorded up to sequence \($0))" } ?? "") + "\n"
        guard s.eventCount > 0 else { return out + "no events of this VM at or before that moment\n" }
        out += "registered    \(s.registered ? "yes" : "no")"
        if let r = s.registration { out += " (\(r.image.publisher)/\(r.image.offer)/\(r.image.sku), \(r.platform.name), \(r.patchMode.name))" }
        out += "\nhotpatch      \(s.hotpatchEnabled ? "enabled" : "disabled")\(supportedImage ? "" : " (image not supported)")\n"
        out += "baseline      \(s.baseline?.description ?? "none")\(s.baselineSince.map { " since \($0)" } ?? "")\n"
        out += "reboot        \(s.pendingReboot ? "PENDING" : "not pending")\n"
        out += "assessed      \(s.lastAssessmentAt?.description ?? "never")\n"
        out += "missing       \(s.missing.isEmpty ? "nothing" : s.missing.map(\.description).joined(separator: ", "))\n\n"
        var t = TextTable(["kb", "kind", "installed", "effective"])
        for p in s.installed {
            t.add([p.kb.description, p.kind.name, p.installedAt.description, p.effectiveAt?.description ?? "pending reboot"])
        }
        return out + (s.installed.isEmpty ? "nothing installed\n" : t.text)
    }

    /// Whether `vm` is an Azure Arc-enabled server: its id is a
    /// `Microsoft.HybridCompute/machines` resource id (added to the `state` and
    /// `fleet` JSON as `"arc": true`, present only for such machines so that every
    /// other answer stays exactly the contract's shape; docs/events.md's `platform` keeps
    /// its two values).
    public static func isArc(_ vm: String) -> Bool {
        vm.lowercased().contains("/providers/microsoft.hybridcompute/machines/")
    }

    // MARK: when

    /// The columns of `patchlog when`; a table shows VMs as `names` does.
    public static func whenColumns(names: VMNames? = nil) -> Columns<KBInstall> {
        Columns([
            Column("vm") { vmCell($0.vm, names: names) },
            Column("installedAt") { .text($0.installedAt.description) },
            Column("effectiveAt") { .text($0.effectiveAt?.description) },
            Column("uninstalledAt") { .text($0.uninstalledAt?.description) },
        ])
    }

    /// `patchlog when --format json`.
    public static func whenJSON(_ rows: [KBInstall]) -> String {
        whenColumns().json(rows)
    }

    /// `patchlog when` as a table or CSV (`csv: true`); a table shows VMs as `names`
    /// does, CSV by their ids.
    public static func whenRows(_ rows: [KBInstall], csv: Bool, names: VMNames? = nil) -> String {
        whenColumns(names: names).rows(rows, csv: csv)
    }

    /// A VM: its id in JSON and CSV, as `names` shows it in a table.
    public static func vmCell(_ vm: String, names: VMNames?) -> Cell {
        Cell(json: .string(vm), csv: vm, table: names?.display(vm) ?? vm)
    }

    // MARK: fleet

    /// One VM's row of `patchlog fleet`.
    public struct FleetRow: Sendable {
        public var vm: String
        public var baseline: KB?
        public var hotpatchesSinceBaseline: [KB]
        public var pendingReboot: Bool
        public var hotpatchEnabled: Bool
        public var supportedImage: Bool
        public var lastAssessmentAt: Timestamp?
    }

    /// The fleet row of a VM state: hotpatches counted are those installed now whose
    /// install came at or after the current baseline became current.
    public static func fleetRow(_ s: VMState, supportedImage: Bool) -> FleetRow {
        let since = s.baselineSince
        let hotpatches = s.installed.filter { period in period.kind == .hotpatch && (since.map { period.installedAt >= $0 } ?? true) }.map(\.kb)
        return FleetRow(vm: s.vm, baseline: s.baseline, hotpatchesSinceBaseline: hotpatches, pendingReboot: s.pendingReboot,
                        hotpatchEnabled: s.hotpatchEnabled, supportedImage: supportedImage, lastAssessmentAt: s.lastAssessmentAt)
    }

    /// The columns of `patchlog fleet` at `at` (a JSON member of every row, when
    /// given); a table shows VMs as `names` does.
    public static func fleetColumns(at: Timestamp?, names: VMNames? = nil) -> Columns<FleetRow> {
        Columns([
            Column("vm") { vmCell($0.vm, names: names) },
            Column("at", in: .json) { _ in at.map { .text($0.description) } ?? .absent },
            Column("baseline") { .text($0.baseline?.description) },
            Column("hotpatchesSinceBaseline", heading: "hotpatches since") { .list($0.hotpatchesSinceBaseline.map(\.description)) },
            Column("pendingReboot", heading: "pending reboot") { .flag($0.pendingReboot) },
            Column("hotpatchEnabled", heading: "hotpatch") { .flag($0.hotpatchEnabled) },
            Column("supportedImage", heading: "supported image") { .flag($0.supportedImage) },
            Column("lastAssessmentAt", heading: "last assessment") { .text($0.lastAssessmentAt?.description) },
            Column("arc", in: .json) { isArc($0.vm) ? .flag(true) : .absent },
        ])
    }

    /// `patchlog fleet --format json`.
    public static func fleetJSON(_ rows: [FleetRow], at: Timestamp) -> String {
        fleetColumns(at: at).json(rows)
    }

    /// `patchlog fleet` as a table or CSV; a table shows VMs as `names` does, CSV by
    /// their ids.
    public static func fleetRows(_ rows: [FleetRow], csv: Bool, names: VMNames? = nil) -> String {
        fleetColumns(at: nil, names: names).rows(rows, csv: csv)
    }
}
