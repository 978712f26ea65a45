import ArgumentParser
import Dispatch
import Server
import SystemIO

extension Patchlog {
    /// `patchlog serve`: the log's answers over HTTP.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Answer over HTTP: state, when, fleet, findings, exposure, events (streamed, followed), export.",
            discussion: """
                Read-only by default: it never takes the writer lock, so imports go on while it \
                serves, and it shows only committed events (never those of an import later taken \
                back). JSON answers are byte for byte the commands' --format json output; GET / and \
                GET /vm?vm=V are patchlog report's pages. Errors are RFC 9457 problem details naming \
                the parameter. The endpoints: GET /v1/openapi.json.

                With --accept-appends --token-file F, POST /v1/events appends JSON Lines (or one \
                Azure payload with ?from=azure) as patchlog import does, for a client that sends \
                Authorization: Bearer followed by the token in F; the writer lock is taken for each \
                append only.
                """)

        @OptionGroup var options: ReplayOptions

        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "The port to listen on (0: any free port).") var port = 8080
        @Flag(name: .customLong("accept-appends"), help: "Take POST /v1/events (needs --token-file).") var acceptAppends = false
        @Option(name: .customLong("token-file"), help: ArgumentHelp("The file holding the bearer token POST /v1/events needs (one line, at least 16 characters).", valueName: "file"))
        var tokenFile: String?
        @Option(name: .customLong("max-body-mb"), parsing: .unconditional, help: "The largest request body POST /v1/events takes, in MiB.") var maxBodyMB = 64

        func validate() throws {
            if !(0...65535).contains(port) { throw ValidationError("--port \(port) is not a port: expected 0...65535") }
            if host.isEmpty { throw ValidationError("--host is empty: expected an address such as 127.0.0.1") }
            if acceptAppends && tokenFile == nil { throw ValidationError("--accept-appends needs --token-file F: appends are taken only with a bearer token") }
            if tokenFile != nil && !acceptAppends { throw ValidationError("--token-file goes with --accept-appends") }
            if !(1...4096).contains(maxBodyMB) { throw ValidationError("--max-body-mb \(maxBodyMB): expected 1...4096") }
        }

        func run() throws {
            let settings = ServerSettings(directory: options.location.directory, host: host, port: port,
                                          supportedImages: try options.supportedImagesFile.map { try options.supportedImages(fromFile: $0) },
                                          appendToken: try tokenFile.map(Self.readToken), maxBodyBytes: maxBodyMB << 20)
            let server = try PatchlogServer(settings: settings)
            let outcome = ServeOutcome()
            let directory = settings.directory
            let host = self.host
            Task {
                do {
                    try await server.run { port in Terminal.note("serving \(directory) on http://\(host):\(port)") }
                } catch {
                    outcome.failure = error
                }
                outcome.done.signal()
            }
            outcome.done.wait()
            if let failure = outcome.failure { throw CommandFailure("serve: \(failure)") }
        }
    }
}

extension Patchlog.Serve {
    /// The token in `path`: its first line, without spaces at either end; at least 16
    /// characters, so that it cannot be guessed in the time a server runs.
    static func readToken(_ path: String) throws -> String {
        guard let bytes = try? FileSystem.read(path) else { throw CommandFailure("--token-file \(path) cannot be read") }
        let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        var token = Substring(line)
        while let c = token.first, c == " " || c == "\t" { token.removeFirst() }
        while let c = token.last, c == " " || c == "\t" || c == "\r" { token.removeLast() }
        guard token.count >= 16 else { throw CommandFailure("--token-file \(path): the token is \(token.count) characters; give at least 16 (e.g. head -c 24 /dev/urandom | base64)") }
        guard token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { throw CommandFailure("--token-file \(path): the token must be printable ASCII without spaces") }
        return String(token)
    }
}

/// How the server task ended, for the command's thread.
private final class ServeOutcome: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var failure: (any Error)?
}
