import Evidence
import Foundation
import LogStore
import PostgresLog
import Testing

/// `patchlog sync`: local copies of the shared log, record for record.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct SharedSyncTests {
    static func sync(_ location: SharedLogLocation, into directory: String) async throws -> (FileLog, SyncReport) {
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        defer { Task { await db.close() } }
        return try await onThread {
            let sync = SharedLogSync(connection: db)
            let log = try sync.openCopy(at: directory)
            return (log, try sync.sync(into: log))
        }
    }

    static func root(_ log: FileLog, size: UInt64) throws -> Hash32 {
        try LogLeaves.hashes(of: [], size: size, in: log).root
    }

    @Test func twoSyncsOfTheSamePrefixHaveTheSameMerkleRootAndACheckpointVerifiesOnBoth() async throws {
        let location = try await TestDatabase.fresh()
        _ = try await SharedImportTests.importFile(SharedImportTests.sample, into: location)
        let dir = Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, first) = try await Self.sync(location, into: dir + "/a")
        #expect(first.appended == 29 && a.count == 29)
        // More is appended; a second copy, made later, holds the first 29 and more.
        let more = SharedImportTests.write([#"{"id":"p-1","type":"vm.power","vm":"web-01","state":"Stopped","time":"2025-06-01T00:00:00Z"}"#])
        _ = try await SharedImportTests.importFile(more, into: location)
        let (b, _) = try await Self.sync(location, into: dir + "/b")
        #expect(b.count == 30 && a.logID == b.logID)
        #expect(try Self.root(a, size: 29) == Self.root(b, size: 29))
        let key = SigningKey()
        let checkpoint = try Checkpoint.make(log: a, logID: a.logID, treeSize: 29, time: "2026-12-01T00:00:00Z", key: key)
        let onB = try Checkpoint.make(log: b, logID: b.logID, treeSize: 29, time: "2026-12-01T00:00:00Z", key: key)
        #expect(checkpoint.root == onB.root && checkpoint.logID == onB.logID && checkpoint.isSigned(by: key.publicKey))
        // The first copy catches up incrementally and then equals the second.
        a.close()
        let (a2, again) = try await Self.sync(location, into: dir + "/a")
        #expect(again.appended == 1 && a2.count == 30)
        #expect(try a2.readAll() == b.readAll())
        #expect(try FileLog.verify(directory: dir + "/a").isIntact)
    }

    @Test func aLogThatIsNotACopyIsRefused() async throws {
        let location = try await TestDatabase.fresh()
        _ = try await SharedImportTests.importFile(SharedImportTests.sample, into: location)
        let dir = Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileLog.create(at: dir + "/other").close()
        await #expect(throws: SharedLogError.self) { _ = try await Self.sync(location, into: dir + "/other") }
    }

    @Test func concurrentAppendersCommitInSequenceOrderAndReadersSeeNoGap() async throws {
        let location = try await TestDatabase.fresh()
        let setup = try await SharedLogConnection.connect(location, forWriting: true)
        _ = try await setup.prepareSchema()
        await setup.close()
        let perWriter = 40
        let reader = Task {
            let db = try await SharedLogConnection.connect(location, forWriting: false)
            var seen: UInt64 = 0
            while seen < UInt64(4 * perWriter) {
                let page = try await db.records(after: seen, limit: 1000)
                for r in page {
                    #expect(r.sequence == seen + 1, "a reader skipped from \(seen) to \(r.sequence)")
                    seen = r.sequence
                }
            }
            await db.close()
            return seen
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    let db = try await SharedLogConnection.connect(location, forWriting: true)
                    for i in 0..<perWriter {
                        let append = try await db.beginAppend()
                        let r = NewRecord(time: Int64(i), stream: "s\(w)", id: "w\(w)-\(i)", payload: [UInt8(w), UInt8(i)], keys: [UInt32(i)])
                        try await append.stage([StagedRecord(record: r, fold: r.stream)])
                        _ = try await append.commit()
                    }
                    await db.close()
                }
            }
            try await group.waitForAll()
        }
        #expect(try await reader.value == UInt64(4 * perWriter))
    }

    @Test func aFollowerIsWokenByACommit() async throws {
        let location = try await TestDatabase.fresh()
        let setup = try await SharedLogConnection.connect(location, forWriting: true)
        _ = try await setup.prepareSchema()
        let follower = SharedLogFollower(location: location)
        defer { follower.stop() }
        _ = try await onThread { follower.wait(seconds: 5) }  // the wake of its first look
        let append = try await setup.beginAppend()
        let r = NewRecord(time: 1, stream: "s", id: "one", payload: [1])
        try await append.stage([StagedRecord(record: r, fold: "s")])
        _ = try await append.commit()
        let woken = try await onThread { follower.wait(seconds: 10) }
        #expect(woken)
        await setup.close()
    }
}
