import Foundation
import Randomness
import Testing
@testable import LogStore

/// The contract every ``LogStore`` keeps, run against the in-memory reference and
/// the file store (with tiny blocks and segments, so that every rule also crosses
/// block and segment boundaries).
@Suite struct LogContractTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, file
        var testDescription: String { rawValue }
    }

    final class Subject {
        let store: any LogStore
        let dir = TemporaryDirectory()
        init(_ kind: Kind) throws {
            switch kind {
            case .memory: store = InMemoryLog()
            case .file:
                store = try FileLog.create(at: dir.at("log"), options: LogOptions(segmentBytes: 4096, blockBytes: 512, sync: .none))
            }
        }
    }

    @Test(arguments: Kind.allCases) func recordsAreFoundByTheirKeys(kind: Kind) throws {
        let s = try Subject(kind)
        let records = SampleRecords.make(count: 300).enumerated().map { i, r in
            NewRecord(time: r.time, stream: r.stream, id: r.id, payload: r.payload, keys: i % 10 == 0 ? [UInt32(i % 7), 1_000_000] : i % 3 == 0 ? [UInt32(i % 7)] : [])
        }
        _ = try s.store.append(records)
        for key: UInt32 in [0, 3, 6, 1_000_000, 99] {
            let expected = records.enumerated().filter { $0.element.keys.contains(key) }.map { UInt64($0.offset + 1) }
            #expect(try s.store.read(key: key).map(\.sequence) == expected, "key \(key)")
        }
        #expect(try s.store.read(key: 1_000_000).allSatisfy { $0.keys == [$0.keys[0], 1_000_000] })
        // Keys are part of the record: the same id with other keys is a conflict.
        var other = records[0]
        other = NewRecord(time: other.time, stream: other.stream, id: other.id, payload: other.payload, keys: [42])
        #expect(throws: LogError.self) { try s.store.append([other]) }
        #expect(try s.store.append([records[0]]) == [.duplicate(1)])
        guard kind == .file, let log = s.store as? FileLog else { return }
        // From the index file, and rebuilt from the blocks when it is gone.
        log.close()
        #expect(try FileLog.open(at: s.dir.at("log"), access: .reader).read(key: 3).count == records.filter { $0.keys.contains(3) }.count)
        for name in try FileManager.default.contentsOfDirectory(atPath: s.dir.at("log")) where name.hasSuffix(".idx") {
            try FileManager.default.removeItem(atPath: s.dir.at("log/" + name))
        }
        #expect(try FileLog.open(at: s.dir.at("log"), access: .reader).read(key: 1_000_000).count == 30)
    }

    @Test(arguments: Kind.allCases) func lateRecordsAreThoseBehindAnEarlierRecordOfTheirStream(kind: Kind) throws {
        let s = try Subject(kind)
        // Times go forward; every seventh record is sent back a random stretch.
        var records = SampleRecords.make(count: 400, vms: 6)
        var g = SplitMix64(seed: 9)
        for i in stride(from: 3, to: records.count, by: 7) {
            records[i].time -= Int64.random(in: 0...3_000, using: &g) * 1_000_000_000
        }
        _ = try s.store.append(Array(records[..<150]))
        _ = try s.store.append(Array(records[150...]))
        // The definition, written out plainly.
        func expected(through: Int) -> [UInt64] {
            var latest: [String: Int64] = [:]
            var out: [UInt64] = []
            for (i, r) in records.prefix(through).enumerated() {
                if let l = latest[r.stream], r.time < l { out.append(UInt64(i + 1)) } else { latest[r.stream] = r.time }
            }
            return out
        }
        for through in [0, 1, 77, 150, 333, 400, 1_000] {
            let late = try s.store.lateRecords(through: UInt64(through))
            #expect(late.map(\.sequence) == expected(through: min(through, records.count)), "through \(through)")
            for r in late { #expect(r.time == records[Int(r.sequence) - 1].time && s.store.streamKey(r.stream) == records[Int(r.sequence) - 1].stream) }
        }
        #expect(try !s.store.lateRecords(through: 400).isEmpty)
    }

    /// ``LogStore`` may be read from several threads while one appends: every read
    /// sees a prefix of the log, whole, and the appends all land.
    @Test(arguments: Kind.allCases) func readersOnOtherThreadsSeeWholePrefixesWhileOneAppends(kind: Kind) throws {
        let s = try Subject(kind)
        let records = SampleRecords.make(count: 400)
        let store = s.store
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            if worker == 0 {
                for batch in stride(from: 0, to: records.count, by: 20) {
                    do { _ = try store.append(Array(records[batch..<batch + 20])) } catch { failures.add("append: \(error)") }
                }
                return
            }
            for _ in 0..<50 {
                do {
                    let n = store.count
                    var seen: [UInt64] = []
                    try store.scan(from: 1) { view in seen.append(view.sequence); return true }
                    if seen.count < n || seen != Array(1...UInt64(max(seen.count, 1))).prefix(seen.count).map({ $0 }) {
                        failures.add("scan saw \(seen.count) records, count said \(n), not 1...n in order")
                    }
                    if n > 0, try store.read(1...n).map(\.id) != records[0..<Int(n)].map(\.id) { failures.add("read 1...\(n) differs") }
                } catch {
                    failures.add("read: \(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        #expect(store.count == UInt64(records.count))
    }

    /// Failures collected from several threads.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }

    @Test(arguments: Kind.allCases) func sequenceNumbersStartAtOneWithoutGaps(kind: Kind) throws {
        let s = try Subject(kind)
        #expect(s.store.count == 0)
        let outcomes = try s.store.append(SampleRecords.make(count: 50))
        #expect(outcomes == (1...50).map { AppendOutcome.appended(UInt64($0)) })
        #expect(try s.store.append(SampleRecords.make(count: 1, idPrefix: "next")) == [.appended(51)])
        #expect(s.store.count == 51)
    }

    @Test(arguments: Kind.allCases) func readsGiveBackExactlyWhatWasAppended(kind: Kind) throws {
        let s = try Subject(kind)
        let records = SampleRecords.make(count: 200)
        _ = try s.store.append(records)
        let all = try s.store.readAll()
        #expect(all.map(\.unsequenced) == records)
        #expect(all.map(\.sequence) == Array(1...200))
        #expect(try s.store.read(20...29).map(\.sequence) == Array(20...29))
        #expect(try s.store.read(195...1000).count == 6)
        #expect(try s.store.read(300...400).isEmpty)
        #expect(try s.store.read(0...3).map(\.sequence) == [1, 2, 3])
    }

    @Test(arguments: Kind.allCases) func readingAnEmptyLogGivesNothing(kind: Kind) throws {
        let s = try Subject(kind)
        #expect(try s.store.read(0...5).isEmpty)
        #expect(try s.store.read(stream: "x").isEmpty)
        var seen = 0
        try s.store.scan { _ in seen += 1; return true }
        #expect(seen == 0)
    }

    @Test(arguments: Kind.allCases) func streamReadHoldsOnlyThatStreamInOrder(kind: Kind) throws {
        let s = try Subject(kind)
        let records = SampleRecords.make(count: 300, vms: 7)
        _ = try s.store.append(records)
        let key = SampleRecords.vm(3)
        let got = try s.store.read(stream: key)
        #expect(got.map(\.unsequenced) == records.filter { $0.stream == key })
        #expect(got.map(\.sequence) == got.map(\.sequence).sorted())
        #expect(try s.store.read(stream: "no such stream").isEmpty)
        let cut = records[150].time
        #expect(try s.store.read(stream: key, timeAtMost: cut).map(\.unsequenced) == records.filter { $0.stream == key && $0.time <= cut })
    }

    @Test(arguments: Kind.allCases) func scanVisitsEveryRecordFromAStart(kind: Kind) throws {
        let s = try Subject(kind)
        let records = SampleRecords.make(count: 120)
        _ = try s.store.append(records)
        var seen: [UInt64] = []
        try s.store.scan(from: 100) { view in
            seen.append(view.sequence)
            #expect(view.id == records[Int(view.sequence) - 1].id)
            #expect(Array(view.payload) == records[Int(view.sequence) - 1].payload)
            #expect(s.store.streamKey(view.stream) == records[Int(view.sequence) - 1].stream)
            return true
        }
        #expect(seen == Array(100...120))
        var stopped = 0
        try s.store.scan { _ in stopped += 1; return stopped < 5 }
        #expect(stopped == 5)
    }

    @Test(arguments: Kind.allCases) func appendingTheSameIDAndContentIsANoOp(kind: Kind) throws {
        let s = try Subject(kind)
        let records = SampleRecords.make(count: 40)
        _ = try s.store.append(records)
        let again = try s.store.append(records)
        #expect(again == (1...40).map { AppendOutcome.duplicate(UInt64($0)) })
        #expect(s.store.count == 40)
        // Within one batch too.
        let twice = SampleRecords.make(count: 1, idPrefix: "x")
        #expect(try s.store.append(twice + twice) == [.appended(41), .duplicate(41)])
    }

    @Test(arguments: Kind.allCases) func sameIDWithDifferentContentFailsTheWholeBatch(kind: Kind) throws {
        let s = try Subject(kind)
        var records = SampleRecords.make(count: 10)
        _ = try s.store.append(records)
        records[4].payload += [0x20]
        let fresh = SampleRecords.make(count: 3, idPrefix: "fresh")
        #expect(throws: LogError.idConflict(id: "evt-4", existingSequence: 5)) {
            try s.store.append(fresh + [records[4]])
        }
        #expect(s.store.count == 10)
        #expect(try s.store.append(fresh).map(\.sequence) == [11, 12, 13])
    }

    @Test(arguments: Kind.allCases) func invalidRecordsAreRefusedWithTheirPlaceInTheBatch(kind: Kind) throws {
        let s = try Subject(kind)
        var bad = SampleRecords.make(count: 3)
        bad[2].id = ""
        #expect(throws: LogError.self) { try s.store.append(bad) }
        do { _ = try s.store.append(bad) } catch let error as LogError {
            #expect(error.description.hasPrefix("record 3 of the batch"))
        }
        #expect(s.store.count == 0)
    }
}
