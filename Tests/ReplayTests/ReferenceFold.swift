import Events
import Foundation

/// A plain, slow, independent reading of docs/events.md's replay rules over an array of
/// events, used as the oracle for the property tests. It shares no code with the
/// Replay module's fold.
struct ReferenceFold {
    struct Period { var kb: KB; var kind: String; var installedAt: Int64; var effectiveAt: Int64?; var uninstalledAt: Int64? }

    let events: [(seq: UInt64, event: Event)]

    func kind(_ kb: KB, entry: PatchKind?, asRecorded: UInt64) -> String {
        if let entry { return entry.name }
        // The kind of a release with that kb, of any time (the last appended wins).
        var found: String?
        for (seq, e) in events where seq <= asRecorded {
            if case let .release(r) = e.body, r.kb == kb { found = r.kind.name }
        }
        return found ?? "other"
    }

    /// The contract's state object for `vm` at `at`, as a JSON-like dictionary.
    func state(vm: String, at: Int64, asRecorded: UInt64, supported: (ImageReference) -> Bool) -> [String: Any] {
        let mine = events.filter { $0.seq <= asRecorded && $0.event.time.nanoseconds <= at && $0.event.vm?.lowercased() == vm.lowercased() }
            .sorted { ($0.event.time.nanoseconds, $0.seq) < ($1.event.time.nanoseconds, $1.seq) }
        var registered = false, hotpatch = false, image: ImageReference?
        var periods: [Period] = []
        var current: [KB: Int] = [:]
        var baseline: KB?
        var rollbackPending = false
        var lastReboot: Int64?
        var lastAssessment: (Int64, [KB])?
        for (_, e) in mine {
            let t = e.time.nanoseconds
            switch e.body {
            case let .vmRegistered(r): registered = true; hotpatch = r.hotpatch; image = r.image
            case let .vmHotpatch(on): hotpatch = on
            case let .assessment(a): lastAssessment = (t, a.available.map(\.kb))
            case let .install(i):
                for p in i.patches where p.state == .installed && current[p.kb] == nil {
                    let k = kind(p.kb, entry: p.kind, asRecorded: asRecorded)
                    let needs = k == "baseline" || (k == "other" && p.rebootBehavior != .neverReboots)
                    var eff: Int64? = !needs || i.rebootStatus == .completed || lastReboot == t ? t : nil
                    // A hotpatch on a baseline still waiting for its reboot waits with it.
                    if k == "hotpatch", let b = baseline, let bi = current[b], periods[bi].effectiveAt == nil { eff = nil }
                    current[p.kb] = periods.count
                    periods.append(Period(kb: p.kb, kind: k, installedAt: t, effectiveAt: eff, uninstalledAt: nil))
                    if k == "baseline" { baseline = p.kb }
                }
            case let .reboot(r) where r.status == .completed:
                lastReboot = t
                rollbackPending = false
                for i in current.values where periods[i].effectiveAt == nil { periods[i].effectiveAt = t }
            case let .rollback(r):
                for kb in r.uninstalled { if let i = current[kb] { periods[i].uninstalledAt = t; current[kb] = nil } }
                if current[r.restoredBaseline] == nil {
                    current[r.restoredBaseline] = periods.count
                    let k = hasRelease(r.restoredBaseline, asRecorded) ? kind(r.restoredBaseline, entry: nil, asRecorded: asRecorded) : "baseline"
                    periods.append(Period(kb: r.restoredBaseline, kind: k, installedAt: t, effectiveAt: nil, uninstalledAt: nil))
                }
                baseline = r.restoredBaseline
                rollbackPending = true
            default: break
            }
        }
        let installed = current.values.map { periods[$0] }.sorted { ($0.installedAt, $0.kb) < ($1.installedAt, $1.kb) }
        let pending = rollbackPending || installed.contains { $0.effectiveAt == nil }
        return [
            "vm": vm, "at": Timestamp(nanoseconds: at).description, "registered": registered, "hotpatchEnabled": hotpatch,
            "supportedImage": image.map(supported) ?? false, "baseline": baseline?.description as Any? ?? NSNull(),
            "pendingReboot": pending,
            "installed": installed.map { p -> [String: Any] in
                ["kb": p.kb.description, "kind": p.kind, "installedAt": Timestamp(nanoseconds: p.installedAt).description,
                 "effectiveAt": p.effectiveAt.map { Timestamp(nanoseconds: $0).description } as Any? ?? NSNull()]
            },
            "lastAssessmentAt": lastAssessment.map { Timestamp(nanoseconds: $0.0).description } as Any? ?? NSNull(),
            "missing": (lastAssessment?.1 ?? []).filter { current[$0] == nil }.map(\.description),
        ]
    }

