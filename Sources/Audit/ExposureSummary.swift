import Events

/// Exposure windows grouped for `patchlog exposure`: per publication month, per
/// category, or per VM, with percentiles of their lengths and the reboots Hotpatch
/// avoided.
public struct ExposureSummary: Sendable {
    /// How windows are grouped.
    public enum Grouping: String, CaseIterable, Sendable {
        case month, kind, vm
    }

    /// One group: its label, the category (grouped by month or VM, one group per
    /// category within it), the percentiles of its windows' lengths (open ones count
    /// up to the moment audited), how many are still open, and the reboot-less
    /// hotpatch installs of its VMs (per VM grouping only).
    public struct Row: Equatable, Sendable {
        /// The month (`2025-03`), category name or VM.
        public var group: String
        /// The category of the windows counted.
        public var category: ExposureCategory
        /// Percentiles of the windows' lengths, in nanoseconds.
        public var stats: Percentiles
        /// How many of them are open.
        public var open: Int
        /// The group's reboot-less hotpatch installs (per VM grouping only).
        public var rebootsAvoided: Int?
    }

    /// The rows, by group then category.
    public var rows: [Row]
    /// Fleet-wide rows, one per category.
    public var fleet: [Row]
    /// Reboot-less hotpatch installs in the whole fleet.
    public var rebootsAvoided: Int
    /// Completed reboots in the whole fleet.
    public var reboots: Int
    /// VMs with at least one reboot-less hotpatch install.
    public var vmsWithHotpatches: Int

    /// Groups the windows of `result` by `grouping`.
    public init(_ result: AuditResult, by grouping: Grouping) {
        let at = result.at
        // What a row needs of its windows: their lengths and how many are open. (A
        // fleet has hundreds of thousands of windows: they are tallied, not copied,
        // and a month is written out once per publication, not once per window.)
        var groups: [String: [ExposureCategory: Tally]] = [:]
        var byCategory: [ExposureCategory: Tally] = [:]
        var months: [Int64: String] = [:]
        for w in result.exposures {
            byCategory[w.category, default: Tally()].add(w, at: at)
            let key: String
            switch grouping {
            case .kind: continue  // the rows are the fleet's, below
            case .month:
                if let month = months[w.publishedAt.nanoseconds] {
                    key = month
                } else {
                    key = String(w.publishedAt.description.prefix(7))
                    months[w.publishedAt.nanoseconds] = key
                }
            case .vm: key = w.vm
            }
            groups[key, default: [:]][w.category, default: Tally()].add(w, at: at)
        }
        func row(_ group: String, _ category: ExposureCategory, _ tally: Tally) -> Row {
            Row(group: group, category: category, stats: Percentiles(tally.durations), open: tally.open, rebootsAvoided: nil)
        }
        var avoided: [String: Int] = [:]
        for vm in result.vms { avoided[vm.vm] = vm.rebootlessInstalls }
        var rows: [Row] = []
        for key in groups.keys.sorted() {
            for (category, tally) in groups[key]!.sorted(by: { $0.key < $1.key }) {
                var r = row(key, category, tally)
                if grouping == .vm { r.rebootsAvoided = avoided[key] ?? 0 }
                rows.append(r)
            }
        }
        if grouping == .vm {
            // VMs with no exposure window still show the reboots they avoided.
            for vm in result.vms where groups[vm.vm] == nil && vm.rebootlessInstalls > 0 {
                rows.append(Row(group: vm.vm, category: .hotpatch, stats: Percentiles([]), open: 0, rebootsAvoided: vm.rebootlessInstalls))
            }
            rows.sort { ($0.group, $0.category) < ($1.group, $1.category) }
        }
        fleet = ExposureCategory.allCases.map { row("fleet", $0, byCategory[$0] ?? Tally()) }
        // By kind, the groups are the categories, in their order, empty ones included.
        self.rows = grouping == .kind ? fleet.map { var r = $0; r.group = $0.category.rawValue; return r } : rows
        rebootsAvoided = result.vms.reduce(0) { $0 + $1.rebootlessInstalls }
        reboots = result.vms.reduce(0) { $0 + $1.completedReboots }
        vmsWithHotpatches = result.vms.filter { $0.rebootlessInstalls > 0 }.count
    }
}

/// The windows of one row, tallied: their lengths as of the moment audited, and how
/// many are still open.
private struct Tally {
    var durations: [Int64] = []
    var open = 0

    mutating func add(_ w: ExposureWindow, at: Timestamp) {
        durations.append(w.duration(at: at))
        if w.closure == .open { open += 1 }
    }
}
