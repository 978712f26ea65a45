import Foundation
import SystemIO
import Testing
@testable import LogStore

/// What a follower (`patchlog follow`, `patchlog serve`) relies on: the commit mark
/// moves with what is committed and not with an open transaction's appends, a wait
/// wakes within 100 ms of a commit and costs no processor time, and a follower
/// reopening its reader view never shows a record of a transaction taken back.
@Suite struct CommitWatchTests {
    let small = LogOptions(segmentBytes: 8 << 10, blockBytes: 1 << 10, sync: .none)
    struct TakenBack: Error {}

    @Test func theMarkMovesWithCommittedAppendsButNotInsideATransaction() throws {
        let dir = TemporaryDirectory("commit-mark")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        let empty = try CommitMark.read(directory: path)
        _ = try log.append(SampleRecords.make(count: 30))
        let thirty = try CommitMark.read(directory: path)
        #expect(thirty != empty)
        #expect(thirty.transactionCommitted == nil)
        let segmentsBefore = segmentFiles(path).count
        try log.transaction {
            _ = try log.append(SampleRecords.make(count: 40, idPrefix: "t"))
            let inside = try CommitMark.read(directory: path)
            #expect(inside.transactionCommitted == 30)
            // Enough to roll the segment: still the same mark.
            _ = try log.append(SampleRecords.make(count: 400, vms: 7, seed: 3, idPrefix: "u"))
            #expect(segmentFiles(path).count > segmentsBefore)
            #expect(try CommitMark.read(directory: path) == inside)
        }
        let committed = try CommitMark.read(directory: path)
        #expect(committed.transactionCommitted == nil)
        #expect(committed != thirty)
        #expect(throws: TakenBack.self) {
            try log.transaction {
                _ = try log.append(SampleRecords.make(count: 500, seed: 5, idPrefix: "v"))
                throw TakenBack()
            }
        }
        #expect(try CommitMark.read(directory: path) == committed, "a take-back leaves the log, and so the mark, as it was")
        log.close()
    }

    @Test func aWaitWakesWithin100msOfACommitAndNotForATransactionsAppends() throws {
        let dir = TemporaryDirectory("commit-wait")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        _ = try log.append(SampleRecords.make(count: 5))
        let watch = try CommitWatch(directory: path)
        let stale = try watch.mark()
        _ = try log.append(SampleRecords.make(count: 1, seed: 2, idPrefix: "one"))
        #expect(try watch.wait(after: 5, since: stale, milliseconds: 0), "committed since the mark: no wait")

        let mark = try watch.mark()
        #expect(try FileLog.open(at: path, access: .reader).count == 6)
        // An open transaction appends (and rolls segments): the wait does not end.
        let appended = Condition()
        nonisolated(unsafe) var committedAt: Int64 = 0
        let writer = Thread {
            try? log.transaction {
                _ = try log.append(SampleRecords.make(count: 50, seed: 3, idPrefix: "t"))
                usleep(300_000)
                _ = try log.append(SampleRecords.make(count: 400, seed: 4, idPrefix: "u"))
                usleep(100_000)
                appended.withLock { committedAt = monotonicMilliseconds() }
            }
        }
        writer.start()
        let started = monotonicMilliseconds()
        #expect(try watch.wait(after: 6, since: mark, milliseconds: 3_000))
        let woke = monotonicMilliseconds()
        let commit = appended.withLock { committedAt }
        #expect(commit > 0, "woke only after the commit")
        #expect(woke - started >= 350)
        #expect(woke - commit <= 100, "woke \(woke - commit) ms after the commit")
        let next = try watch.mark()
        #expect(try FileLog.open(at: path, access: .reader).count == 456)
        #expect(try watch.wait(after: 456, since: next, milliseconds: 150) == false, "nothing new: the timeout")
        log.close()
    }

    @Test func waitingCostsNoProcessorTime() throws {
        let dir = TemporaryDirectory("commit-idle")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        _ = try log.append(SampleRecords.make(count: 5))
        let watch = try CommitWatch(directory: path)
        let mark = try watch.mark()
        let cpu = threadCPUMicroseconds()
        let started = monotonicMilliseconds()
        #expect(try watch.wait(after: 5, since: mark, milliseconds: 500) == false)
        let slept = monotonicMilliseconds() - started
        let used = threadCPUMicroseconds() - cpu
        #expect(slept >= 490)
        #expect(used < 20_000, "a 500 ms wait used \(used) µs of processor time")
        log.close()
    }

    @Test func aFollowerNeverShowsARecordOfATransactionTakenBack() throws {
        let dir = TemporaryDirectory("commit-follow")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        _ = try log.append(SampleRecords.make(count: 10, idPrefix: "a"))
        let watch = try CommitWatch(directory: path)
        let done = Condition()
        nonisolated(unsafe) var shown: [String] = []
        nonisolated(unsafe) var finished = false
        // The follower: mark, open a reader, show what is new, wait.
        let follower = Thread {
            var position: UInt64 = 0
            while !done.withLock({ finished }) {
                guard let mark = try? watch.mark(), let view = try? FileLog.open(at: path, access: .reader) else { continue }
                if view.count > position, let records = try? view.readAll() {
                    let new = records.filter { $0.sequence > position }.map(\.id)
                    done.withLock { shown += new }
                    position = view.count
                }
                view.close()
                _ = try? watch.wait(after: position, since: mark, milliseconds: 2_000)
            }
        }
        follower.start()
        #expect(throws: TakenBack.self) {
            try log.transaction {
                for batch in 0..<5 {
                    _ = try log.append(SampleRecords.make(count: 80, seed: UInt64(batch), idPrefix: "x\(batch)"))
                    usleep(20_000)
                }
                throw TakenBack()
            }
        }
        try log.transaction {
            _ = try log.append(SampleRecords.make(count: 20, seed: 9, idPrefix: "b"))
        }
        _ = try log.append(SampleRecords.make(count: 5, seed: 10, idPrefix: "c"))
        let deadline = monotonicMilliseconds() + 3_000
        while done.withLock({ shown.count }) < 35 && monotonicMilliseconds() < deadline { usleep(10_000) }
        done.withLock { finished = true }
        watch.interrupt()
        while !follower.isFinished { usleep(5_000) }
        let ids = done.withLock { shown }
        #expect(ids.count == 35)
        #expect(ids.filter { $0.hasPrefix("x") }.isEmpty, "shown from a transaction taken back: \(ids.filter { $0.hasPrefix("x") }.prefix(3))")
        #expect(ids.first == "a-0")
        #expect(ids.last == "c-4")
        log.close()
    }

    @Test func anInterruptEndsAWait() throws {
        let dir = TemporaryDirectory("commit-interrupt")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        let watch = try CommitWatch(directory: path)
        let mark = try watch.mark()
        let t = Thread { usleep(50_000); watch.interrupt() }
        t.start()
        let started = monotonicMilliseconds()
        #expect(try watch.wait(after: 0, since: mark, milliseconds: 5_000) == false)
        #expect(monotonicMilliseconds() - started < 2_000)
        log.close()
    }
}
