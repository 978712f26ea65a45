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

    /// Whether `row` looks like a Resource Graph patch row: its `type` names a patch
    /// result table, or (an export projected to `id, properties`) its `id` lies under one.
    static func isPatchRow(_ row: JSONNode) -> Bool {
        let text = (row["type"]?.string ?? row["id"]?.string)?.lowercased() ?? ""
        return text.contains("/patchassessmentresults") || text.contains("/patchinstallationresults")
    }

    /// The rows of this run that could not be read: the run is not imported without them.
    var bad: [ItemError] = []
    /// How many rows the run has in the input (summary and patches, bad ones too).
    var rowCount = 0

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
            let n: Int
            if let existing = index[key] { n = existing } else {
                n = runs.count
                index[key] = n
                runs.append(ResourceGraphRun(kind: lower[at] == "patchassessmentresults" ? .assessment : .installation,
                                             machine: machine, key: key, runName: id.segments[at + 1]))
            }
            runs[n].rowCount += 1
            guard let properties = row["properties"], properties.isObject else {
                runs[n].bad.append(row.error(member: "properties", "missing (a Resource Graph row has its values there)"))
                continue
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
