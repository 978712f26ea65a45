import LogStore

/// What went wrong with the shared log, in words that name the place.
public enum SharedLogError: Error, Sendable, CustomStringConvertible {
    /// The location is not a `postgres://` URL this client reads.
    case badLocation(String, reason: String)
    /// No host of the location could be reached (or none accepts writes); each host's error.
    case unreachable([String])
    /// The database has no shared log yet (nothing was imported into it).
    case noSharedLog
    /// An id staged at `stagedIndex` is already in the shared log at `existing.sequence`
    /// with other content.
    case idConflict(stagedIndex: Int, staged: NewRecord, existing: StoredRecord)
    /// Two records staged by one import share an id but not their content.
    case idConflictInInput(firstIndex: Int, laterIndex: Int, id: String)
    /// The local log is not a copy of this shared log (another log id, or other records).
    case notACopy(String)
    /// PostgreSQL said no; the statement's purpose and the server's message.
    case server(String, message: String)
    /// The connection to the server (`host:port`) closed before it answered what
    /// was asked (`what`): the server went away, or a deadline gave it up. An
    /// import's outcome is then unknown; running it again is safe.
    case connectionLost(String, what: String)
    /// The server (`host:port`) did not answer within `seconds`; the connection was
    /// given up.
    case noAnswer(String, seconds: Double, what: String)

    /// What went wrong, naming the server, record or id it is about.
    public var description: String {
        switch self {
        case let .badLocation(text, reason): return "\(text): \(reason)"
        case let .unreachable(errors): return "no PostgreSQL server of the location accepted the connection: " + errors.joined(separator: "; ")
        case .noSharedLog: return "the database holds no shared log (import into it first)"
        case let .idConflict(_, staged, existing):
            return "\"\(staged.id)\" is already in the shared log (sequence \(existing.sequence)) with different content"
        case let .idConflictInInput(_, _, id): return "\"\(id)\" appears earlier in this input with different content"
        case let .notACopy(reason): return "the local log is not a copy of this shared log: \(reason)"
        case let .server(what, message): return "PostgreSQL refused to \(what): \(message)"
        case let .connectionLost(host, what): return "\(host): the connection closed before the server answered (\(what))"
        case let .noAnswer(host, seconds, what):
            return "\(host): no answer within \(SharedLogConnection.seconds(seconds)) (\(what)); the connection was given up"
        }
    }
}
