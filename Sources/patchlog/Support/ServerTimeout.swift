import ArgumentParser
import PostgresLog

/// `--timeout SECONDS`: how long a command that talks to the shared log waits for
/// the PostgreSQL server before it fails, naming the server.
struct ServerTimeout: ParsableArguments {
    @Option(help: ArgumentHelp("""
        With a postgres:// location: seconds to wait for the server, for each host's connection and log-in and for each \
        answer (an import's commit numbers all its events in one statement: raise it for imports of millions of events); \
        then the command fails, naming the server.
        """, valueName: "seconds"))
    var timeout: Double = 60

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout: expected a number of seconds above 0, got \(timeout)") }
    }

    /// Connects to `location` with this timeout for the connection and each answer.
    func connect(_ location: SharedLogLocation, forWriting: Bool) throws -> SharedLogConnection {
        let seconds = timeout
        return try Blocking.run { try await SharedLogConnection.connect(location, forWriting: forWriting, timeout: seconds, answerTimeout: seconds) }
    }
}
