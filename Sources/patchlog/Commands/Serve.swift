import ArgumentParser
import Dispatch
import Server

extension Patchlog {
    /// `patchlog serve`: the log's answers over HTTP.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Answer over HTTP: state, when, fleet, findings, exposure, events (streamed, followed), export.",
            discussion: """
                Read-only: it never takes the writer lock, so imports go on while it serves, and it \
                shows only committed events (never those of an import later taken back). JSON \
                answers are byte for byte the commands' --format json output. Errors are RFC 9457 \
                problem details naming the parameter. The endpoints: GET /v1/openapi.json.
                """)

        @OptionGroup var options: ReplayOptions

        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "The port to listen on (0: any free port).") var port = 8080

        func validate() throws {
            if !(0...65535).contains(port) { throw ValidationError("--port \(port) is not a port: expected 0...65535") }
            if host.isEmpty { throw ValidationError("--host is empty: expected an address such as 127.0.0.1") }
        }

        func run() throws {
            let settings = ServerSettings(directory: options.location.directory, host: host, port: port,
                                          supportedImages: try options.supportedImagesFile.map { try options.supportedImages(fromFile: $0) })
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

/// How the server task ended, for the command's thread.
private final class ServeOutcome: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var failure: (any Error)?
}
