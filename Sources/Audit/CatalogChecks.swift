import Events
import Replay

/// The release catalog checked against the documents' calendar, so that bad
/// imported release data is seen (docs/audit.md): a hotpatch is built on the latest
/// baseline at its release, and an unplanned baseline replaces its month's hotpatch.
/// Findings about the catalog name no VM: their `vm` is ``Finding/catalogVM``.
enum CatalogChecks {
    /// The catalog's findings as of the context's moment (releases published later
    /// do not exist yet), by publication.
    ///
    /// - Complexity: O(h log b + h + u) for h hotpatches, b baselines and u unplanned ones.
    static func findings(_ c: AuditContext) -> [Finding] {
        let hotpatches = c.catalog.entries.values.filter { $0.release.kind == .hotpatch && $0.publishedAt <= c.at }
            .sorted { ($0.publishedAt, $0.sequence) < ($1.publishedAt, $1.sequence) }
        var unplannedByMonth: [String: [ReleaseCatalog.Entry]] = [:]
        for b in c.baselines where b.release.planned == false {
            unplannedByMonth[month(b.publishedAt), default: []].append(b)
        }
        var out: [Finding] = []
        for h in hotpatches {
            let kb = h.release.kb
            if let named = h.release.baseline, let latest = c.latestBaseline(by: h.publishedAt), latest.release.kb != named {
                out.append(Finding(vm: Finding.catalogVM, rule: .hotpatchNotOnLatestBaseline, kb: kb, start: h.publishedAt, end: h.publishedAt,
                                   evidence: [h.sequence, latest.sequence, c.catalog.entries[named]?.sequence ?? 0],
                                   detail: "hotpatch \(kb) published \(h.publishedAt) is built on \(named), but the latest baseline then was \(latest.release.kb) (published \(latest.publishedAt))"))
            }
            for u in unplannedByMonth[month(h.publishedAt)] ?? [] {
                out.append(Finding(vm: Finding.catalogVM, rule: .hotpatchInUnplannedBaselineMonth, kb: kb, start: h.publishedAt, end: h.publishedAt,
                                   evidence: [h.sequence, u.sequence],
                                   detail: "hotpatch \(kb) published \(h.publishedAt) in \(month(h.publishedAt)), the month of unplanned baseline \(u.release.kb) (published \(u.publishedAt)), which replaces that month's hotpatch"))
            }
        }
        return out
    }

    /// The UTC calendar month of `t`: `2025-05`.
    static func month(_ t: Timestamp) -> String { String(t.description.prefix(7)) }
}
