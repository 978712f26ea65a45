// patchlog-collector: one collector of tools/failover-trial and of the shared-log
// benchmarks. Appends COUNT generated events to the shared log in batches, one
// transaction each, retrying a batch through the location's hosts until it is
// acknowledged (its commit returned) or the retry time runs out, and writes one line
// per acknowledged batch to the acknowledgement file:
//
//   <wall-clock ns> <first index> <last index> <host:port>
//
//   patchlog-collector --to URL --name NAME --count N --batch B [--ack FILE] [--retry-seconds S] [--start I]
//   patchlog-collector --to URL --compare DIR    (the local log in DIR equals the shared log?)
//
// Last line on standard output: `NAME: acknowledged A events in S s (E events/s), R retries`.
#if canImport(Glibc)
import Glibc
#endif
import PostgresLog
import SystemIO

/// The command line, parsed by hand (a tool of the trial and the benchmarks).
struct Options {
    var url = ""
    var name = "c1"
    var count = 1000
    var batch = 100
    var ack: String?
    var retrySeconds = 60.0
    var start = 0
    var compare: String?

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--to": url = value()
            case "--name": name = value()
            case "--count": count = Int(value()) ?? 0
            case "--batch": batch = max(1, Int(value()) ?? 1)
            case "--ack": ack = value()
            case "--retry-seconds": retrySeconds = Double(value()) ?? 60
            case "--start": start = Int(value()) ?? 0
            case "--compare": compare = value()
            default: fail("unknown option \(args[i])")
            }
            i += 1
        }
        if url.isEmpty { fail("--to URL is required") }
    }
}

/// Says what is wrong with the command line and exits 64.
func fail(_ message: String) -> Never {
    try? SystemFile.standardError.writeNext(Array("patchlog-collector: \(message)\n".utf8))
    exit(64)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let location: SharedLogLocation
do { location = try SharedLogLocation(options.url) } catch { fail("\(error)") }
if let dir = options.compare {
    do {
        let (count, problem) = try await CopyCheck.difference(directory: dir, location: location)
        if let problem { print("copy \(dir) differs from the shared log: \(problem)"); exit(1) }
        print("copy \(dir) equals the shared log: \(count) records")
        exit(0)
    } catch { fail("\(error)") }
}
let ackFile = try options.ack.map { try SystemFile.open($0, access: .readWrite, create: true) }

/// One batch, retried until acknowledged; returns the retries it took.
///
/// An attempt fails as soon as its connection closes (the server was killed) and
/// after 10 s without an answer (a server that vanished without a word); its outcome
/// is then unknown, and retrying is safe: an event already in the shared log is
/// appended again as nothing.
func appendBatch(_ range: Range<Int>, _ db: inout SharedLogConnection?) async throws -> (retries: Int, host: String) {
    let records = range.map { CollectorEvents.staged(options.name, $0) }
    let deadline = wallClockNanoseconds() + Int64(options.retrySeconds * 1e9)
    var retries = 0
    while true {
        do {
            if db == nil {
                db = try await SharedLogConnection.connect(location, forWriting: true, timeout: 2, answerTimeout: 10)
                _ = try await db!.prepareSchema()
            }
            let current = db!
            let append = try await current.beginAppend()
            try await append.stage(records)
            _ = try await append.commit()
            return (retries, "\(current.host.name):\(current.host.port)")
        } catch {
            db?.closeInBackground()
            db = nil
            retries += 1
            guard wallClockNanoseconds() < deadline else { throw error }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// Appends every batch in turn; exits 0 when all were acknowledged.
@MainActor func collect() async -> Never {
    let started = wallClockNanoseconds()
    var db: SharedLogConnection?
    var acknowledged = 0, retries = 0
    var next = options.start
    let end = options.start + options.count
    do {
        while next < end {
            let range = next..<min(end, next + options.batch)
            let (r, host) = try await appendBatch(range, &db)
            retries += r
            acknowledged += range.count
            if let ackFile {
                try ackFile.writeNext(Array("\(wallClockNanoseconds()) \(range.lowerBound) \(range.upperBound - 1) \(host)\n".utf8))
            }
            next = range.upperBound
        }
    } catch {
        try? SystemFile.standardError.writeNext(Array("patchlog-collector: \(options.name): gave up at event \(next): \(error)\n".utf8))
    }
    if let db { await db.close() }
    let seconds = Double(wallClockNanoseconds() - started) / 1e9
    let rate = Int(Double(acknowledged) / max(seconds, 1e-9))
    print("\(options.name): acknowledged \(acknowledged) events in \(seconds) s (\(rate) events/s), \(retries) retries")
    exit(next < end ? 1 : 0)
}

await collect()
