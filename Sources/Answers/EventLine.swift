import Events
import TextFormats

extension EventSummary {
    /// One event on one line for a person watching the log:
    /// `SEQ  TIME  TYPE  VM  what it says`, control characters shown visibly.
    public static func line(_ event: Event, sequence: UInt64) -> String {
        "\(sequence)  \(event.time)  \(event.type.name)  \(TextTable.visible(event.vm ?? "-"))  \(TextTable.visible(EventSummary.describe(event)))\n"
    }
}
