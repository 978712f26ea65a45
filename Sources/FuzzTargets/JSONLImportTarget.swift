import EventLog
import JSONLines
import LogStore
import Replay

/// The JSON Lines importer's fuzz target: the input is imported the way `patchlog
/// import` imports a file (line splitting, JSON parser, event validation, the
/// all-or-nothing transaction of `Importer`), from memory into an in-memory log.
///
/// In memory, because reading a file and the store's disk format are not what this
/// target decodes: `Importer.importBytes` runs the same code after the file is read
/// (only the thread that overlaps reading with appending is left out), and
/// `InMemoryLog` checks records and id conflicts as `FileLog` does (both through
/// `LogStore`'s checks). The record-reader target fuzzes what `FileLog` decodes.
///
/// Batches are of ``batchSize`` events, not the CLI's 4096: an input of more events
/// is appended in several batches, so that a bad line or id conflict in a later batch
/// must take back the earlier ones (the all-or-nothing logic), and the batch buffers
/// the importer reserves stay small.
///
/// Property: when the import succeeds, its JSON Lines export imports without error
/// into an empty log, with the same number of events, and exports the same text.
enum JSONLImportTarget {
    /// Events per append in this target.
    static let batchSize = 16

    static func importer(_ log: HotpatchLog) -> Importer {
        var importer = Importer(log: log)
        importer.batchSize = batchSize
        return importer
    }

    static func run(_ bytes: [UInt8]) {
        let log = HotpatchLog(store: InMemoryLog())
        guard (try? importer(log).importBytes(bytes, name: "fuzz.jsonl")) != nil else { return }
        let first = export(log)
        let again = HotpatchLog(store: InMemoryLog())
        do {
            _ = try importer(again).importBytes(Array(first.utf8), name: "exported.jsonl")
        } catch {
            preconditionFailure("the export of an import does not import: \(error)\n\(first)")
        }
        precondition(again.store.count == log.store.count, "re-import has \(again.store.count) events, not \(log.store.count)")
        let second = export(again)
        precondition(second == first, "export, import, export changes the text:\n\(first)\n---\n\(second)")
    }

    static func export(_ log: HotpatchLog) -> String {
        var text = ""
        do {
            try Exporter(log: log).export(format: .jsonl, filter: ExportFilter()) { text += $0 }
        } catch {
            preconditionFailure("an imported log does not export: \(error)")
        }
        return text
    }
}
