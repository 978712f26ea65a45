import Foundation
import SystemIO

/// A program run to its end by a test, and what it printed: one runner for the CLI,
/// server and shared-log tests.
public struct ProcessRun: Sendable {
    /// The exit status.
    public let status: Int32
    /// Standard output, as bytes (the server tests compare them exactly).
    public let stdout: Data
    /// Standard error, as text.
    public let stderr: String

    /// Standard output as text.
    public var text: String { String(decoding: stdout, as: UTF8.self) }

    /// Runs `program` with `args`, in `cwd` when given, with the environment of the
    /// tests minus `PATCHLOG_DIR` (a test names its log) plus `environment`, and
    /// waits for it. Throws when the program cannot be started.
    public static func run(_ program: String, _ args: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> ProcessRun {
        var env = ProcessInfo.processInfo.environment
        env["PATCHLOG_DIR"] = nil
        for (k, v) in environment { env[k] = v }
        let r = try ChildProcess.run(program, args, environment: env, directory: cwd)
        return ProcessRun(status: r.status, stdout: Data(r.stdout), stderr: String(decoding: r.stderr, as: UTF8.self))
    }
}
