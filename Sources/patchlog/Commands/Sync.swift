import ArgumentParser
import AzureImport
import Events
import LogStore
import PostgresLog
import SystemIO

extension Patchlog {
    /// `patchlog sync --from postgres://… --log DIR [--follow]`.
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Copy the shared log in PostgreSQL into a local log, incrementally.",
            discussion: """
                Appends to the local log (made if missing, with the shared log's id) every record \
                of the shared log it lacks, in the shared log's sequence order, up to the high-water \
                mark (every record below it is committed), and the kept Azure payloads to its \
                sources/. Record N of the copy is record N of the shared log, so every query, \
                verify, checkpoint and proof works on the copy, and a checkpoint of one copy \
                verifies against any other copy of the same records. --follow keeps copying as \
                collectors append (woken by LISTEN/NOTIFY) until stopped: SIGINT (Ctrl-C) or SIGTERM \
                lets the page being copied finish, closes the log and exits 0. See docs/scale-out.md.
                """)

        @Option(help: ArgumentHelp("The shared log: postgres://[user@]host[:port][,host[:port]…]/database.", valueName: "url"))
        var from: String

        @Flag(help: "Keep copying as the shared log grows, until stopped (Ctrl-C).")
        var follow = false

        @OptionGroup var server: ServerTimeout
        @OptionGroup var location: LogLocation
        @OptionGroup var write: WriteOptions

        func run() throws {
            let shared = try SharedLogLocation(from, environment: SharedLogEnvironment.current)
            let follower = follow ? SharedLogFollower(location: shared) : nil
            let stop = follower.map { f in StopRequest { f.wake() } }
            var db = try server.connect(shared, forWriting: false)
            defer { try? Blocking.run { [db] in await db.close() } }
            var sync = SharedLogSync(connection: db)
            sync.randomBytes = { EventCodec.randomBytes($0) }
            let log = try sync.openCopy(at: location.directory, options: write.logOptions)
            defer { LogLocation.finish(log) }
            let sourcesDirectory = RawPayloadStore.path(logDirectory: location.directory)
            var sources: FileLog? = FileLog.exists(at: sourcesDirectory) ? try FileLog.open(at: sourcesDirectory) : nil
            defer { if let sources { LogLocation.finish(sources) } }
            let started = wallClockNanoseconds()
            var total = SyncReport()
            while true {
                do {
                    if sources == nil, try Blocking.run({ [db] in try await db.sources(after: 0, limit: 1) }).isEmpty == false {
                        sources = try FileLog.create(at: sourcesDirectory)
                    }
                    let report = try sync.sync(into: log, sources: sources)
                    total.appended += report.appended
                    total.sourcesAppended += report.sourcesAppended
                    total.count = report.count
                    if follow && report.appended > 0 {
                        // Written at once (not buffered), so that whoever watches a follower sees it.
                        try? SystemFile.standardOutput.writeNext(Array("synced to \(report.count) (\(report.appended) new)\n".utf8))
                    }
                } catch let error as SharedLogError {
                    switch error {
                    case .server, .connectionLost, .noAnswer: guard follow else { throw error }
                    default: throw error
                    }
                    // Lost the server (a failover): find one again.
                    Terminal.note("\(error); reconnecting")
                    follower?.wait(seconds: 1)
                    if stop?.isRequested == true { break }
                    if let again = try? server.connect(shared, forWriting: false) {
                        try? Blocking.run { [db] in await db.close() }
                        db = again
                        sync = SharedLogSync(connection: db)
                        sync.randomBytes = { EventCodec.randomBytes($0) }
                    }
                    continue
                }
                if !follow || stop?.isRequested == true { break }
                follower?.wait(seconds: 30)
                if stop?.isRequested == true { break }
            }
            follower?.stop()
            let seconds = Double(wallClockNanoseconds() - started) / 1e9
            print("synced \(location.directory) from \(shared): \(Terminal.grouped(total.appended)) records appended, \(Terminal.grouped(total.sourcesAppended)) kept payload parts, \(Terminal.grouped(Int(log.count))) in all (\(Terminal.fixed(seconds, 1)) s)")
        }
    }
}
