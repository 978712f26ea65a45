import Foundation
import Server
import Testing
import TestSupport

/// A log built with the real `patchlog` binary, and a server on a free loopback port
/// over it, in this process.
final class ServerFixture: @unchecked Sendable {
    let dir: String
    let log: String
    let files: [String]
    let server: PatchlogServer
    let port: Int
    private let task: Task<Void, any Error>

    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("patchlog").path
    }

    struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `body` on a thread of its own: the tests' blocking socket and process
    /// calls must not hold the few threads of the pool the server's tasks run on.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try body() }) }.start() }
    }

    @discardableResult
    static func patchlog(_ args: [String]) async throws -> Run {
        try await offPool { try runPatchlog(args) }
    }

    static func runPatchlog(_ args: [String]) throws -> Run {
        let r = try ProcessRun.run(binary, args)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// A simulated fleet split in three files; the first imported.
    init(vms: Int = 6, months: Int = 3, appendToken: String? = nil, maxBodyBytes: Int = 64 << 20) async throws {
        dir = NSTemporaryDirectory() + "patchlog-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let all = dir + "/all.jsonl"
        #expect(try Self.runPatchlog(["simulate", "--vms", "\(vms)", "--months", "\(months)", "--seed", "11", "--out", all]).status == 0)
        let lines = try String(contentsOfFile: all, encoding: .utf8).split(separator: "\n")
        var files: [String] = []
        let cuts = [0, lines.count / 2, lines.count * 3 / 4, lines.count]
        for i in 0..<3 {
            let path = dir + "/part\(i).jsonl"
            try (lines[cuts[i]..<cuts[i + 1]].joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        self.files = files
        log = dir + "/log"
        #expect(try Self.runPatchlog(["init", "--log", log]).status == 0)
        #expect(try Self.runPatchlog(["import", "--log", log, files[0]]).status == 0)
        let server = try PatchlogServer(settings: ServerSettings(directory: log, port: 0, appendToken: appendToken, maxBodyBytes: maxBodyBytes))
        self.server = server
        let ready = AsyncStream<Int>.makeStream()
        task = Task { try await server.run { port in ready.continuation.yield(port) } }
        var it = ready.stream.makeAsyncIterator()
        port = await it.next() ?? 0
    }

    func get(_ target: String, headers: [String: String] = [:]) async throws -> HTTPResponse {
        let port = self.port
        return try await Self.offPool { try LoopbackConnection.request(port, "GET", target, headers: headers) }
    }

    func post(_ target: String, headers: [String: String] = [:], body: Data) async throws -> HTTPResponse {
        let port = self.port
        return try await Self.offPool { try LoopbackConnection.request(port, "POST", target, headers: headers, body: body) }
    }

    /// The query string for these parameters, escaped.
    static func query(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    func stop() {
        task.cancel()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
