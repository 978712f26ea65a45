import EventLog
import JSONLines
import LogStore
import Replay

/// The JSON Lines importer's fuzz target: the input is written to a file and
/// imported the way `patchlog import` does (line reader, JSON parser, event
/// validation, `Importer`) into an in-memory log.
///
/// Property: when the import succeeds, its JSON Lines export imports without error
/// into an empty log, with the same number of events, and exports the same text.
enum JSONLImportTarget {
    static let directory = FuzzScratch.directory("jsonl-import")

    static func run(_ bytes: [UInt8]) {
        let input = directory + "/input.jsonl"
        FuzzScratch.write(bytes, to: input)
        let log = HotpatchLog(store: InMemoryLog())
        guard (try? Importer(log: log).importFile(input)) != nil else { return }
        let first = export(log)
        let exported = directory + "/exported.jsonl"
        FuzzScratch.write(Array(first.utf8), to: exported)
        let again = HotpatchLog(store: InMemoryLog())
        do {
            _ = try Importer(log: again).importFile(exported)
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
