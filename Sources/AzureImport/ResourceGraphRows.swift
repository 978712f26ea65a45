/// Resource Graph rows of `patchassessmentresources` and `patchinstallationresources`,
/// joined into runs.
///
/// A run arrives as a summary row (`…/patchAssessmentResults/latest` or
/// `…/patchInstallationResults/<GUID>`) and one row per update
/// (`…/softwarePatches/<update>`), in any order; the rows of a run are joined by
/// that id prefix (case-insensitively). The VM is the part of the id before it.
struct ResourceGraphRun {
    /// Assessment or installation.
    enum Kind { case assessment, installation }

    let kind: Kind
    let machine: MachineID
    /// The run's id prefix, lower-cased: the key that joins its rows.
    let key: String
    /// The last segment of the run's id (`latest`, or the installation's GUID).
    let runName: String
    var summary: JSONNode?
    var patches: [JSONNode] = []

    /// Whether `row` looks like a Resource Graph patch row (its `type` names a patch result table).
    static func isPatchRow(_ row: JSONNode) -> Bool {
        guard let type = row["type"]?.string?.lowercased() else { return false }
        return type.contains("/patchassessmentresults") || type.contains("/patchinstallationresults")
    }

    /// Groups patch rows into runs, in order of first appearance.
    static func group(_ rows: [JSONNode]) -> (runs: [ResourceGraphRun], errors: [ItemError]) {
        var runs: [ResourceGraphRun] = []
        var index: [String: Int] = [:]
        var errors: [ItemError] = []
        for row in rows {
            guard let idText = row["id"]?.string, let id = AzureResourceID(idText), let machine = id.machine else {
                errors.append(row.error(member: "id", "expected the resource id of a VM or Arc machine's patch result, got \(row["id"]?.described ?? "nothing")"))
                continue
            }
            let lower = id.segments.map { $0.lowercased() }
            guard let at = lower.firstIndex(where: { $0 == "patchassessmentresults" || $0 == "patchinstallationresults" }),
                  at + 1 < lower.count else {
                errors.append(row.error(member: "id", "expected …/patchAssessmentResults/… or …/patchInstallationResults/…, got \"\(idText)\""))
                continue
            }
            let key = lower[...(at + 1)].joined(separator: "/")
            let isSummary = at + 2 == lower.count
            guard isSummary || lower[at + 2] == "softwarepatches" else {
                errors.append(row.error(member: "id", "expected a run or a …/softwarePatches/… row, got \"\(idText)\""))
                continue
            }
            guard let properties = row["properties"], properties.isObject else {
                errors.append(row.error(member: "properties", "missing (a Resource Graph row has its values there)"))
                continue
            }
            let n: Int
            if let existing = index[key] { n = existing } else {
                n = runs.count
                index[key] = n
                runs.append(ResourceGraphRun(kind: lower[at] == "patchassessmentresults" ? .assessment : .installation,
                                             machine: machine, key: key, runName: id.segments[at + 1]))
            }
            if isSummary {
                runs[n].summary = properties
                runs[n].summaryRow = row
            } else {
                runs[n].patches.append(properties)
            }
        }
        return (runs, errors)
    }

    /// The summary row itself (for its `name`).
    var summaryRow: JSONNode?
}
