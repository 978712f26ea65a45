import Events
import LogStore
import Replay

/// What an import did.
public struct ImportReport: Sendable, Equatable {
    /// Lines read, blank ones included.
    public var lines = 0
    /// Events appended.
    public var appended = 0
    /// Events whose id was already in the log with the same content (or earlier in
    /// the file): nothing was appended for them.
    public var duplicates = 0
    /// Bytes read.
    public var bytes = 0
}

/// Imports JSON Lines (events.md) into a log, all or nothing: every line is checked
/// and appended in batches inside one transaction, and the first bad line (or id
/// conflict) takes back everything this import appended, so the log is as it was
/// before. Until it commits, readers see none of it (``LogStore/transaction(_:)``),
/// and a writer opening the log after a crash in the middle takes it back; importing
/// the file again appends only what is missing, since re-imported events are no-ops.
public struct Importer {
    /// The log to append to.
    public let log: HotpatchLog
    /// Events per append call.
    public var batchSize = 4096
    /// A check of each event beyond events.md, made before anything is appended: the
    /// field at fault and why, or nil when the event may go in. The CLI refuses an
    /// event whose `source` names a kept Azure payload the log does not keep (a JSON
    /// Lines file brings no payload, and such a claim would make `verify` fail).
    public var vet: ((Event) throws -> (field: String, message: String)?)?

    /// An importer into `log`.
    public init(log: HotpatchLog) { self.log = log }

    /// Imports `path` (`-` for standard input). `progress` is called now and then
    /// with the report so far.
    public func importFile(_ path: String, progress: ((ImportReport) -> Void)? = nil) throws -> ImportReport {
        let reader = try LineReader(path: path)
        let name = path == "-" ? "<stdin>" : path
        let decoder = EventJSONDecoder()
        var report = ImportReport()
        let countBefore = log.store.count
        var batch: [Event] = []
        var batchLines: [Int] = []
        batch.reserveCapacity(batchSize)

        func flush() throws {
            guard !batch.isEmpty else { return }
            do {
                for outcome in try log.append(batch) {
                    if case .appended = outcome { report.appended += 1 } else { report.duplicates += 1 }
                }
            } catch let LogError.idConflict(id, existing) {
                // Against the log: the first line with that id; within this input: the last.
                let inInput = existing > countBefore
                let index = inInput ? batch.lastIndex { $0.id == id } : batch.firstIndex { $0.id == id }
                let line = batchLines[index ?? 0]
                let message = inInput
                    ? "\"\(id)\" appears earlier in this input with different content"
                    : "\"\(id)\" is already in the log (sequence \(existing)) with different content"
                throw EventInputError(line: line, field: "id", message: message, file: name)
            } catch let LogError.invalidRecord(index, reason) {
                throw EventInputError(line: batchLines[index], field: nil, message: reason, file: name)
            }
            batch.removeAll(keepingCapacity: true)
            batchLines.removeAll(keepingCapacity: true)
            report.bytes = reader.bytesRead
            progress?(report)
        }

        try log.store.transaction {
            while let range = try reader.next() {
                report.lines = reader.lineNumber
                let buffer = reader.lineBuffer
                if buffer[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                do {
                    let event = try decoder.decode(buffer, range: range)
                    if let vet, let (field, message) = try vet(event) {
                        throw EventInputError(field: field, message: message)
                    }
                    batch.append(event)
                } catch let failure as EventInputError {
                    var error = failure
                    error.line = reader.lineNumber
                    error.file = name
                    throw error
                }
                batchLines.append(reader.lineNumber)
                if batch.count >= batchSize { try flush() }
            }
            try flush()
        }
        report.bytes = reader.bytesRead
        return report
    }
}
