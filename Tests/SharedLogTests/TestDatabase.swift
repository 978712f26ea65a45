import Foundation
import PostgresLog
import Testing
import TestSupport

/// A throwaway PostgreSQL 15 for the whole test run (tools/pg-scratch), stopped by its
/// watchdog when the test process exits, and a new database in it for each test.
enum TestDatabase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The server's URL, or why there is none.
    static let server: Result<String, ServerError> = start()

    struct ServerError: Error, CustomStringConvertible { let description: String }

    /// Whether the tests that need PostgreSQL can run.
    static var available: Bool { (try? server.get()) != nil }

    /// Starts the server (installing PostgreSQL 15 if it is missing and can be).
    private static func start() -> Result<String, ServerError> {
        if let given = ProcessInfo.processInfo.environment["PATCHLOG_TEST_POSTGRES"], !given.isEmpty { return .success(given) }
        let dir = NSTemporaryDirectory() + "patchlog-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        // system(3), not Process: the script leaves a watchdog and a server running,
        // and Foundation's Process has been seen waiting for them here.
        let status = system("'\(root)/tools/pg-scratch' start '\(dir)' --owner \(getpid()) -- '-c fsync=off' >'\(dir).url' 2>'\(dir).err' </dev/null")
        let out = (try? String(contentsOfFile: dir + ".url", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: dir + ".err", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: dir + ".url")
        try? FileManager.default.removeItem(atPath: dir + ".err")
        let exit = (status >> 8) & 0xFF
        guard status == 0, let url = out.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
            let why = exit == 2 ? "PostgreSQL 15 cannot be installed here" : "PostgreSQL 15 did not start"
            return .failure(ServerError(description: "\(why): \(err.trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
        return .success(url)
    }

    /// A new, empty database on the server, for one test.
    static func fresh() async throws -> SharedLogLocation {
        let url = try server.get()
        var location = try SharedLogLocation(url)
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await SharedLogConnection.connect(location, forWriting: true)
        try await admin.execute("CREATE DATABASE \(name)")
        await admin.close()
        location.database = name
        return location
    }

    /// The message a skipped test gives.
    static var skipReason: Comment {
        if case let .failure(e) = server { return Comment(rawValue: "skipped: \(e.description)") }
        return ""
    }
}

/// Runs a program and collects what it printed.
enum Shell {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ program: String, _ args: [String], environment: [String: String] = [:]) -> Run {
        do {
            let r = try ProcessRun.run(program, args, environment: environment)
            return Run(status: r.status, stdout: r.text, stderr: r.stderr)
        } catch {
            return Run(status: 127, stdout: "", stderr: "\(program): \(error)")
        }
    }

    /// The built `patchlog` beside the test bundle.
    static var patchlog: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("patchlog").path
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "patchlog-shared-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs blocking code (which waits on tasks itself, through `Blocking.run`) on a
/// thread of its own, never on one of the few threads tasks run on.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