    func hasRelease(_ kb: KB, _ asRecorded: UInt64) -> Bool {
        events.contains { $0.seq <= asRecorded && { if case let .release(r) = $0.body { return r.kb == kb } else { return false } }($0.event) }
    }

    /// Every (VM, install period) of `kb`, optionally as things stood at `at`.
    func when(_ kb: KB, at: Int64?, asRecorded: UInt64, vms: [String]) -> [[String: Any]] {
        var rows: [(String, Int64, [String: Any])] = []
        for vm in vms {
            let mine = events.filter { $0.seq <= asRecorded && $0.event.time.nanoseconds <= (at ?? .max) && $0.event.vm?.lowercased() == vm.lowercased() }
                .sorted { ($0.event.time.nanoseconds, $0.seq) < ($1.event.time.nanoseconds, $1.seq) }
            // Reuse `state` semantics by replaying, but keep every period of the kb.
            var periods: [Period] = []
            var current: [KB: Int] = [:]
            var lastReboot: Int64?
            var baseline: KB?
            for (_, e) in mine {
                let t = e.time.nanoseconds
                switch e.body {
                case let .install(i):
                    for p in i.patches where p.state == .installed && current[p.kb] == nil {
                        let k = kind(p.kb, entry: p.kind, asRecorded: asRecorded)
                        let needs = k == "baseline" || (k == "other" && p.rebootBehavior != .neverReboots)
                        var eff: Int64? = !needs || i.rebootStatus == .completed || lastReboot == t ? t : nil
                        if k == "hotpatch", let b = baseline, let bi = current[b], periods[bi].effectiveAt == nil { eff = nil }
                        current[p.kb] = periods.count
                        periods.append(Period(kb: p.kb, kind: k, installedAt: t, effectiveAt: eff, uninstalledAt: nil))
                        if k == "baseline" { baseline = p.kb }
                    }
                case let .reboot(r) where r.status == .completed:
                    lastReboot = t
                    for i in current.values where periods[i].effectiveAt == nil { periods[i].effectiveAt = t }
                case let .rollback(r):
                    for u in r.uninstalled { if let i = current[u] { periods[i].uninstalledAt = t; current[u] = nil } }
                    if current[r.restoredBaseline] == nil {
                        current[r.restoredBaseline] = periods.count
                        periods.append(Period(kb: r.restoredBaseline, kind: "baseline", installedAt: t, effectiveAt: nil, uninstalledAt: nil))
                    }
                    baseline = r.restoredBaseline
                default: break
                }
            }
            for p in periods where p.kb == kb && (at == nil || p.uninstalledAt == nil) {
                rows.append((vm, p.installedAt, [
                    "vm": vm, "installedAt": Timestamp(nanoseconds: p.installedAt).description,
                    "effectiveAt": p.effectiveAt.map { Timestamp(nanoseconds: $0).description } as Any? ?? NSNull(),
                    "uninstalledAt": p.uninstalledAt.map { Timestamp(nanoseconds: $0).description } as Any? ?? NSNull(),
                ]))
            }
        }
        return rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }
}
