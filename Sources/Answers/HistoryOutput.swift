import Events
import Replay
import TextFormats

/// One line of a VM's timeline (`patchlog history`).
public struct HistoryEntry: Sendable {
    /// The event's sequence number.
    public let sequence: UInt64
    /// The event.
    public let event: Event
    /// Whether an event with a later time was appended before it (a late backlog).
    public let late: Bool
}

extension QueryOutput {
    // MARK: history

    /// The timeline of `events` (one VM's, in fold order, as
    /// ``Replayer/events(ofVM:at:asRecorded:)`` gives them), from `since` on. An event is
    /// late if an event of the VM with a later time was appended before it.
    public static func history(_ events: [(sequence: UInt64, event: Event)], since: Timestamp?) -> [HistoryEntry] {
        var late: Set<UInt64> = []
        var latest = Timestamp(nanoseconds: .min)
        for (seq, event) in events.sorted(by: { $0.sequence < $1.sequence }) {
            if event.time < latest { late.insert(seq) }
            latest = max(latest, event.time)
        }
        return events.filter { e in since.map { e.event.time >= $0 } ?? true }
            .map { HistoryEntry(sequence: $0.sequence, event: $0.event, late: late.contains($0.sequence)) }
    }

    /// `patchlog history --format json`: `{vm, since, until, events: [{sequence, time,
    /// type, late, summary}]}` (docs/events.md).
    public static func historyJSON(vm: String, since: Timestamp?, until: Timestamp?, _ entries: [HistoryEntry]) -> String {
        var j = JSONText()
        j.beginObject()
        j.member("vm", vm)
        j.member("since", since?.description)
        j.member("until", until?.description)
        j.key("events")
        j.beginArray()
        for e in entries {
            j.beginObject()
            j.key("sequence")
            j.number(e.sequence)
            j.member("time", e.event.time.description)
            j.member("type", e.event.type.name)
            j.member("late", e.late)
            j.member("summary", EventSummary.describe(e.event))
            j.endObject()
        }
        j.endArray()
        j.endObject()
        return j.string
    }

    /// `patchlog history` for a person; the VM as `names` shows it.
    public static func historyTable(vm: String, _ entries: [HistoryEntry], names: VMNames? = nil) -> String {
        var table = TextTable(["time", "seq", "event"])
        for e in entries {
            table.add([e.event.time.description, String(e.sequence) + (e.late ? " late" : ""), EventSummary.describe(e.event)])
        }
        return "history of \(TextTable.visible(names?.display(vm) ?? vm))\n\n" + (table.rows.isEmpty ? "no events in that period\n" : table.text)
    }
}
