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
