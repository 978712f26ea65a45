import Events
import TextFormats

extension EventSummary {
    /// One event on one line for a person watching the log:
    /// `SEQ  TIME  TYPE  VM  what it says`, control characters shown visibly; the VM
    /// as `names` shows it (by name, as the other tables do), or by its whole id when
    /// `names` is nil.
    public static func line(_ event: Event, sequence: UInt64, names: VMNames? = nil) -> String {
        let vm = event.vm.map { names?.display($0) ?? $0 } ?? "-"
        return "\(sequence)  \(event.time)  \(event.type.name)  \(TextTable.visible(vm))  \(TextTable.visible(EventSummary.describe(event)))\n"
    }
}
