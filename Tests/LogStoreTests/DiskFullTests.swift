import Foundation
import SystemIO
import Testing
@testable import LogStore

/// A full disk in the middle of an append, a segment roll or a close: the append
/// fails and every file in the directory is byte for byte as it was; a close that
/// cannot write its index says so.
@Suite(.serialized) struct DiskFullTests {
    let small = LogOptions(segmentBytes: 8 << 10, blockBytes: 1 << 10, sync: .always)

    /// Every file in the directory, by name, with its bytes.
    private func files(_ dir: String) throws -> [String: Data] {
        var all: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name != "LOCK" {
            all[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return all
    }

    private func changes(_ before: [String: Data], _ after: [String: Data]) -> [String] {
        Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }
    }

    @Test(arguments: [FaultInjection.Operation.write, .sync])
    func anAppendFailingAtAnyWriteOrSyncOfASegmentRollLeavesEveryFileAsItWas(_ operation: FaultInjection.Operation) throws {
        let dir = TemporaryDirectory("enospc-roll")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        _ = try log.append(SampleRecords.make(count: 120))
        let more = SampleRecords.make(count: 400, idPrefix: "more") // several segment rolls
        let before = try files(path)
        var failures = 0
        for k in 0..<80 {
            let fault = FaultInjection.arm(operation, pathContains: path, errno: ENOSPC, skipping: k)
            defer { fault.disarm() }
            // No fault left to hit: the append went through.
            guard (try? log.append(more)) == nil else { break }
            failures += 1
            #expect(log.count == 120, "\(operation) \(k)")
            #expect(changes(before, try files(path)) == [], "\(operation) fault after \(k) calls")
        }
        #expect(failures > 5, "the faults hit segments, indexes and fingerprints")
        #expect(log.count == 520)
        log.close()
        #expect(try FileLog.verify(directory: path).isIntact)
    }

    @Test func aTransactionTakenBackAfterARollLeavesEveryFileAsItWas() throws {
        let dir = TemporaryDirectory("enospc-transaction")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: small)
        _ = try log.append(SampleRecords.make(count: 120))
        let before = try files(path)
        for k in [0, 1, 2, 3, 5] {
            #expect(throws: LogError.self) {
                try log.transaction {
                    _ = try log.append(SampleRecords.make(count: 200, idPrefix: "a")) // rolls: indexes replaced
                    let fault = FaultInjection.arm(.write, pathContains: path, errno: ENOSPC, skipping: k)
                    defer { fault.disarm() }
                    _ = try log.append(SampleRecords.make(count: 200, idPrefix: "b"))
                }
            }
            #expect(log.count == 120)
            #expect(changes(before, try files(path)) == [], "fault after \(k) writes")
        }
        // And a transaction that fails for another reason (an import's bad line).
        struct BadLine: Error {}
        #expect(throws: BadLine.self) {
            try log.transaction {
                _ = try log.append(SampleRecords.make(count: 300, idPrefix: "c"))
                throw BadLine()
            }
        }
        #expect(changes(before, try files(path)) == [])
        #expect(try log.append(SampleRecords.make(count: 300, idPrefix: "d")).last == .appended(420))
        log.close()
        #expect(try FileLog.verify(directory: path).isIntact)
    }

    @Test func anIndexThatCannotBeWrittenAtCloseIsReportedAndLeavesNoTemporaryFile() throws {
        let dir = TemporaryDirectory("enospc-close")
        let path = dir.at("log")
        for way in ["finish", "close"] {
            try? FileManager.default.removeItem(atPath: path)
            let log = try FileLog.create(at: path, options: small)
            _ = try log.append(SampleRecords.make(count: 20))
            let fault = FaultInjection.arm(.write, pathContains: path, errno: ENOSPC, times: 10)
            if way == "finish" {
                #expect { try log.finish() } throws: { error in
                    guard case let LogError.io(e) = error else { return false }
                    return e.errno == ENOSPC
                }
            } else {
                log.close()
                #expect((log.closeError as? LogError).map { if case .io = $0 { true } else { false } } == true)
            }
            fault.disarm()
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            #expect(!names.contains { $0.hasSuffix(".tmp") }, "\(names)")
            let reopened = try FileLog.open(at: path, options: small)
            #expect(reopened.count == 20)
            reopened.close()
            #expect(reopened.closeError == nil)
        }
    }
}
