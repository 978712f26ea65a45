import Events
import TextFormats

/// What one item of a payload became: its events, and notes on what was left out.
struct Converted {
    var events: [Event] = []
    var notes: [String] = []
}

/// What the converters need besides the payload.
struct ConversionContext {
    /// The name of the kept original payload (``RawPayloadStore``): every event gets it as `source`.
    let source: String
    /// The time given to facts whose payload carries none (feature and provider
    /// states, VM snapshots): when patchlog observed them.
    let observedAt: Timestamp
    /// The VM given on the command line, for a bare result body that does not say.
    let vmOverride: MachineID?
    /// Whether ``observedAt`` was given (`--observed-at`) rather than read from the clock.
    var observedAtGiven = false

    /// The time a snapshot was observed, and the part of an event id that names the
    /// observation: the payload's own time when it has one, else ``observedAt``. An
    /// observation timed by the clock is named by a hash of the item's bytes, so that
    /// importing the same snapshot again is the same observation (the first time
    /// stays); one with a time of its own (or `--observed-at`) by that time.
    func observation(of item: JSONNode, payloadTime: Timestamp?) -> (time: Timestamp, key: String, clock: Bool) {
        if let payloadTime { return (payloadTime, "t" + String(UInt64(bitPattern: payloadTime.nanoseconds), radix: 16), false) }
        if observedAtGiven { return (observedAt, "t" + String(UInt64(bitPattern: observedAt.nanoseconds), radix: 16), false) }
        return (observedAt, "s" + Digest.sha256Hex(Array(item.rawBytes)).prefix(16), true)
    }

    /// The added members every event of this payload carries (`source`, `sourceItem`),
    /// then `more`, as the text of a JSON object for ``Event/extra``.
    func extra(item path: String, _ more: (inout JSONText) -> Void = { _ in }) -> String {
        var j = JSONText()
        j.beginObject()
        j.member("source", source)
        j.member("sourceItem", path.isEmpty ? "$" : path)
        more(&j)
        j.endObject()
        return j.string
    }

    /// The time in member `name` of `node`, to the nanosecond Azure gave (7 digits are common).
    static func time(_ node: JSONNode, _ names: [String]) throws(ItemError) -> Timestamp? {
        for name in names {
            guard let v = node[name] else { continue }
            guard let s = v.string else { throw v.error("expected an RFC 3339 time, got \(v.described)") }
            do { return try Timestamp(parsing: s) } catch { throw v.error("\(error)") }
        }
        return nil
    }

    /// An id part no longer than 64 characters: `text` itself, or a hash of it.
    static func idPart(_ text: String) -> String {
        text.count <= 64 ? text.lowercased() : Digest.fnv1a64Hex(text.lowercased())
    }
}

extension JSONText {
    /// `"name": n`.
    mutating func member(_ name: String, int n: Int) {
        key(name)
        number(n)
    }
}
