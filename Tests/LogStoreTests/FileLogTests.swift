import Foundation
import Glibc
import SystemIO
import Testing
@testable import LogStore

@Suite struct FileLogTests {
    let small = LogOptions(segmentBytes: 8 << 10, blockBytes: 1 << 10, sync: .none)

    @Test func roundTripAcrossSegmentRolls() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 2_000, vms: 30)
        do {
            let log = try FileLog.create(at: dir.at("log"), options: small)
            for chunk in stride(from: 0, to: records.count, by: 137) {
                _ = try log.append(Array(records[chunk..<min(chunk + 137, records.count)]))
            }
        }
        #expect(segmentFiles(dir.at("log")).count > 3)
        let reopened = try FileLog.open(at: dir.at("log"), options: small, access: .reader)
        #expect(reopened.recovery.isClean)
        #expect(try reopened.readAll().map(\.unsequenced) == records)
        let key = SampleRecords.vm(17)
        #expect(try reopened.read(stream: key).map(\.unsequenced) == records.filter { $0.stream == key })
    }

    @Test func reopenedLogContinuesNumberingAndStillRecognisesDuplicates() throws {
        let dir = TemporaryDirectory()
        let first = SampleRecords.make(count: 300)
        do { _ = try FileLog.create(at: dir.at("log"), options: small).append(first) }
        let log = try FileLog.open(at: dir.at("log"), options: small)
        #expect(try log.append(first).allSatisfy { if case .duplicate = $0 { true } else { false } })
        #expect(try log.append(SampleRecords.make(count: 2, idPrefix: "more")) == [.appended(301), .appended(302)])
        var changed = first[7]
        changed.time += 1
        #expect(throws: LogError.idConflict(id: "evt-7", existingSequence: 8)) { try log.append(changed) }
    }

    /// Issue 13: with every fingerprint in `.ids` files replaced, re-importing appended
    /// every event again. The writer no longer reads fingerprint files (it computes
    /// them from the blocks): planted ones, with any content, change nothing, and
    /// are removed.
    @Test func plantedFingerprintFilesDoNotDefeatIdempotency() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let records = SampleRecords.make(count: 900, vms: 12)
        do {
            let log = try FileLog.create(at: path, options: small)
            _ = try log.append(records)
            log.close()
        }
        let segments = segmentFiles(path)
        #expect(segments.count > 2)
        for segment in segments {
            // A fingerprints file beside every segment, every byte of it made up.
            try Data([UInt8](repeating: 0xA5, count: 4_096)).write(to: URL(fileURLWithPath: String(segment.dropLast(4)) + ".ids"))
        }
        let log = try FileLog.open(at: path, options: small, access: .writer)
        #expect(try log.append(records).allSatisfy { if case .duplicate = $0 { return true } else { return false } })
        #expect(log.count == UInt64(records.count))
        var changed = records[417]
        changed.payload.append(0x20)
        #expect(throws: LogError.self) { try log.append([changed]) }
        #expect(log.count == UInt64(records.count))
        log.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).allSatisfy { !$0.hasSuffix(".ids") })
    }

    /// Issue 13: an index rewritten with its checksums to list a block past the end
    /// crashed `state` and `show`. It is now damage, named, not a crash.
    @Test func anIndexListingABlockPastTheEndIsDamageNotACrash() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let records = SampleRecords.make(count: 900, vms: 12)
        do {
            let log = try FileLog.create(at: path, options: small)
            _ = try log.append(records)
            // Rewrite the first segment's index, checksums and all, with one more block
            // listed for the first stream than the segment has.
            let segment = log.state.withLock { log.segments[0] }
            segment.streamPostings.add(0, block: UInt32(segment.blocks.count + 5))
            try SegmentIndexFile.write(segment, directory: path)
            log.close()
        }
        let reader = try FileLog.open(at: path, options: small, access: .reader)
        #expect(throws: LogError.self) { try reader.read(stream: records[0].stream, timeAtMost: .max) }
        // Other streams, whose lists are intact, still read.
        let other = records.first { $0.stream != records[0].stream }!.stream
        #expect(try reader.read(stream: other, timeAtMost: .max).count == records.filter { $0.stream == other }.count)
    }

    /// Every mode reads back what it appended after a reopen; and the modes differ in
    /// what they ask of the disk: with a sync of this log's files made to fail (as a
    /// failing device would), `always` and `batch` report it (they `fsync` before an
    /// append returns) while `none` does not (it never calls `fsync`).
    @Test func everySyncModeIsDurableAcrossReopen() throws {
        for mode in SyncMode.allCases {
            let dir = TemporaryDirectory("sync-\(mode)")
            let records = SampleRecords.make(count: 100)
            do {
                let log = try FileLog.create(at: dir.at("log"), options: LogOptions(sync: mode))
                for r in records { try log.append(r) }
            }
            #expect(try FileLog.open(at: dir.at("log"), access: .reader).readAll().map(\.unsequenced) == records, "\(mode)")

            let log = try FileLog.create(at: dir.at("synced"), options: LogOptions(sync: mode))
            let fault = FaultInjection.arm(.sync, pathContains: dir.at("synced"), errno: EIO, times: 1_000)
            let synced = Result { try log.append(records) }
            fault.disarm()
            switch mode {
            case .always, .batch:
                #expect(throws: LogError.self, "\(mode) acknowledged an append whose fsync failed") { try synced.get() }
            case .none:
                #expect(throws: Never.self, "none called fsync") { try synced.get() }
            }
        }
    }

    @Test func tornTailCutAtEveryOffsetOfTheLastRecordRecoversToTheRecordBefore() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 30)
        do {
            let log = try FileLog.create(at: dir.at("log"), options: small)
            _ = try log.append(Array(records.dropLast()))
            try log.append(records.last!) // the last record is a block of its own
        }
        let segment = segmentFiles(dir.at("log")).last!
        let full = fileSize(segment)
        let before = try FileLog.open(at: dir.at("log"), access: .reader)
        let lastBlockStart = try #require(before.segments.last?.blocks.last?.offset)
        for cut in lastBlockStart..<full {
            let copy = dir.at("copy")
            copyDirectory(dir.at("log"), to: copy)
            truncateFile(segmentFiles(copy).last!, to: cut)
            let log = try FileLog.open(at: copy, options: small)
            #expect(log.count == 29, "cut at \(cut)")
            #expect(log.recovery.droppedBytes == cut - lastBlockStart, "cut at \(cut)")
            #expect(fileSize(segmentFiles(copy).last!) == lastBlockStart)
            #expect(try log.append(records.last!) == .appended(30))
            #expect(try log.readAll().map(\.unsequenced) == records)
        }
    }

    @Test func aSegmentWhoseHeaderWasCutShortIsRemoved() throws {
        let dir = TemporaryDirectory()
        do { _ = try FileLog.create(at: dir.at("log"), options: small).append(SampleRecords.make(count: 500)) }
        let segments = segmentFiles(dir.at("log"))
        truncateFile(segments.last!, to: 10)
        let log = try FileLog.open(at: dir.at("log"), options: small)
        #expect(log.recovery.droppedBytes == 10)
        #expect(try log.append(SampleRecords.make(count: 1, idPrefix: "after")).first == .appended(log.count))
        #expect(try FileLog.verify(directory: dir.at("log")).isIntact)
    }

    @Test func flippedBitAnywhereInASegmentIsDetected() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try FileLog.create(at: dir.at("log"), options: small)
            _ = try log.append(SampleRecords.make(count: 40))
            _ = try log.append(SampleRecords.make(count: 3, idPrefix: "tail"))
        }
        let segment = segmentFiles(dir.at("log")).first!
        let size = fileSize(segment)
        for offset in 0..<size {
            let copy = dir.at("flip")
            copyDirectory(dir.at("log"), to: copy)
            flipBit(segmentFiles(copy).first!, at: offset, bit: offset % 8)
            let report = try FileLog.verify(directory: copy)
            #expect(report.problem != nil, "flip at \(offset) went unnoticed")
            // Reading never returns the damaged record as if it were good.
            let read = Result { try FileLog.open(at: copy, access: .reader).readAll() }
            if case let .success(records) = read {
                #expect(records.count < 43, "flip at \(offset) read back as valid")
            }
        }
    }

    @Test func damageBeforeTheTailIsAnErrorNamingSegmentAndOffset() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try FileLog.create(at: dir.at("log"), options: small)
            _ = try log.append(SampleRecords.make(count: 20))
            _ = try log.append(SampleRecords.make(count: 20, idPrefix: "b"))
        }
        for idx in indexFiles(dir.at("log")) { try FileManager.default.removeItem(atPath: idx) }
        let segment = segmentFiles(dir.at("log")).first!
        let log = try FileLog.open(at: dir.at("log"), access: .reader)
        let firstBlock = log.segments[0].blocks[0]
        flipBit(segment, at: firstBlock.offset + 40, bit: 3)
        #expect {
            _ = try FileLog.open(at: dir.at("log"))
        } throws: { error in
            guard case let LogError.corrupt(path, offset, _) = error else { return false }
            return path == segment && offset == firstBlock.offset
        }
        #expect(try FileLog.verify(directory: dir.at("log")).problem?.offset == firstBlock.offset)
    }

    @Test func secondWriterIsRefusedNamingTheHolder() throws {
        let dir = TemporaryDirectory()
        let writer = try FileLog.create(at: dir.at("log"))
        #expect(throws: LogError.locked(directory: dir.at("log"), holderPID: FileSystem.processID)) {
            _ = try FileLog.open(at: dir.at("log"))
        }
        #expect(try FileLog.open(at: dir.at("log"), access: .reader).count == 0)
        writer.close()
        #expect(try FileLog.open(at: dir.at("log")).count == 0)
    }

    /// A child process started by another thread holds a copy of every descriptor
    /// until it runs its program; the writer's lock must not outlive `close()` in it.
    /// The copy is made here by duplicating the lock file's descriptor, found in
    /// `/proc/self/fd` (Linux), which is what such a child holds.
    @Test func closingReleasesTheLockEvenWhereAnotherDescriptorSharesIt() throws {
        let dir = TemporaryDirectory()
        let resolved = { (path: String) in URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
        let writer = try FileLog.create(at: dir.at("log"))
        let lockPath = resolved(dir.at("log") + "/LOCK")
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap(Int32.init)
        let held = descriptors.filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")).map(resolved) == lockPath
        }
        #expect(held.count == 1)
        // Close-on-exec, as the original: no process another test starts inherits it.
        let copies = held.map { Glibc.fcntl($0, F_DUPFD_CLOEXEC, 0) }
        defer { for copy in copies { _ = Glibc.close(copy) } }
        #expect(copies.allSatisfy { $0 >= 0 })
        writer.close()
        let reopened = try FileLog.open(at: dir.at("log"))
        #expect(reopened.count == 0)
        reopened.close()
    }

    @Test func readerDuringAppendsSeesAConsistentPrefix() async throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 3_000)
        let writer = try FileLog.create(at: dir.at("log"), options: LogOptions(segmentBytes: 16 << 10, blockBytes: 2 << 10, sync: .none))
        let path = dir.at("log")
        let appending = Task.detached {
            for chunk in stride(from: 0, to: records.count, by: 25) {
                _ = try writer.append(Array(records[chunk..<min(chunk + 25, records.count)]))
            }
        }
        var observations = 0
        while observations < 40 {
            let reader = try FileLog.open(at: path, access: .reader)
            let seen = try reader.readAll()
            #expect(seen.map(\.unsequenced) == Array(records.prefix(seen.count)))
            observations += 1
        }
        try await appending.value
        #expect(try FileLog.open(at: path, access: .reader).count == 3_000)
    }

    @Test func concurrentAppendsShareCommitsAndKeepEveryRecord() async throws {
        let dir = TemporaryDirectory()
        let log = try FileLog.create(at: dir.at("log"), options: LogOptions(sync: .batch))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for r in SampleRecords.make(count: 50, seed: UInt64(t), idPrefix: "t\(t)") { try log.append(r) }
                }
            }
            try await group.waitForAll()
        }
        let all = try log.readAll()
        #expect(all.count == 200 && all.map(\.sequence) == Array(1...200))
        #expect(Set(all.map(\.id)).count == 200)
    }

    @Test func indexesAreRebuiltAfterDeletingThem() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 1_500)
        do { _ = try FileLog.create(at: dir.at("log"), options: small).append(records) }
        let indexes = indexFiles(dir.at("log"))
        #expect(indexes.count == segmentFiles(dir.at("log")).count)
        for idx in indexes { try FileManager.default.removeItem(atPath: idx) }
        let log = try FileLog.open(at: dir.at("log"), options: small)
        #expect(log.recovery.rebuiltIndexes.count == indexes.count)
        #expect(indexFiles(dir.at("log")).count == indexes.count)
        #expect(try log.readAll().map(\.unsequenced) == records)
        #expect(try log.read(stream: SampleRecords.vm(2)).map(\.unsequenced) == records.filter { $0.stream == SampleRecords.vm(2) })
        #expect(try log.append(records[3]) == .duplicate(4))
    }

    @Test func fingerprintsComeFromTheBlocksAndNoFileKeepsThem() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 800)
        do { _ = try FileLog.create(at: dir.at("log"), options: small).append(records) }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.at("log"))
        #expect(files.filter { $0.hasSuffix(".ids") }.isEmpty)
        #expect(segmentFiles(dir.at("log")).count > 2)
        let writer = try FileLog.open(at: dir.at("log"), options: small)
        #expect(writer.recovery.rebuiltIndexes.isEmpty)
        // Every id is known again: the same records are no-ops, a changed one a conflict.
        #expect(try writer.append(records) == (1...800).map { .duplicate(UInt64($0)) })
        var changed = records[10]
        changed.payload.append(1)
        #expect(throws: LogError.idConflict(id: records[10].id, existingSequence: 11)) { try writer.append(changed) }
    }

    @Test func aWriterRefusesALogWhoseIdsItCannotRead() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 800)
        do { _ = try FileLog.create(at: dir.at("log"), options: small).append(records) }
        // A byte of a block's body changed in a sealed segment: readers still read the
        // other blocks; a writer, which must know every id, says where the damage is.
        let sealed = segmentFiles(dir.at("log"))[1]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: sealed))
        let header = SegmentHeader.parse(Array(bytes))
        guard case let .header(h) = header else { Issue.record("segment header"); return }
        bytes[h.size + LogFormat.blockHeaderSize + 3] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: sealed))
        let reader = try FileLog.open(at: dir.at("log"), access: .reader)
        #expect(try reader.read(1...1).map(\.unsequenced) == [records[0]])
        do {
            _ = try FileLog.open(at: dir.at("log"), options: small)
            Issue.record("opened a writer over a damaged block")
        } catch let LogError.corrupt(path, offset, reason) {
            #expect(path == sealed && offset == h.size && reason.contains("checksum"))
        }
    }

    @Test func staleOrDamagedIndexIsNotTrusted() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 400)
        let options = LogOptions(blockBytes: 1 << 10, sync: .none, dictionaryBytes: 0)
        do { _ = try FileLog.create(at: dir.at("log"), options: options).append(Array(records.prefix(200))) }
        let idx = indexFiles(dir.at("log")).first!
        let old = try Data(contentsOf: URL(fileURLWithPath: idx))
        do { _ = try FileLog.open(at: dir.at("log"), options: options).append(Array(records.suffix(200))) }
        try old.write(to: URL(fileURLWithPath: idx)) // an index that covers only the first half
        let log = try FileLog.open(at: dir.at("log"), access: .reader)
        #expect(log.recovery.rebuiltIndexes == [LogFormat.segmentName(base: 1)])
        #expect(try log.read(stream: SampleRecords.vm(5)).map(\.unsequenced) == records.filter { $0.stream == SampleRecords.vm(5) })
        flipBit(idx, at: 50, bit: 1) // a damaged index is rebuilt, never believed
        #expect(try FileLog.open(at: dir.at("log"), access: .reader).readAll().map(\.unsequenced) == records)
    }

    @Test func aTruncatedIndexIsRebuiltAndChangesNothing() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 300)
        do { _ = try FileLog.create(at: dir.at("log"), options: LogOptions(blockBytes: 1 << 10)).append(records) }
        let idx = indexFiles(dir.at("log")).first!
        let full = try Data(contentsOf: URL(fileURLWithPath: idx))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: idx))
        let reader = try FileLog.open(at: dir.at("log"), access: .reader)
        #expect(reader.recovery.rebuiltIndexes == [LogFormat.segmentName(base: 1)])
        #expect(try reader.readAll().map(\.unsequenced) == records)
        #expect(try FileLog.verify(directory: dir.at("log")).isIntact)
        // A writer rewrites it whole.
        do { _ = try FileLog.open(at: dir.at("log")) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: idx)) == full)
    }

    @Test func failedWriteLeavesTheLogAsItWasAndTheNextAppendWorks() throws {
        let dir = TemporaryDirectory("enospc")
        let log = try FileLog.create(at: dir.at("log"), options: LogOptions(segmentBytes: 8 << 10, blockBytes: 1 << 10, sync: .always))
        let first = SampleRecords.make(count: 100)
        _ = try log.append(first)
        let sizeBefore = segmentFiles(dir.at("log")).map(fileSize)
        let full = FaultInjection.arm(.write, pathContains: dir.path, errno: ENOSPC)
        defer { full.disarm() }
        let more = SampleRecords.make(count: 100, idPrefix: "more")
        #expect { try log.append(more) } throws: { error in
            guard case let LogError.io(e) = error else { return false }
            return e.errno == ENOSPC && e.description.contains("No space left on device")
        }
        #expect(log.count == 100)
        #expect(segmentFiles(dir.at("log")).map(fileSize) == sizeBefore)
        let failing = FaultInjection.arm(.sync, pathContains: dir.path, errno: EIO)
        #expect(throws: LogError.self) { try log.append(more) }
        #expect(log.count == 100 && segmentFiles(dir.at("log")).map(fileSize) == sizeBefore)
        failing.disarm()
        #expect(try log.append(more).last == .appended(200))
        log.close()
        #expect(try FileLog.open(at: dir.at("log"), access: .reader).readAll().map(\.unsequenced) == first + more)
    }

    @Test func aDirectoryThatIsNotALogIsAClearError() throws {
        let dir = TemporaryDirectory()
        #expect(throws: LogError.notALog(directory: dir.path, reason: "it has no LOG file (create a log with `patchlog init`)")) {
            _ = try FileLog.open(at: dir.path)
        }
        FileManager.default.createFile(atPath: dir.at("notes.txt"), contents: Data("x".utf8))
        #expect(throws: LogError.self) { _ = try FileLog.create(at: dir.path) }
        #expect(FileManager.default.fileExists(atPath: dir.at("notes.txt")))
    }

    @Test func aLogFromANewerFormatAsksForAnUpgrade() throws {
        let dir = TemporaryDirectory()
        do { _ = try FileLog.create(at: dir.at("log")) }
        var identity = try LogIdentity.read(directory: dir.at("log"))
        identity.version = LogFormat.version + 1
        try Data(identity.encode()).write(to: URL(fileURLWithPath: dir.at("log/LOG")))
        #expect { _ = try FileLog.open(at: dir.at("log")) } throws: { error in
            "\(error)".contains("written by a newer patchlog") && "\(error)".contains("upgrade")
        }
    }

    @Test func compressionUsesTheRedundancyBetweenRecords() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 5_000, vms: 200)
        let log = try FileLog.create(at: dir.at("log"), options: LogOptions(sync: .none))
        _ = try log.append(records)
        log.close()
        let raw = records.reduce(0) { $0 + $1.payload.count + $1.id.utf8.count + $1.stream.utf8.count + 8 }
        let onDisk = (try FileManager.default.contentsOfDirectory(atPath: dir.at("log"))).reduce(0) { $0 + fileSize(dir.at("log/" + $1)) }
        #expect(onDisk * 8 < raw, "on disk \(onDisk) bytes for \(raw) bytes of records")
    }
}

@Suite struct InterruptedCreateTests {
    @Test func aCreateCutShortBeforeTheIdentityWasRenamedCanBeDoneAgain() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.at("log"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.at("log/LOG.tmp"), contents: Data([1, 2, 3]))
        #expect(!FileLog.exists(at: dir.at("log")))
        let log = try FileLog.create(at: dir.at("log"))
        #expect(try log.append([NewRecord(time: 1, stream: "s", id: "a", payload: [1])]) == [.appended(1)])
        #expect(!FileManager.default.fileExists(atPath: dir.at("log/LOG.tmp")))
        // Anything else in the directory still makes it not a log.
        try FileManager.default.createDirectory(atPath: dir.at("other"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.at("other/notes.txt"), contents: Data("x".utf8))
        FileManager.default.createFile(atPath: dir.at("other/LOG.tmp"), contents: Data([1]))
        #expect(throws: LogError.self) { _ = try FileLog.create(at: dir.at("other")) }
    }
}
