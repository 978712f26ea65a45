import Foundation
import Randomness
import Testing
@testable import LogStore

/// What a power cut can leave at the end of the last segment: zeros where the file
/// system allocated space nobody wrote, or stale bytes that are not a block. Both are
/// torn tails, cut by the writer and ignored by readers; damage with a valid block
/// after it is still an error.
@Suite struct PowerCutTailTests {
    let small = LogOptions(segmentBytes: 8 << 10, blockBytes: 1 << 10, sync: .none)

    /// A log of 30 records whose last record is a block of its own; returns the
    /// offset of that block in the (only) segment and the segment's size.
    private func makeLog(_ dir: TemporaryDirectory) throws -> (records: [NewRecord], lastBlock: Int, size: Int) {
        let records = SampleRecords.make(count: 30)
        do {
            let log = try FileLog.create(at: dir.at("log"), options: small)
            _ = try log.append(Array(records.dropLast()))
            try log.append(records.last!)
        }
        let reader = try FileLog.open(at: dir.at("log"), access: .reader)
        #expect(reader.segments.count == 1)
        let lastBlock = try #require(reader.segments.last?.blocks.last?.offset)
        return (records, lastBlock, fileSize(segmentFiles(dir.at("log")).last!))
    }

    /// Reader and writer both open the damaged copy, see the 29 records before the
    /// last block, and the writer cuts exactly the bytes after it and appends on.
    private func expectCutToTheRecordBefore(_ copy: String, records: [NewRecord], lastBlock: Int, _ note: String) throws {
        let size = fileSize(segmentFiles(copy).last!)
        let reader = try FileLog.open(at: copy, access: .reader)
        #expect(reader.count == 29, "\(note)")
        #expect(reader.recovery.droppedBytes == size - lastBlock, "\(note)")
        #expect(try reader.readAll().map(\.unsequenced) == Array(records.prefix(29)), "\(note)")
        let log = try FileLog.open(at: copy, options: small)
        #expect(log.count == 29, "\(note)")
        #expect(log.recovery.droppedBytes == size - lastBlock, "\(note)")
        #expect(log.recovery.droppedAt?.offset == lastBlock, "\(note)")
        #expect(fileSize(segmentFiles(copy).last!) == lastBlock, "\(note)")
        #expect(try log.append(records.last!) == .appended(30), "\(note)")
        #expect(try log.readAll().map(\.unsequenced) == records, "\(note)")
        log.close()
        #expect(try FileLog.verify(directory: copy).isIntact, "\(note)")
    }

    @Test func zerosStartingAnywhereInsideTheLastBlockAreATornTail() throws {
        let dir = TemporaryDirectory()
        let (records, lastBlock, size) = try makeLog(dir)
        for start in lastBlock..<size {
            for extra in [0, 3_000] {
                let copy = dir.at("copy")
                copyDirectory(dir.at("log"), to: copy)
                let segment = segmentFiles(copy).last!
                truncateFile(segment, to: start)
                truncateFile(segment, to: size + extra) // zeros from `start` to the end
                // Zeros that cover the block checksum explain the failure: verify sees
                // a torn tail, not damage. Zeros in part of the checksum only could be
                // a damaged checksum too: verify reports it as a possible torn tail.
                let report = try FileLog.verify(directory: copy)
                if start <= size - 4 {
                    #expect(report.isIntact, "zeros from \(start) + \(extra): \(String(describing: report.problem))")
                } else {
                    #expect(report.problem?.isTail == true, "zeros from \(start) + \(extra)")
                }
                try expectCutToTheRecordBefore(copy, records: records, lastBlock: lastBlock, "zeros from \(start) + \(extra)")
            }
        }
    }

