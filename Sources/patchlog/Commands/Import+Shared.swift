import ArgumentParser
import AzureImport
import JSONLines
import PostgresLog
import SharedLog
import SystemIO

extension Patchlog.Import {
    /// `import --to postgres://…`: the same import, into the shared log.
    func runShared(_ url: String) throws {
        let location = try SharedLogLocation(url, environment: SharedLogEnvironment.current)
        let db = try server.connect(location, forWriting: !dryRun)
        defer { try? Blocking.run { await db.close() } }
        let name = file == "-" ? "standard input" : file
        let started = wallClockNanoseconds()
        if from == .azure {
            var importer = SharedAzureImporter(connection: db) { log, sources in self.importer(log, sources) }
            importer.dryRun = dryRun
            let report = try importer.importFile(file)
            printItems(report, name)
            if dryRun {
                for event in report.wouldAppend { print("  would append: \(EventJSONEncoder.encode(event))") }
                print("dry run of \(name) from Azure into \(location): \(report.items.count) items in, \(report.rejected.count) rejected; \(report.wouldAppend.count) events would be appended; the shared log was not changed")
            } else {
                print("imported \(name) from Azure into \(location): \(report.items.count) items in, \(report.rejected.count) rejected; \(report.appended) events appended, \(report.duplicates + report.alreadyKnown.count) already in the log\(report.conflicts.isEmpty ? "" : ", \(report.conflicts.count) in conflict")\(report.source.map { "; payload kept as \($0)" } ?? "")")
            }
            if !report.rejected.isEmpty { throw ExitCode(1) }
            return
        }
        let report = try SharedEventImporter(connection: db).importFile(file)
        let seconds = Double(wallClockNanoseconds() - started) / 1e9
        print("imported \(name) into \(location): \(Terminal.grouped(report.lines)) lines, \(Terminal.grouped(report.appended)) events appended, \(Terminal.grouped(report.duplicates)) already in the log (\(Terminal.fixed(seconds, 1)) s)")
    }
}
