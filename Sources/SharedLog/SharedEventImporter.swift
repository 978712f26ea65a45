import AzureImport
import Events
import JSONLines
import LogStore
import PostgresLog
import EventLog
import SystemIO

/// Imports JSON Lines (events.md) into the shared log in PostgreSQL, all or nothing,
/// with the same records a local import appends: the same binary payloads, KB keys
/// and streams (``HotpatchLog/prepare(_:)``).
///
/// One thread reads, decodes and encodes the lines while the caller stages them in
/// the database; the commit then numbers what is new (``SharedAppend``). Importing
/// the same file again, or a file that overlaps another collector's, appends nothing
/// twice; an id that comes back with other content fails the import and names the
/// line and the sequence that holds the id. As locally, an event whose `source`
/// names a kept Azure payload the shared log does not keep is refused, naming the
/// line and the field: a JSON Lines file brings no payload, and a synced copy would
/// fail `verify`.
public struct SharedEventImporter {
    /// The connection to import over (a primary).
    public let connection: SharedLogConnection
    /// Events per staging statement.
    public var batchSize = 4096

    /// An importer over `connection`.
    public init(connection: SharedLogConnection) { self.connection = connection }

    /// Imports `path` (`-`: standard input).
    public func importFile(_ path: String) throws -> ImportReport {
        let name = path == "-" ? "<stdin>" : path
        let db = connection
        _ = try Blocking.run { try await db.prepareSchema() }
        let append = try Blocking.run { try await db.beginAppend() }
        var lines: [Int] = []
        var report = ImportReport()
        var kept: Set<String> = []
        do {
            func stage(_ batch: Importer.PreparedBatch) throws {
                report.lines = batch.lineCount
                report.bytes = batch.bytesRead
                guard !batch.events.isEmpty else { return }
                try Self.checkSources(batch, known: &kept, connection: db, file: name)
                lines += batch.lines
                let records = batch.events.map { StagedRecord(record: $0.recordAsWritten, fold: $0.streamFold) }
                try Blocking.run { try await append.stage(records) }
            }
            let size = batchSize
            if SystemInfo.processorCount >= 2 {
                try HandOff<Importer.PreparedBatch>.run(producer: { put in try Importer.prepare(path, name: name, batchSize: size, keepDecoded: true, put) },
                                                        consumer: stage)
            } else {
                try Importer.prepare(path, name: name, batchSize: size, keepDecoded: true, stage)
            }
            let result = try Blocking.run { try await append.commit() }
            report.appended = result.appended
            report.duplicates = result.duplicates
            return report
        } catch let SharedLogError.idConflict(index, staged, existing) {
            throw EventInputError(line: lines[index], field: "id", message: Self.conflictMessage(staged, existing), file: name)
        } catch let SharedLogError.idConflictInInput(first, later, id) {
            throw EventInputError(line: lines[later], field: "id",
                                  message: "\"\(id)\" appears earlier in this input (line \(lines[first])) with different content", file: name)
        } catch {
            try? Blocking.run { await append.abort() }
            throw error
        }
    }

    /// Refuses the first event of `batch` whose `source` names a kept payload
    /// (`sha256:…`) that the shared log does not keep; `known` remembers the names
    /// found, so each is asked for once.
    static func checkSources(_ batch: Importer.PreparedBatch, known: inout Set<String>, connection db: SharedLogConnection, file: String) throws {
        var cited: [(index: Int, name: String)] = []
        for (i, event) in batch.decoded.enumerated() where event.extra != nil {
            if let name = RawPayloadStore.sourceName(of: event), RawPayloadStore.isPayloadName(name), !known.contains(name) {
                cited.append((i, name))
            }
        }
        guard !cited.isEmpty else { return }
        let names = Array(Set(cited.map(\.name)))
        known.formUnion(try Blocking.run { try await db.keptPayloads(names) })
        if let (i, name) = cited.first(where: { !known.contains($0.name) }) {
            throw EventInputError(line: batch.lines[i], field: "source",
                                  message: "names the Azure payload \(name), which the shared log does not keep: a JSON Lines event cannot bring a payload (import the payload itself with --from azure, or remove the member)",
                                  file: file)
        }
    }

    /// Names both versions of an id: the sequence that holds it, and both events as
    /// JSON when they decode.
    static func conflictMessage(_ staged: NewRecord, _ existing: StoredRecord) -> String {
        var message = "\"\(staged.id)\" is already in the shared log (sequence \(existing.sequence)) with different content"
        let stagedStored = StoredRecord(sequence: 0, time: staged.time, stream: staged.stream, id: staged.id, payload: staged.payload, keys: staged.keys)
        if let theirs = try? HotpatchLog.event(from: existing), let ours = try? HotpatchLog.event(from: stagedStored) {
            message += ": shared log has \(EventJSONEncoder.encode(theirs)), this input has \(EventJSONEncoder.encode(ours))"
        }
        return message
    }
}
