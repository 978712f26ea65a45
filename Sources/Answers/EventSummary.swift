import Events

/// One line of a VM's history for a person to read.
public enum EventSummary {
    /// What `event` says, in a few words.
    public static func describe(_ event: Event) -> String {
        switch event.body {
        case let .featureRegistration(f): return "feature \(f.feature) \(f.state.name) in \(f.subscription)"
        case let .providerRegistration(p): return "provider \(p.namespace) \(p.state.name) in \(p.subscription)"
        case let .release(r):
            return "release \(r.kb) (\(r.kind.name)\(r.baseline.map { " on \($0)" } ?? ""))\(r.title.map { ": \($0)" } ?? "")"
        case let .vmRegistered(v):
            return "registered: \(v.image.publisher)/\(v.image.offer)/\(v.image.sku), \(v.platform.name), \(v.patchMode.name), hotpatch \(v.hotpatch ? "on" : "off")"
                + (v.timezone.map { ", time zone \($0)" } ?? "")
        case let .vmHotpatch(enabled): return "hotpatch \(enabled ? "enabled" : "disabled")"
        case let .vmPower(state): return "power \(state.name)"
        case let .assessment(a):
            let kbs = a.available.map(\.kb.description)
            return "assessment (\(a.trigger.name), \(a.status.name)): \(kbs.isEmpty ? "nothing available" : "available " + kbs.joined(separator: ", "))"
                + (a.rebootPending ? "; reboot pending" : "")
        case let .install(i):
            let parts = i.patches.map { "\($0.kb) \($0.state.name)" }
            return "install (\(i.trigger.name), \(i.status.name), reboot \(i.rebootStatus.name)): \(parts.isEmpty ? "no patches" : parts.joined(separator: ", "))"
                + (i.maintenanceWindowExceeded == true ? "; maintenance window exceeded" : "")
        case let .reboot(r): return "reboot (\(r.reason.name)) \(r.status.name)"
        case let .rollback(r):
            return "rollback: uninstalled \(r.uninstalled.map(\.description).joined(separator: ", ")); restored \(r.restoredBaseline)"
        case let .supportedImages(list):
            return "supported images: " + (list.images.isEmpty ? "none" : list.images.map { "\($0.publisher)/\($0.offer)/\($0.sku)" }.joined(separator: ", "))
        }
    }
}
