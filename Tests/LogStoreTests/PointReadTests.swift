import Foundation
import Testing
@testable import LogStore

/// A read of one stream without ids gives the same records as one with them, but for
/// the ids, over blocks of numeric (counting) and front-coded ids alike.
@Suite struct PointReadTests {
    @Test func aStreamReadWithoutIDsIsTheSameButForTheIDs() throws {
        let dir = TemporaryDirectory()
        let log = try FileLog.create(at: dir.at("log"), options: LogOptions(segmentBytes: 4096, blockBytes: 256, sync: .none))
        defer { log.close() }
        var batch: [NewRecord] = []
        for i in 0..<400 {
            // Ids that count up (stored as differences) and ids that do not.
            let id = i % 3 == 0 ? "op-\(UUID().uuidString.lowercased())" : "evt-\(i)"
            batch.append(NewRecord(time: Int64(i % 97), stream: "vm-\(i % 5)", id: id, payload: Array("payload \(i)".utf8)))
        }
        _ = try log.append(batch)
        for stream in ["vm-0", "vm-3"] {
            for limit in [Int64.max, 40] {
                let with = try log.read(stream: stream, timeAtMost: limit)
                let without = try log.read(stream: stream, timeAtMost: limit, includingIDs: false)
                #expect(!with.isEmpty)
                #expect(with.allSatisfy { !$0.id.isEmpty })
                #expect(without.allSatisfy { $0.id.isEmpty })
                #expect(without.map(\.sequence) == with.map(\.sequence))
                #expect(without.map(\.time) == with.map(\.time))
                #expect(without.map(\.payload) == with.map(\.payload))
                #expect(without.map(\.stream) == with.map(\.stream))
                #expect(without.map(\.keys) == with.map(\.keys))
            }
        }
    }
}

/// A scan that chooses its records gives exactly the views a plain scan gives of the
/// records chosen, and ends where it is told to, across blocks and segments, with or
/// without ids; a store's own version agrees with the generic one.
@Suite struct ChoosingScanTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func theChosenRecordsAreThoseOfAPlainScan(seed: UInt64) throws {
        let dir = TemporaryDirectory()
        let file = try FileLog.create(at: dir.at("log"), options: LogOptions(segmentBytes: 4096, blockBytes: 256, sync: .none))
        defer { file.close() }
        let memory = InMemoryLog()
        let records = SampleRecords.make(count: 600, vms: 7, seed: seed)
        _ = try file.append(records)
        _ = try memory.append(records)
        struct Seen: Equatable { var sequence: UInt64; var time: Int64; var stream: UInt32; var id: [UInt8]; var payload: [UInt8] }
        func scan(_ log: any LogStore, from start: UInt64, ids: Bool, stopAt: UInt64, _ keep: (UInt64, Int64, StreamID) -> Bool) throws -> [Seen] {
            var seen: [Seen] = []
            try log.scan(from: start, includingIDs: ids, choosing: { sequence, time, stream in
                sequence >= stopAt ? .stop : keep(sequence, time, stream) ? .visit : .skip
            }) { view in
                seen.append(Seen(sequence: view.sequence, time: view.time, stream: view.stream.rawValue, id: Array(view.idBytes), payload: Array(view.payload)))
                return true
            }
            return seen
        }
        let keep: (UInt64, Int64, StreamID) -> Bool = { sequence, time, stream in (stream.rawValue % 2 == 0) != (sequence % 5 == 0) && time % 3 != 1 }
        for (start, stopAt) in [(UInt64(1), UInt64.max), (37, 480), (560, 601)] {
            for ids in [true, false] {
                var plain: [Seen] = []
                try file.scan(from: start, includingIDs: ids) { view in
                    guard view.sequence < stopAt else { return false }
                    if keep(view.sequence, view.time, view.stream) {
                        plain.append(Seen(sequence: view.sequence, time: view.time, stream: view.stream.rawValue, id: Array(view.idBytes), payload: Array(view.payload)))
                    }
                    return true
                }
                #expect(!plain.isEmpty)
                #expect(try scan(file, from: start, ids: ids, stopAt: stopAt, keep) == plain, "from \(start) to \(stopAt) ids \(ids)")
                // The generic version (InMemoryLog has no faster one) chooses the same records.
                let generic = try scan(memory, from: start, ids: ids, stopAt: stopAt, keep)
                #expect(generic.map(\.sequence) == plain.map(\.sequence))
                #expect(generic.map(\.payload) == plain.map(\.payload))
            }
        }
    }
}
