import AzureImport
import Events
import LogStore
import PostgresLog
import EventLog
import SystemIO

/// `import --from azure --to postgres://…`: the Azure importer run against what the
/// shared log knows, its new events and the payload appended there in one
/// transaction.
///
/// The Azure importer compares each new fact with the log (the VM's state at the
/// snapshot's time, the latest registration, the event an id already names). It runs
/// here against a working copy in memory that holds exactly what those comparisons
/// read: the catalog, every subscription's registrations, the streams of the VMs the
/// payload names and the events with its ids, copied from the shared log in its
/// sequence order. What the importer appends to that copy is then staged and
/// committed as a JSON Lines import is; should another collector append one of these
/// ids with other content in between, the commit fails and appends nothing.
public struct SharedAzureImporter {
    /// The connection to import over (a primary).
    public let connection: SharedLogConnection
    /// Builds the Azure importer for a log and a payload store.
    public let makeImporter: (HotpatchLog, RawPayloadStore) -> AzureImporter
    /// Compare with the shared log, append nothing (``AzureImportReport/wouldAppend``).
    public var dryRun = false

    /// An importer over `connection`; `makeImporter` sets the Azure importer's options.
    public init(connection: SharedLogConnection, makeImporter: @escaping (HotpatchLog, RawPayloadStore) -> AzureImporter) {
        self.connection = connection
        self.makeImporter = makeImporter
    }

    /// Imports `path` (`-`: standard input); the report is the Azure importer's.
    public func importFile(_ path: String) throws -> AzureImportReport {
        let bytes: [UInt8]
        let name = path == "-" ? "<stdin>" : path
        do { bytes = path == "-" ? try AzureImporter.readAll(.standardInput) : try FileSystem.read(path) } catch {
            throw AzureImportError(file: name, message: "cannot be read: \(error)")
        }
        // What the payload holds, found by a dry run against an empty log.
        var probe = makeImporter(HotpatchLog(store: InMemoryLog()), RawPayloadStore(store: InMemoryLog()))
        probe.dryRun = true
        let planned = try probe.importBytes(bytes, name: name).wouldAppend
        let db = connection
        _ = try Blocking.run { try await db.prepareSchema() }
        let folds = Array(Set(planned.compactMap { $0.vm.map { "vm:" + $0.lowercased() } }))
        let ids = planned.map(\.id)
        let known = try Blocking.run {
            try await db.records(streamFolds: folds + [HotpatchLog.catalogStream], streamPrefixes: ["subscription:"], ids: ids)
        }
        let copy = InMemoryLog()
        for r in known { _ = try copy.append(r.unsequenced) }
        let seeded = copy.count
        let sources = RawPayloadStore(store: InMemoryLog())
        var importer = makeImporter(HotpatchLog(store: copy), sources)
        importer.dryRun = dryRun
        var report = try importer.importBytes(bytes, name: name)
        if dryRun { return report }
        let fresh = seeded < copy.count ? try copy.read((seeded + 1)...copy.count) : []
        guard !fresh.isEmpty else { return report }
        let staged = fresh.map { StagedRecord(record: $0.unsequenced, fold: HotpatchLog.fold(ofStream: $0.stream)) }
        let kept = try sources.store.readAll().map(\.unsequenced)
        let append = try Blocking.run { try await db.beginAppend() }
        let result: SharedAppendResult
        do {
            result = try Blocking.run {
                try await append.stage(staged)
                await append.keep(kept)
                return try await append.commit()
            }
        } catch let SharedLogError.idConflict(_, staged, existing) {
            throw AzureImportError(file: name, message: SharedEventImporter.conflictMessage(staged, existing) + " (appended by another collector during this import); nothing was appended")
        } catch {
            try? Blocking.run { await append.abort() }
            throw error
        }
        // Another collector may have appended some of them since the copy was read.
        report.duplicates += fresh.count - result.appended
        report.appended = result.appended
        return report
    }
}