    @Test func garbageAfterTheLastGoodBlockIsATornTail() throws {
        let dir = TemporaryDirectory()
        let (records, lastBlock, size) = try makeLog(dir)
        var g = SplitMix64(seed: 5)
        // Stale bytes over the end of the last block (from several places), and stale
        // bytes past it (a file system that extended the file but not its contents).
        let cases: [(keep: Int, garbage: Int)] = [
            (lastBlock, size - lastBlock), (lastBlock + 20, size - lastBlock - 20), (lastBlock + 56, size - lastBlock - 56),
            (size - 10, 10), (size - 1, 1), (lastBlock, 5_000), (lastBlock + 100, 4_000),
        ]
        for (keep, count) in cases {
            let copy = dir.at("copy")
            copyDirectory(dir.at("log"), to: copy)
            let segment = segmentFiles(copy).last!
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)).prefix(keep))
            bytes += (0..<count).map { _ in UInt8.random(in: 1...255, using: &g) }
            try Data(bytes).write(to: URL(fileURLWithPath: segment))
            let report = try FileLog.verify(directory: copy)
            #expect(report.isIntact || report.problem?.isTail == true, "garbage \(keep)+\(count)")
            try expectCutToTheRecordBefore(copy, records: records, lastBlock: lastBlock, "garbage \(keep)+\(count)")
        }
    }

    @Test func garbageWithAValidBlockAfterItIsDamageNotATail() throws {
        let dir = TemporaryDirectory()
        let (_, lastBlock, size) = try makeLog(dir)
        let segment = segmentFiles(dir.at("log")).last!
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        // Garbage, then a copy of the (valid) last block: the garbage is damage.
        var bytes = original
        bytes += Array(repeating: 0x5A, count: 100) + original[lastBlock..<size]
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        for access in [FileLog.Access.writer, .reader] {
            #expect {
                _ = try FileLog.open(at: dir.at("log"), options: small, access: access)
            } throws: { error in
                guard case let LogError.corrupt(path, offset, reason) = error else { return false }
                return path == segment && offset == size && reason.contains("a valid block follows at offset \(size + 100)")
            }
        }
        let report = try FileLog.verify(directory: dir.at("log"))
        #expect(report.problem?.offset == size && report.problem?.isTail == false)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: segment))) == bytes, "nothing was cut")
    }

    @Test func aLastSegmentWhoseHeaderAPowerCutToreIsRemovedUnlessBlocksFollow() throws {
        let dir = TemporaryDirectory()
        let records = SampleRecords.make(count: 1_000)
        do { _ = try FileLog.create(at: dir.at("log"), options: small).append(records) }
        let before = try FileLog.open(at: dir.at("log"), access: .reader)
        #expect(before.segments.count > 2)
        let last = before.segments.last!
        let kept = Int(last.base - 1)
        let headerSize = last.header.size
        for fill in [UInt8(0), 0x5A] {
            // The header was written but never synced: no block follows it.
            let copy = dir.at("copy")
            copyDirectory(dir.at("log"), to: copy)
            let path = segmentFiles(copy).last!
            truncateFile(path, to: headerSize)
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            for i in 10..<headerSize { bytes[i] = fill }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try FileLog.verify(directory: copy).isIntact, "fill \(fill)")
            #expect(try FileLog.open(at: copy, access: .reader).count == UInt64(kept))
            let log = try FileLog.open(at: copy, options: small)
            #expect(log.count == UInt64(kept))
            #expect(!FileManager.default.fileExists(atPath: path) || fileSize(path) != headerSize)
            #expect(try log.append(Array(records[kept...])).allSatisfy { if case .appended = $0 { true } else { false } })
            #expect(try log.readAll().map(\.unsequenced) == records)
        }
        // The same header damage with the segment's blocks after it is damage.
        let path = segmentFiles(dir.at("log")).last!
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in 10..<20 { bytes[i] = 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: LogError.self) { _ = try FileLog.open(at: dir.at("log"), options: small) }
        #expect(try FileLog.verify(directory: dir.at("log")).problem?.offset == 0)
    }
}
