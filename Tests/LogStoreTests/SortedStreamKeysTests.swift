import ByteCoding
import Randomness
import Testing
@testable import LogStore

/// Stream keys kept sorted, with their numbers, as an index of layout 2 holds them.
@Suite struct SortedStreamKeysTests {
    static func encoded(_ keys: [String]) throws -> StreamKeyList {
        var w = ByteWriter()
        w.u8(0xEE)  // bytes before the section, as in an index payload
        SortedStreamKeys.encode(keys, into: &w)
        w.u8(0xEF)  // and after it
        var reader = ByteReader(w.bytes, offset: 1)
        let list = try StreamKeyList.readSorted(keys.count, from: &reader, in: w.bytes, maxKeyBytes: 1024)
        #expect(reader.remaining == 1)
        return list
    }

    /// Random distinct keys over a small alphabet (sharing prefixes, prefixes of one
    /// another, one of them empty), more than one restart interval of them, are found
    /// by name at their number, read back by number, and keys not there are not found.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func findsEveryKeyAtItsNumber(seed: UInt64) throws {
        var g = SplitMix64(seed: seed)
        let alphabet: [Character] = ["a", "b", "/", "é"]
        func key() -> String { String((0..<g.next(upTo: 7)).map { _ in alphabet[g.next(upTo: 4)] }) }
        var keys: [String] = []
        var seen = Set<String>()
        while keys.count < 200 { let k = key(); if seen.insert(k).inserted { keys.append(k) } }
        var list = try Self.encoded(keys)
        #expect(list.count == keys.count)
        for probe in keys + (0..<300).map({ _ in key() }) {
            #expect(list.firstIndex(of: probe) == keys.firstIndex(of: probe), "\(probe)")
        }
        #expect(list.all == keys)
        #expect(list[17] == keys[17])
    }

    /// Sorted after front-coded and plain keys, numbers count on from those before.
    @Test func mixesWithOtherListsInOrder() throws {
        var list = StreamKeyList(["x", "y"])
        list.append(contentsOf: try Self.encoded(["vm:/s/a/vm2", "catalog", "vm:/s/a/vm10"]))
        list.append(contentsOf: StreamKeyListTests.encoded(["vm:/s/b/vm1"]))
        #expect(list.firstIndex(of: "catalog") == 3)
        #expect(list.firstIndex(of: "vm:/s/a/vm10") == 4)
        #expect(list.firstIndex(of: "vm:/s/b/vm1") == 5)
        #expect(list.all == ["x", "y", "vm:/s/a/vm2", "catalog", "vm:/s/a/vm10", "vm:/s/b/vm1"])
        #expect(try Self.encoded([]).firstIndex(of: "") == nil)
    }

    /// Sorted neighbours of one subscription share all but a few bytes: the section
    /// costs a fraction of the keys front-coded in the order they were defined.
    @Test func sortedResourceIdsTakeLessThanAThirdOfTheOrderedOnes() throws {
        var g = SplitMix64(seed: 9)
        let keys = (0..<2000).map { _ in
            "vm:/subscriptions/1b2c3d4e-0000-4000-8000-00000000000\(g.next(upTo: 4))/resourceGroups/rg-\(g.next(upTo: 20))/providers/Microsoft.Compute/virtualMachines/vm\(g.next(upTo: 1_000_000))"
        }
        let distinct = Array(Set(keys))
        var sorted = ByteWriter()
        SortedStreamKeys.encode(distinct, into: &sorted)
        var ordered = ByteWriter()
        BlockBuilder.frontCode(distinct.map { Array($0.utf8) }, into: &ordered)
        #expect(sorted.bytes.count * 3 < ordered.bytes.count, "\(sorted.bytes.count) against \(ordered.bytes.count)")
    }

    /// Sections a lookup could be misled by are refused when read: keys out of order,
    /// a number twice, a restart that shares bytes.
    @Test func aMalformedSectionIsRefused() {
        func section(_ entries: [(shared: Int, rest: String, number: Int)], interval: Int = 32) -> [UInt8] {
            var body = ByteWriter()
            var restarts: [Int] = []
            for (i, e) in entries.enumerated() {
                if i % interval == 0 { restarts.append(body.bytes.count) }
                body.varint(e.shared); body.lengthPrefixed(Array(e.rest.utf8)); body.varint(e.number)
            }
            var w = ByteWriter()
            w.varint(interval); w.varint(body.bytes.count)
            var last = 0
            for r in restarts { w.varint(r - last); last = r }
            w.raw(body.bytes)
            return w.bytes
        }
        func refused(_ bytes: [UInt8], _ count: Int) -> Bool {
            var reader = ByteReader(bytes)
            return (try? StreamKeyList.readSorted(count, from: &reader, in: bytes, maxKeyBytes: 1024)) == nil
        }
        #expect(!refused(section([(0, "ab", 1), (1, "c", 0)]), 2))
        #expect(refused(section([(0, "ac", 1), (1, "b", 0)]), 2))  // out of order
        #expect(refused(section([(0, "ab", 0), (1, "c", 0)]), 2))  // number twice
        #expect(refused(section([(0, "ab", 0), (1, "c", 2)]), 2))  // number out of range
        #expect(refused(section([(0, "ab", 0), (2, "", 1)]), 2))  // a duplicate key
        #expect(refused(section([(0, "ab", 0), (1, "c", 1)], interval: 1), 2))  // restart sharing
        #expect(refused(section([(0, "ab", 0), (0, "a", 1)], interval: 1), 2))  // restarts out of order
    }
}

/// A reader of a log whose indexes hold their keys sorted answers many lookups by key
/// (more than a table is built for on other logs) by searching, and each is right.
@Suite struct ManyStreamLookupsTests {
    @Test func everyKeyIsFoundByItsNameWithoutATable() throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        let keys = (0..<300).map { "subscription:\(($0 * 7919) % 1000)-\($0)" }
        do {
            let log = try FileLog.create(at: path, options: LogOptions(segmentBytes: 4096, blockBytes: 512, sync: .none))
            for (i, key) in keys.enumerated() {
                _ = try log.append([NewRecord(time: Int64(i), stream: key, id: "e-\(i)", payload: Array("p\(i)".utf8))])
            }
            log.close()
        }
        let log = try FileLog.open(at: path, access: .reader)
        defer { log.close() }
        #expect(log.state.withLock { log.streamKeys.searchesQuickly })
        for _ in 0..<2 {
            for key in keys.shuffled() {
                let id = try #require(log.streamID(key))
                #expect(log.streamKey(id) == key)
                #expect(try log.read(stream: key).map(\.stream) == [key])
            }
            #expect(log.streamID("subscription:none") == nil)
        }
    }
}
