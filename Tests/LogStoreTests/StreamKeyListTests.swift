import ByteCoding
import Randomness
import Testing
@testable import LogStore

/// Stream keys kept front-coded until asked for by number.
@Suite struct StreamKeyListTests {
    static func encoded(_ keys: [String]) -> StreamKeyList {
        var w = ByteWriter()
        w.u8(0xEE)  // bytes before the run, as in an index payload
        BlockBuilder.frontCode(keys.map { Array($0.utf8) }, into: &w)
        var reader = ByteReader(w.bytes, offset: 1)
        let list = try! StreamKeyList.read(keys.count, from: &reader, in: w.bytes, maxKeyBytes: 1024)
        #expect(reader.remaining == 0)
        return list
    }

    static let first = ["vm:/subscriptions/a/vm1", "vm:/subscriptions/a/vm10", "catalog", "vm:/subscriptions/a/vm2"]
    static let second = ["vm:/subscriptions/b/vm1", "vm:/subscriptions/a/vm10x", ""]

    @Test func encodedRunsAreFoundByNameAndReadByNumber() {
        var list = Self.encoded(Self.first)
        list.append(contentsOf: Self.encoded(Self.second))
        let all = Self.first + Self.second
        #expect(list.count == all.count)
        for (i, key) in all.enumerated() { #expect(list.firstIndex(of: key) == i) }
        #expect(list.firstIndex(of: "vm:/subscriptions/a/vm") == nil)
        #expect(list.all == all)
        #expect(list[5] == all[5])
        #expect(list.firstIndex(of: "catalog") == 2)
    }

    @Test func stringsAndRunsMixInOrder() {
        var list = StreamKeyList(["x", "y"])
        list.append(contentsOf: Self.encoded(Self.first))
        list.append(contentsOf: StreamKeyList(["z"]))
        list.append(contentsOf: Self.encoded(Self.second))
        list.append("w")
        let all = ["x", "y"] + Self.first + ["z"] + Self.second + ["w"]
        #expect(list.all == all)
        for (i, key) in all.enumerated() where all.firstIndex(of: key) == i { #expect(list.firstIndex(of: key) == i) }
        list.removeSubrange(from: 3)
        #expect(list.all == Array(all.prefix(3)) && list.count == 3)
    }

    /// Random keys over a small alphabet (so that keys share prefixes, are prefixes of
    /// one another, repeat, and are empty) are found where a plain search finds them,
    /// and keys not in the list are not found.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func findsWhatAPlainSearchFinds(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        let alphabet: [Character] = ["a", "b", "/"]
        func key() -> String { String((0..<g.next(upTo: 6)).map { _ in alphabet[g.next(upTo: 3)] }) }
        let keys = (0..<300).map { _ in key() }
        let list = Self.encoded(keys)
        for probe in keys + (0..<300).map({ _ in key() }) {
            #expect(list.firstIndex(of: probe) == keys.firstIndex(of: probe), "\(probe)")
        }
    }

    /// A run whose shape is wrong (a prefix longer than the key before it) is refused
    /// when read, before anyone walks it.
    @Test func aMalformedRunIsRefused() {
        var w = ByteWriter()
        w.varint(0); w.lengthPrefixed(Array("ab".utf8))
        w.varint(3); w.lengthPrefixed(Array("c".utf8))
        var reader = ByteReader(w.bytes)
        #expect(throws: ByteReader.Truncated.self) { _ = try StreamKeyList.read(2, from: &reader, in: w.bytes, maxKeyBytes: 1024) }
    }
}
