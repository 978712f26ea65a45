import Foundation
import LogStore
@testable import PostgresLog
import Testing

/// A connection whose server went away fails what is asked of it at once, naming
/// the server, instead of waiting for ever (postgres-nio drops the failure of a
/// statement written to a closed connection; a failover waited 10 s on it).
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct LostConnectionTests {
    /// No answer within `seconds`: the hang is back. Waited for with ``AnswerWait``,
    /// which leaves a hung `body` behind (it ends neither by itself nor when
    /// cancelled, so neither a task group nor a test time limit would end it).
    struct Hung: Error {}

    /// `body`'s result, or ``Hung`` (recorded as an issue) after `seconds`.
    static func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await AnswerWait.run(seconds: seconds, closed: nil, body)
        } catch AnswerWait.Outcome.timedOut {
            Issue.record("no answer within \(seconds) s on a closed connection")
            throw Hung()
        }
    }

    /// Ends the server process behind `db` (as a killed primary does, from the
    /// client's side: the connection closes) and waits until the client sees it.
    static func terminate(_ db: SharedLogConnection, location: SharedLogLocation) async throws {
        let admin = try await SharedLogConnection.connect(location, forWriting: true)
        defer { Task { await admin.close() } }
        try await admin.execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = '\(location.database)' AND pid <> pg_backend_pid()
            """)
        for _ in 0..<100 where !db.isClosed { try await Task.sleep(for: .milliseconds(20)) }
        #expect(db.isClosed)
    }

    @Test func aStatementOnAClosedConnectionFailsAtOnceNamingTheServer() async throws {
        let location = try await TestDatabase.fresh()
        let db = try await SharedLogConnection.connect(location, forWriting: true, answerTimeout: 30)
        _ = try await db.prepareSchema()
        try await Self.terminate(db, location: location)
        let started = ContinuousClock.now
        do {
            _ = try await Self.within(5) { try await db.beginAppend() }
            Issue.record("an append began on a closed connection")
        } catch let error as SharedLogError {
            guard case let .connectionLost(host, _) = error else { throw error }
            #expect(host == "\(db.host.name):\(db.host.port)")
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func anAppendWhoseConnectionIsLostMidwayFailsAndCommitsNothing() async throws {
        let location = try await TestDatabase.fresh()
        let db = try await SharedLogConnection.connect(location, forWriting: true, answerTimeout: 30)
        _ = try await db.prepareSchema()
        let append = try await db.beginAppend()
        let record = NewRecord(time: 1, stream: "s", id: "lost-1", payload: [1, 2, 3])
        try await append.stage([StagedRecord(record: record, fold: "s")])
        try await Self.terminate(db, location: location)
        let started = ContinuousClock.now
        await #expect(throws: SharedLogError.self) { _ = try await Self.within(5) { try await append.commit() } }
        #expect(ContinuousClock.now - started < .seconds(2))
        let reader = try await SharedLogConnection.connect(location, forWriting: false)
        defer { Task { await reader.close() } }
        #expect(try await reader.highWaterMark() == 0)
    }
}
