import Events
import Replay
import TextFormats

extension QueryOutput {
    // MARK: diff

    /// `patchlog diff --format json`: `{vm, from, to, installed, becameEffective,
    /// uninstalled, baseline, hotpatchEnabled, pendingReboot}` (docs/events.md), with
    /// `asRecorded` when given.
    public static func diffJSON(vm: String, from: Timestamp, to: Timestamp, _ d: VMDiff, asRecorded: UInt64?) -> String {
        var j = JSONText()
        j.beginObject()
        j.member("vm", vm)
        j.member("from", from.description)
        j.member("to", to.description)
        for (name, periods) in [("installed", d.installed), ("becameEffective", d.becameEffective), ("uninstalled", d.uninstalled)] {
            j.key(name)
            j.beginArray()
            for p in periods {
                j.beginObject()
                j.member("kb", p.kb.description)
                j.member("kind", p.kind.name)
                j.member("installedAt", p.installedAt.description)
                j.member("effectiveAt", p.effectiveAt?.description)
                j.member("uninstalledAt", p.uninstalledAt?.description)
                j.endObject()
            }
            j.endArray()
        }
        j.key("baseline")
        if let b = d.baseline {
            j.beginObject()
            j.member("from", b.from?.description)
            j.member("to", b.to?.description)
            j.endObject()
        } else {
            j.null()
        }
        for (name, change) in [("hotpatchEnabled", d.hotpatchEnabled), ("pendingReboot", d.pendingReboot)] {
            j.key(name)
            if let change {
                j.beginObject()
                j.member("from", change.from)
                j.member("to", change.to)
                j.endObject()
            } else {
                j.null()
            }
        }
        if let asRecorded { j.key("asRecorded"); j.number(asRecorded) }
        j.endObject()
        return j.string
    }

    /// `patchlog diff` for a person; the VM as `names` shows it.
    public static func diffText(vm: String, from: Timestamp, to: Timestamp, _ d: VMDiff, names: VMNames? = nil) -> String {
        var out = "\(TextTable.visible(names?.display(vm) ?? vm)): from \(from) to \(to)\n\n"
        if d.isEmpty { out += "no changes\n" }
        for p in d.installed { out += "installed         \(p.kb) (\(p.kind.name)) at \(p.installedAt)\n" }
        for p in d.becameEffective { out += "became effective  \(p.kb) at \(p.effectiveAt!)\n" }
        for p in d.uninstalled { out += "uninstalled       \(p.kb)\(p.uninstalledAt.map { " at \($0)" } ?? "")\n" }
        if let b = d.baseline { out += "baseline          \(b.from?.description ?? "none") -> \(b.to?.description ?? "none")\n" }
        if let h = d.hotpatchEnabled { out += "hotpatch          \(h.from ? "enabled" : "disabled") -> \(h.to ? "enabled" : "disabled")\n" }
        if let r = d.pendingReboot { out += "pending reboot    \(r.from ? "yes" : "no") -> \(r.to ? "yes" : "no")\n" }
        return out
    }
}
