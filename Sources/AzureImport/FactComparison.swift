import Events
import JSONLines

/// How an event compares with the one already in the log under its id.
///
/// Provenance is not a fact: two payloads that say the same thing (overlapping
/// exports, a REST result and its Resource Graph rows) differ only in `source` and
/// `sourceItem`, and that is no conflict. A record with less detail is no conflict
/// either: a Resource Graph summary has no `status` (`Unknown`) and no InstallPatches
/// `request`, and a snapshot timed by the clock was seen once already.
enum FactComparison {
    /// The outcome.
    enum Verdict: Equatable {
        /// The same facts (only the added members differ).
        case same
        /// The log already has these facts, with as much detail or more.
        case known
        /// Other facts: `field` names the first that differs.
        case conflict(field: String)
    }

    /// Compares `imported` with `earlier`, which has the same id.
    static func compare(_ earlier: Event, _ imported: Event) -> Verdict {
        guard earlier.type == imported.type else { return .conflict(field: "type") }
        guard earlier.vm?.lowercased() == imported.vm?.lowercased() else { return .conflict(field: "vm") }
        if earlier.body == imported.body {
            if earlier.time == imported.time { return .same }
            return isClockTimed(earlier) || isClockTimed(imported) ? .known : .conflict(field: "time")
        }
        guard earlier.time == imported.time else { return .conflict(field: "time") }
        switch (earlier.body, imported.body) {
        case var (.install(a), .install(b)):
            if a.request == nil || b.request == nil { a.request = nil; b.request = nil }
            if a.status == .unknown { a.status = b.status } else if b.status == .unknown { b.status = a.status }
            return a == b ? .known : .conflict(field: firstDifference(a, b))
        case var (.assessment(a), .assessment(b)):
            if a.status == .unknown { a.status = b.status } else if b.status == .unknown { b.status = a.status }
            // `latest`: a Resource Graph summary exported without its `name` column.
            if a.activityId.lowercased() == "latest" { a.activityId = b.activityId } else if b.activityId.lowercased() == "latest" { b.activityId = a.activityId }
            return a == b ? .known : .conflict(field: a.available != b.available ? "available" : "activityId, trigger, status or rebootPending")
        default:
            return .conflict(field: "content")
        }
    }

    private static func firstDifference(_ a: Install, _ b: Install) -> String {
        if a.patches != b.patches { return "patches" }
        if a.status != b.status { return "status" }
        if a.rebootStatus != b.rebootStatus { return "rebootStatus" }
        if a.trigger != b.trigger { return "trigger" }
        if a.request != b.request { return "request" }
        return "activityId or maintenanceWindowExceeded"
    }

    /// Whether the event's time is when patchlog observed it (`"timeObserved": true`).
    static func isClockTimed(_ event: Event) -> Bool { event.extra?.contains(#""timeObserved":true"#) == true }
}

/// An event whose id the log already holds with other facts: the same Azure
/// operation or observation, said differently. The one in the log stays.
public struct FactConflict: Sendable, CustomStringConvertible {
    /// The event id.
    public var id: String
    /// The first field that differs.
    public var field: String
    /// The event already in the log.
    public var inLog: Event
    /// The event this payload gave.
    public var imported: Event

    /// Both values, as JSON Lines events without their added members.
    public var description: String {
        "\(id) conflicts with the event already in the log (\(field) differs; the one in the log stays): in the log \(Self.facts(inLog)); this payload \(Self.facts(imported))"
    }

    static func facts(_ event: Event) -> String {
        var bare = event
        bare.extra = nil
        return EventJSONEncoder.encode(bare)
    }
}
