import Foundation
import Testing
@testable import LogStore

/// Issue 13, item 3: readers (and so `checkpoint`) see only committed transactions.
/// During a multi-batch import, a reader opened meanwhile saw the earlier batches, a
/// checkpoint signed them, and once the import was taken back the untouched log was
/// "TRUNCATED" against that checkpoint.
@Suite struct TransactionVisibilityTests {
    let small = LogOptions(segmentBytes: 16 << 10, blockBytes: 1 << 10, sync: .none)

    struct Refused: Error {}

    @Test func aReaderOpenedDuringATransactionSeesOnlyWhatWasCommittedBeforeIt() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let all = SampleRecords.make(count: 1_200, vms: 15)
        let committed = Array(all[0..<200])
        let log = try FileLog.create(at: path, options: small)
        _ = try log.append(committed)
        let segmentsBefore = segmentFiles(path).count
        var seen: [UInt64] = []
        #expect(throws: Refused.self) {
            try log.transaction {
                for start in stride(from: 200, to: 1_200, by: 250) {
                    _ = try log.append(Array(all[start..<start + 250]))
                    let reader = try FileLog.open(at: path, options: small, access: .reader)
                    seen.append(reader.count)
                    #expect(try reader.readAll().map(\.unsequenced) == committed)
                    let stream = all[1_100].stream
                    #expect(try reader.read(stream: stream).map(\.unsequenced) == committed.filter { $0.stream == stream })
                    #expect(reader.recovery.uncommittedAfter == 200)
                }
                #expect(segmentFiles(path).count > segmentsBefore)
                throw Refused()
            }
        }
        #expect(seen == [200, 200, 200, 200])
        #expect(!FileManager.default.fileExists(atPath: dir.at("log/TRANSACTION")))
        #expect(try FileLog.open(at: path, options: small, access: .reader).count == 200)
        // A transaction that commits is seen whole once it has.
        try log.transaction {
            _ = try log.append(Array(all[200..<700]))
            #expect(try FileLog.open(at: path, options: small, access: .reader).count == 200)
            _ = try log.append(Array(all[700..<900]))
        }
        #expect(try FileLog.open(at: path, options: small, access: .reader).readAll().map(\.unsequenced) == Array(all[0..<900]))
        log.close()
        #expect(try FileLog.verify(directory: path).isIntact)
    }

    @Test func aTransactionACrashInterruptedIsNeverSeenAndTheNextWriterTakesItBack() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let crashed = dir.at("crashed")
        let all = SampleRecords.make(count: 1_000, vms: 15)
        do {
            let log = try FileLog.create(at: path, options: small)
            _ = try log.append(Array(all[0..<300]))
            try log.transaction {
                _ = try log.append(Array(all[300..<600]))
                _ = try log.append(Array(all[600..<900]))
                // What the disk holds if the process dies here (the copy's lock is held
                // by nobody).
                copyDirectory(path, to: crashed)
            }
            log.close()
        }
        let reader = try FileLog.open(at: crashed, options: small, access: .reader)
        #expect(reader.count == 300)
        let report = try FileLog.verify(directory: crashed)
        #expect(report.isIntact && report.notes.contains { $0.contains("records after sequence 300 belong to a transaction a crash interrupted") })
        let writer = try FileLog.open(at: crashed, options: small)
        #expect(writer.recovery.uncommittedAfter == 300)
        #expect(writer.count == 300)
        #expect(!FileManager.default.fileExists(atPath: crashed + "/TRANSACTION"))
        #expect(try writer.readAll().map(\.unsequenced) == Array(all[0..<300]))
        // Appending goes on from there, and the records taken back may come again.
        #expect(try writer.append(Array(all[300..<1_000])).allSatisfy { if case .appended = $0 { true } else { false } })
        writer.close()
        #expect(try FileLog.verify(directory: crashed).isIntact)
    }

    @Test func salvageLeavesOutTheRecordsOfAnImportThatNeverCommitted() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let crashed = dir.at("crashed")
        let all = SampleRecords.make(count: 600, vms: 15)
        do {
            let log = try FileLog.create(at: path, options: small)
            _ = try log.append(Array(all[0..<200]))
            try log.transaction {
                _ = try log.append(Array(all[200..<600]))
                copyDirectory(path, to: crashed)
            }
            log.close()
        }
        var copied: [NewRecord] = []
        let report = try FileLog.salvage(directory: crashed) { copied.append($0.unsequenced) }
        #expect(copied == Array(all[0..<200]))
        #expect(report.recovered == 200 && report.uncommitted == 400 && report.damagedMarker == nil)
        // A damaged marker: nobody can tell where the import began; all is recovered, and said.
        try Data("not a marker".utf8).write(to: URL(fileURLWithPath: crashed + "/TRANSACTION"))
        let blind = try FileLog.salvage(directory: crashed) { _ in }
        #expect(blind.recovered == 600 && blind.uncommitted == 0 && blind.damagedMarker != nil)
        // The committed log salvages whole.
        #expect(try FileLog.salvage(directory: path) { _ in }.recovered == 600)
    }
}
