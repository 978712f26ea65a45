import Randomness
import Testing
@testable import Replay

/// The batch a full replay folds: every record comes back once, with its own time,
/// sequence and payload, grouped by VM slot in increasing order and in the order
/// added within a slot, batch after batch.
@Suite struct GroupedBatchTests {
    struct Record: Equatable {
        var slot: Int
        var time: Int64
        var sequence: UInt64
        var payload: [UInt8]
    }

    /// What the batch must give: the records stably sorted by slot.
    static func reference(_ records: [Record]) -> [Record] {
        records.enumerated().sorted { ($0.element.slot, $0.offset) < ($1.element.slot, $1.offset) }.map(\.element)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomRecordsComeBackGroupedBySlotInTheOrderAdded(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var batch = GroupedBatch(records: 64, bytes: 1_000)
        var sequence: UInt64 = 0
        for _ in 0..<20 {
            // Slots in any order, some repeated, some empty payloads; the batch is
            // drained when full, as the replay does, and at the end.
            var pending: [Record] = []
            func drain() {
                var got: [Record] = []
                batch.drain { got.append(Record(slot: $0, time: $1, sequence: $2, payload: Array($3))) }
                #expect(got == Self.reference(pending))
                pending = []
            }
            let slots = 1 + g.next(upTo: 40)
            for _ in 0..<(1 + g.next(upTo: 200)) {
                sequence += 1
                let r = Record(slot: g.next(upTo: slots), time: Int64(g.next(upTo: 1_000)) - 500, sequence: sequence,
                               payload: (0..<g.next(upTo: 60)).map { _ in UInt8(truncatingIfNeeded: g.next()) })
                pending.append(r)
                batch.append(slot: r.slot, time: r.time, sequence: r.sequence, payload: r.payload[...])
                if batch.isFull { drain() }
            }
            drain()
            // Drained means empty.
            var after = 0
            batch.drain { _, _, _, _ in after += 1 }
            #expect(after == 0)
        }
    }

    @Test func fullAtItsRecordOrByteLimit() {
        var byRecords = GroupedBatch(records: 3, bytes: 1 << 20)
        for k in 0..<3 {
            #expect(!byRecords.isFull)
            byRecords.append(slot: k, time: 0, sequence: UInt64(k), payload: [1][...])
        }
        #expect(byRecords.isFull)
        var byBytes = GroupedBatch(records: 1_000, bytes: 10)
        byBytes.append(slot: 0, time: 0, sequence: 1, payload: [UInt8](repeating: 7, count: 9)[...])
        #expect(!byBytes.isFull)
        byBytes.append(slot: 0, time: 0, sequence: 2, payload: [1][...])
        #expect(byBytes.isFull)
    }
}
