import Events
import TextFormats

/// Writes an event as one line of the interchange format (docs/events.md): the listed
/// fields in a fixed order, times in UTC, then any unlisted members it was imported
/// with. Importing the line gives back the same event.
public enum EventJSONEncoder {
    /// The JSON object of `event`, without a newline.
    public static func encode(_ event: Event) -> String {
        var j = JSONText()
        write(event, into: &j)
        return j.string
    }

    /// Appends the JSON object of `event` to `j`.
    public static func write(_ event: Event, into j: inout JSONText) {
        j.beginObject()
        j.member("id", event.id)
        j.member("type", event.type.name)
        j.member("time", event.time.description)
        if let vm = event.vm { j.member("vm", vm) }
        switch event.body {
        case let .featureRegistration(f):
            j.member("subscription", f.subscription)
            j.member("feature", f.feature)
            j.member("state", f.state.name)
        case let .providerRegistration(p):
            j.member("subscription", p.subscription)
            j.member("namespace", p.namespace)
            j.member("state", p.state.name)
        case let .release(r):
            j.member("kb", r.kb.description)
            j.member("kind", r.kind.name)
            if let planned = r.planned { j.member("planned", planned) }
            if let b = r.baseline { j.member("baseline", b.description) }
            j.member("classifications", strings: r.classifications)
            if let t = r.title { j.member("title", t) }
        case let .vmRegistered(v):
            j.member("subscription", v.subscription)
            j.key("image")
            j.beginObject()
            j.member("publisher", v.image.publisher)
            j.member("offer", v.image.offer)
            j.member("sku", v.image.sku)
            if let version = v.image.version { j.member("version", version) }
            j.endObject()
            j.member("platform", v.platform.name)
            j.member("patchMode", v.patchMode.name)
            j.member("hotpatch", v.hotpatch)
            if let tz = v.timezone { j.member("timezone", tz) }
            if let o = v.orchestration { j.member("orchestration", o.name) }
        case let .vmHotpatch(enabled):
            j.member("enabled", enabled)
        case let .vmPower(state):
            j.member("state", state.name)
        case let .assessment(a):
            j.member("activityId", a.activityId)
            j.member("trigger", a.trigger.name)
            j.member("status", a.status.name)
            j.member("rebootPending", a.rebootPending)
            j.key("available")
            j.beginArray()
            for p in a.available {
                j.beginObject()
                j.member("kb", p.kb.description)
                j.member("classifications", strings: p.classifications)
                if let rb = p.rebootBehavior { j.member("rebootBehavior", rb.name) }
                if let k = p.kind { j.member("kind", k.name) }
                j.endObject()
            }
            j.endArray()
        case let .install(i):
            j.member("activityId", i.activityId)
            j.member("trigger", i.trigger.name)
            j.member("status", i.status.name)
            j.member("rebootStatus", i.rebootStatus.name)
            if let m = i.maintenanceWindowExceeded { j.member("maintenanceWindowExceeded", m) }
            if let r = i.request {
                j.key("request")
                j.beginObject()
                j.member("classificationsToInclude", strings: r.classificationsToInclude)
                j.member("kbsToInclude", strings: r.kbsToInclude.map(\.description))
                j.member("kbsToExclude", strings: r.kbsToExclude.map(\.description))
                j.endObject()
            }
            j.key("patches")
            j.beginArray()
            for p in i.patches {
                j.beginObject()
                j.member("kb", p.kb.description)
                j.member("classifications", strings: p.classifications)
                j.member("state", p.state.name)
                if let k = p.kind { j.member("kind", k.name) }
                if let rb = p.rebootBehavior { j.member("rebootBehavior", rb.name) }
                j.endObject()
            }
            j.endArray()
        case let .reboot(r):
            j.member("reason", r.reason.name)
            j.member("status", r.status.name)
        case let .rollback(r):
            j.member("uninstalled", strings: r.uninstalled.map(\.description))
            j.member("restoredBaseline", r.restoredBaseline.description)
        case let .supportedImages(list):
            j.key("images")
            j.beginArray()
            for image in list.images {
                j.beginObject()
                j.member("publisher", image.publisher)
                j.member("offer", image.offer)
                j.member("sku", image.sku)
                j.endObject()
            }
            j.endArray()
        }
        if let extra = event.extra, extra.count > 2 {
            // `{"a":1,"b":2}` → its members, after ours.
            j.raw(String(extra.dropFirst().dropLast()))
        }
        j.endObject()
    }
}
