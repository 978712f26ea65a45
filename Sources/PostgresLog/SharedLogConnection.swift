import LogStore
import PostgresNIO
import Synchronization
import SystemIO

/// The identity of a shared log: a random id made with its tables, which every
/// synced copy takes as its own log id, so that a checkpoint of one copy names the
/// log every other copy is.
public struct SharedLogIdentity: Sendable, Equatable {
    /// 16 random bytes.
    public var logID: [UInt8]
    /// When the tables were made, in nanoseconds since 1970.
    public var created: Int64
}

/// One connection to the server holding the shared log.
///
/// ```swift
/// let db = try await SharedLogConnection.connect(location, forWriting: true)
/// let identity = try await db.prepareSchema()
/// let append = try await db.beginAppend()
/// ```
///
/// Reads never go past the high-water mark (``highWaterMark()``): every sequence
/// number at or below it is committed, so a reader that has read up to it has
/// missed nothing (docs/scale-out.md, "Sequence numbers").
public final class SharedLogConnection: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// The server this connection reached.
    public let host: SharedLogLocation.Host
    /// Seconds any one statement may wait for the server's answer; then the
    /// connection is given up (closed) and the statement fails, naming the server.
    public let answerTimeout: Double
    /// Whether this connection's staging table exists.
    private let stagingReady = Mutex(false)

    private init(connection: PostgresConnection, logger: Logger, host: SharedLogLocation.Host, answerTimeout: Double) {
        self.connection = connection
        self.logger = logger
        self.host = host
        self.answerTimeout = answerTimeout
    }

    /// Connects to the first host of `location` that answers within `timeout`
    /// seconds (the TCP connection, the log-in and, `forWriting`, the check that it is
    /// a primary, not in recovery). Each statement on the connection then waits at
    /// most `answerTimeout` seconds (default 60) for the server's answer, and
    /// fails at once when the connection closes.
    public static func connect(_ location: SharedLogLocation, forWriting: Bool, timeout: Double = 10,
                               answerTimeout: Double? = nil) async throws -> SharedLogConnection {
        var logger = Logger(label: "patchlog.postgres")
        logger.logLevel = .critical
        var errors: [String] = []
        for host in location.hosts {
            var configuration = PostgresConnection.Configuration(host: host.name, port: host.port, username: location.user,
                                                                 password: location.password, database: location.database, tls: .disable)
            // postgres-nio's own timeout is a backstop, a second later than the wait
            // below, so that a silent server is reported one way: "no answer within".
            configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000) + 1000)
            let connection: PostgresConnection
            do {
                connection = try await AnswerWait.run(seconds: timeout, closed: nil, abandoned: { c in Task { try? await c.close() } }) { [logger, configuration] in
                    try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                }
            } catch AnswerWait.Outcome.timedOut {
                errors.append("\(host.name):\(host.port): no answer within \(Self.seconds(timeout))")
                continue
            } catch {
                errors.append("\(host.name):\(host.port): \(Self.message(error))")
                continue
            }
            let shared = SharedLogConnection(connection: connection, logger: logger, host: host, answerTimeout: answerTimeout ?? 60)
            if forWriting {
                let standby: Bool
                do {
                    standby = try await shared.value("SELECT pg_is_in_recovery()", Bool.self)
                } catch {
                    errors.append("\(error)")
                    shared.closeInBackground()
                    continue
                }
                if standby {
                    errors.append("\(host.name):\(host.port): a standby (read only)")
                    shared.closeInBackground()
                    continue
                }
            }
            return shared
        }
        throw SharedLogError.unreachable(errors)
    }

    /// `5 s`, `0.5 s`.
    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }

    /// Closes the connection.
    public func close() async {
        try? await connection.close()
    }

    /// Closes the connection without waiting (closing one whose server vanished can
    /// wait too).
    public func closeInBackground() {
        let c = connection
        Task { try? await c.close() }
    }

    /// Whether the connection has closed (the server went away, or it was closed).
    public var isClosed: Bool { connection.isClosed }

    /// Makes the tables if they are missing (under an advisory lock, so that
    /// collectors starting together make them once) and returns the log's identity.
    public func prepareSchema() async throws -> SharedLogIdentity {
        let logger = self.logger
        try await run("make the shared log's tables") { connection in
            try await connection.withTransaction(logger: logger) { c in
                try await c.query("SELECT pg_advisory_xact_lock(\(SharedLogSchema.schemaLockKey))", logger: logger)
                for statement in SharedLogSchema.statements {
                    try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let id = randomBytes(16)
                let created = wallClockNanoseconds()
                try await c.query("INSERT INTO patchlog_meta (singleton, log_id, created) VALUES (true, \(ByteBuffer(bytes: id)), \(created)) ON CONFLICT DO NOTHING", logger: logger)
            }
        }
        return try await identity()
    }

    /// The log's identity; ``SharedLogError/noSharedLog`` when the database has none.
    public func identity() async throws -> SharedLogIdentity {
        let exists = try await value("SELECT to_regclass('patchlog_meta') IS NOT NULL", Bool.self)
        guard exists else { throw SharedLogError.noSharedLog }
        let rows = try await fetch("SELECT log_id, created FROM patchlog_meta", "read the shared log's identity")
        guard let row = rows.first else { throw SharedLogError.noSharedLog }
        let (id, created) = try row.decode((ByteBuffer, Int64).self)
        return SharedLogIdentity(logID: Array(buffer: id), created: created)
    }

    /// The high-water mark: the last sequence number of a committed append. Every
    /// number up to it is committed; none after it is (docs/scale-out.md).
    public func highWaterMark() async throws -> UInt64 {
        UInt64(try await value("SELECT last_sequence FROM patchlog_meta", Int64.self))
    }

    /// Up to `limit` records after sequence `after`, in sequence order, none past the
    /// high-water mark (read in the same statement, so from the same snapshot).
    public func records(after: UInt64, limit: Int) async throws -> [StoredRecord] {
        let rows = try await fetch("""
                SELECT sequence, id, time, stream, payload, keys FROM patchlog_events
                WHERE sequence > \(Int64(after)) AND sequence <= (SELECT last_sequence FROM patchlog_meta)
                ORDER BY sequence LIMIT \(Int64(limit))
                """, "read the shared log")
        return try rows.map(Self.storedRecord)
    }

    /// Every committed record of the streams whose fold is one of `streamFolds` or
    /// starts with one of `streamPrefixes`, and every record with one of `ids`, in
    /// sequence order: what an import compares its new facts with.
    public func records(streamFolds: [String], streamPrefixes: [String], ids: [String]) async throws -> [StoredRecord] {
        let rows = try await fetch("""
                SELECT e.sequence, e.id, e.time, e.stream, e.payload, e.keys
                FROM patchlog_events e JOIN patchlog_streams s ON s.key = e.stream
                WHERE (s.fold = ANY(\(streamFolds)) OR EXISTS (SELECT 1 FROM unnest(\(streamPrefixes)::text[]) p WHERE starts_with(s.fold, p)) OR e.id = ANY(\(ids)))
                  AND e.sequence <= (SELECT last_sequence FROM patchlog_meta)
                ORDER BY e.sequence
                """, "read the shared log")
        return try rows.map(Self.storedRecord)
    }

    /// A row of `sequence, id, time, stream, payload, keys`.
    static func storedRecord(_ row: PostgresRow) throws -> StoredRecord {
        let (seq, id, time, stream, payload, keys) = try row.decode((Int64, String, Int64, String, ByteBuffer, [Int64]).self)
        return StoredRecord(sequence: UInt64(seq), time: time, stream: stream, id: id, payload: Array(buffer: payload),
                            keys: keys.map { UInt32(truncatingIfNeeded: $0) })
    }

    /// The record with `sequence`, if it is committed.
    public func record(_ sequence: UInt64) async throws -> StoredRecord? {
        guard sequence > 0 else { return nil }
        return try await records(after: sequence - 1, limit: 1).first { $0.sequence == sequence }
    }

    /// Up to `limit` kept payload records after `after` (their own numbering), in order.
    public func sources(after: UInt64, limit: Int) async throws -> [StoredRecord] {
        let rows = try await fetch("""
                SELECT sequence, id, time, stream, payload FROM patchlog_sources
                WHERE sequence > \(Int64(after)) AND sequence <= (SELECT last_source FROM patchlog_meta)
                ORDER BY sequence LIMIT \(Int64(limit))
                """, "read the kept payloads")
        return try rows.map { row in
            let (seq, id, time, stream, payload) = try row.decode((Int64, String, Int64, String, ByteBuffer).self)
            return StoredRecord(sequence: UInt64(seq), time: time, stream: stream, id: id, payload: Array(buffer: payload))
        }
    }

    /// Which of `ids` the shared log keeps as payload records (committed ones).
    public func keptPayloads(_ ids: [String]) async throws -> Set<String> {
        let rows = try await fetch("""
            SELECT id FROM patchlog_sources
            WHERE id = ANY(\(ids)) AND sequence <= (SELECT last_source FROM patchlog_meta)
            """, "read the kept payloads")
        return Set(try rows.map { try $0.decode(String.self) })
    }

    /// Starts an append: a transaction on this connection, until its
    /// ``SharedAppend/commit()`` or ``SharedAppend/abort()``.
    public func beginAppend() async throws -> SharedAppend {
        if !stagingReady.withLock({ $0 }) {
            for statement in SharedLogSchema.staging {
                _ = try await fetch(PostgresQuery(unsafeSQL: statement), "start an import")
            }
            stagingReady.withLock { $0 = true }
        }
        _ = try await fetch("BEGIN ISOLATION LEVEL READ COMMITTED", "start an import")
        return SharedAppend(connection: self)
    }

    /// Calls `body` with the high-water mark now, then again each time an append
    /// commits (`LISTEN`/`NOTIFY`), until `body` returns false. Use a connection of
    /// its own: it listens for as long as this runs.
    public func follow(_ body: @escaping @Sendable (UInt64) async throws -> Bool) async throws {
        let c = connection
        do {
            // Listening is not bounded by a deadline, but it ends when the connection closes.
            try await AnswerWait.run(seconds: nil, closed: connection.closeFuture) { [self] in
                try await c.listen(on: SharedLogSchema.channel) { notifications in
                    var next = notifications.makeAsyncIterator()
                    while try await body(try await highWaterMark()) {
                        guard try await next.next() != nil else { return }
                    }
                }
            }
        } catch AnswerWait.Outcome.closed {
            throw SharedLogError.connectionLost("\(host.name):\(host.port)", what: "listen for appends")
        }
    }

    /// Runs one statement of the caller's (administration and tests: `CREATE DATABASE`).
    public func execute(_ sql: String) async throws {
        _ = try await fetch(PostgresQuery(unsafeSQL: sql), "run \(sql)")
    }

    // MARK: helpers

    /// One value of a one-row query.
    func value<T: PostgresDecodable>(_ sql: PostgresQuery, _ type: T.Type) async throws -> T {
        let rows = try await fetch(sql, "answer a query")
        guard let row = rows.first else { throw SharedLogError.noSharedLog }
        return try row.decode(T.self)
    }

    /// Runs `body` on the connection for `what`, turning the server's errors into
    /// ``SharedLogError/server(_:message:)``; fails with
    /// ``SharedLogError/connectionLost(_:what:)`` when the connection is closed or
    /// closes first, and with ``SharedLogError/noAnswer(_:seconds:what:)`` (closing the
    /// connection) when ``answerTimeout`` passes first.
    func run<R: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        let where_ = "\(host.name):\(host.port)"
        guard !connection.isClosed else { throw SharedLogError.connectionLost(where_, what: what) }
        let c = connection
        do {
            return try await AnswerWait.run(seconds: answerTimeout, closed: connection.closeFuture) { try await body(c) }
        } catch AnswerWait.Outcome.closed {
            throw SharedLogError.connectionLost(where_, what: what)
        } catch AnswerWait.Outcome.timedOut {
            closeInBackground()
            throw SharedLogError.noAnswer(where_, seconds: answerTimeout, what: what)
        } catch {
            throw Self.mapped(error, what)
        }
    }

    /// Every row `query` returns (see ``run(_:_:)``).
    @discardableResult
    func fetch(_ query: PostgresQuery, _ what: String) async throws -> [PostgresRow] {
        let logger = self.logger
        return try await run(what) { c in try await c.query(query, logger: logger).collect() }
    }

    /// A ``SharedLogError`` as it is; any other error as ``SharedLogError/server(_:message:)``.
    static func mapped(_ error: any Error, _ what: String) -> SharedLogError {
        if let e = error as? SharedLogError { return e }
        return SharedLogError.server(what, message: message(error))
    }

    /// The server's message of an error, or the client's.
    static func message(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return m }
            if let underlying = e.underlying { return "\(e.code): \(underlying)" }
            return "\(e.code)"
        }
        if let e = error as? PostgresTransactionError {
            return [e.closureError, e.commitError, e.rollbackError].compactMap { $0.map(message) }.joined(separator: "; ")
        }
        return "\(error)"
    }
}
