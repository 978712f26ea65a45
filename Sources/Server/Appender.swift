import AzureImport
import Dispatch
import EventLog
import Hummingbird
import Events
import JSONLines
import LogStore
import SystemIO
import TextFormats

/// What `POST /v1/events` appends with: the writer lock is taken for each request
/// and released when it is done, so the server holds it only while it appends and
/// command-line imports go on between requests (one that arrives while an import
/// holds the lock is a 409 with `Retry-After`). Requests are appended one at a time,
/// on a thread of their own, never on the server's event loop.
final class Appender: Sendable {
    let directory: String
    private let queue = DispatchQueue(label: "patchlog-append")

    init(directory: String) {
        self.directory = directory
    }

    /// Appends the JSON Lines in `body`, all or nothing as `patchlog import` does;
    /// the answer is `{lines, appended, duplicates, sequences}` (each event's sequence
    /// number, in body order).
    func appendLines(_ body: [UInt8]) async throws -> String {
        try await run { store in
            var importer = Importer(log: HotpatchLog(store: store))
            importer.vet = try RawPayloadStore.sourceCheck(logDirectory: self.directory)
            importer.collectSequences = true
            let report: ImportReport
            do { report = try importer.importBytes(body, name: "request body") } catch let error as EventInputError {
                throw Problem(.unprocessableContent, "\(error); nothing was appended")
            }
            var j = JSONText()
            j.beginObject()
            j.key("lines"); j.number(report.lines)
            j.key("appended"); j.number(report.appended)
            j.key("duplicates"); j.number(report.duplicates)
            j.key("sequences"); j.beginArray(); for s in report.sequences { j.number(s) }; j.endArray()
            j.endObject()
            return j.string + "\n"
        }
    }

    /// Imports one Azure payload in `body` as `patchlog import --from azure` does (the
    /// items that convert go in, each that does not is listed; the payload is kept);
    /// the answer lists them with the appended events' sequence numbers.
    func appendAzure(_ body: [UInt8]) async throws -> String {
        try await run { store in
            let before = store.count
            let report: AzureImportReport
            do {
                report = try RawPayloadStore.withWriter(logDirectory: self.directory) { sources in
                    try AzureImporter(log: HotpatchLog(store: store), sources: sources,
                                      observedAt: Timestamp(nanoseconds: wallClockNanoseconds()), vm: nil).importBytes(body, name: "request body")
                }
            } catch let error as AzureImportError {
                throw Problem(.unprocessableContent, "\(error); nothing was appended")
            }
            var j = JSONText()
            j.beginObject()
            j.member("source", report.source)
            j.key("items")
            j.beginArray()
            for item in report.items {
                j.beginObject()
                j.member("label", item.label)
                j.member("events", strings: item.eventIDs)
                j.endObject()
            }
            j.endArray()
            j.member("rejected", strings: report.rejected.map(\.description))
            j.member("conflicts", strings: report.conflicts.map(\.description))
            j.member("notes", strings: report.notes)
            j.key("appended"); j.number(report.appended)
            j.key("duplicates"); j.number(report.duplicates)
            j.key("alreadyKnown"); j.number(report.alreadyKnown.count)
            j.key("sequences"); j.beginArray(); for s in Swift.max(before, 0) ..< store.count { j.number(s + 1) }; j.endArray()
            j.endObject()
            return j.string + "\n"
        }
    }

    /// Opens the log as the writer, runs `body`, closes it (releasing the lock), on
    /// the appender's thread.
    private func run(_ body: @escaping @Sendable (FileLog) throws -> String) async throws -> String {
        let directory = self.directory
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let store: FileLog
                    do { store = try FileLog.open(at: directory, access: .writer) } catch let LogError.locked(_, pid) {
                        throw Problem(.conflict, "another writer\(pid.map { " (process \($0))" } ?? "") is appending to the log; try again when it is done",
                                      headers: [.retryAfter: "1"])
                    }
                    defer { try? store.finish() }
                    return try body(store)
                })
            }
        }
    }
}
