import ByteCoding

/// Stream keys by number: as strings, or still front-coded as an index file holds
/// them. An index's keys stay encoded until a caller asks for one by number: a point
/// query on a log of 100,000 VMs finds its VM's key by walking the encoded bytes
/// (a few milliseconds) instead of making 100,000 strings, and freeing them at exit.
struct StreamKeyList {
    /// The keys decoded so far: numbers `0..<strings.count`.
    private var strings: [String] = []
    /// Keys not yet decoded, in order after `strings`, as index files hold them.
    private var runs: [Run] = []

    /// Encoded keys: front-coded in number order (indexes of layouts 0 and 1: a run of
    /// `count` entries, `varint` shared prefix, `varint` length, bytes, the first
    /// sharing nothing with the key before it), or sorted (layouts 2 and 3).
    private enum Run {
        case ordered(bytes: [UInt8], range: Range<Int>, count: Int)
        case sorted(SortedStreamKeys)

        var count: Int {
            switch self {
            case let .ordered(_, _, count): count
            case let .sorted(keys): keys.count
            }
        }
    }

    /// How many keys.
    private(set) var count = 0

    /// Whether ``firstIndex(of:)`` is a binary search in every encoded run (none is
    /// walked key by key) and a short look at the decoded keys: many lookups then
    /// need no table of every key.
    var searchesQuickly: Bool {
        strings.count <= 4096 && runs.allSatisfy { if case .sorted = $0 { true } else { false } }
    }

    init() {}

    /// Keys given as strings.
    init(_ keys: [String]) { append(contentsOf: keys) }

    /// Appends keys given as strings.
    mutating func append(contentsOf keys: [String]) {
        guard !keys.isEmpty else { return }
        materialize()
        strings.append(contentsOf: keys)
        count += keys.count
    }

    /// Appends one key.
    mutating func append(_ key: String) {
        materialize()
        strings.append(key)
        count += 1
    }

    /// Appends another list's keys, keeping its encoded runs encoded.
    mutating func append(contentsOf other: StreamKeyList) {
        if runs.isEmpty {
            strings.append(contentsOf: other.strings)
        } else if !other.strings.isEmpty {
            let bytes = Array(other.strings.map { Self.entry($0) }.joined())
            runs.append(.ordered(bytes: bytes, range: 0..<bytes.count, count: other.strings.count))
        }
        runs.append(contentsOf: other.runs)
        count += other.count
    }

    /// An entry that shares nothing with the key before it.
    private static func entry(_ key: String) -> [UInt8] {
        var w = ByteWriter()
        w.varint(0)
        w.lengthPrefixed(Array(key.utf8))
        return w.bytes
    }

    /// Reads `count` front-coded keys at `reader`'s offset, checking their shape
    /// without decoding them, and keeps them encoded.
    static func read(_ count: Int, from reader: inout ByteReader, in bytes: [UInt8], maxKeyBytes: Int) throws(ByteReader.Truncated) -> StreamKeyList {
        let start = reader.offset
        var previousLength = 0
        for _ in 0..<count {
            let shared = try reader.count(atMost: previousLength)
            let rest = try reader.lengthPrefixed(atMost: maxKeyBytes)
            previousLength = shared + rest.count
            guard previousLength <= maxKeyBytes else { throw ByteReader.Truncated() }
        }
        var list = StreamKeyList()
        if count > 0 { list.runs = [.ordered(bytes: bytes, range: start..<reader.offset, count: count)] }
        list.count = count
        return list
    }

    /// Reads `count` keys sorted as an index of layout 2 or 3 holds them (see
    /// ``SortedStreamKeys``), checking them, and keeps them encoded.
    static func readSorted(_ count: Int, from reader: inout ByteReader, in bytes: [UInt8], maxKeyBytes: Int) throws(ByteReader.Truncated) -> StreamKeyList {
        let keys = try SortedStreamKeys.read(count, from: &reader, in: bytes, maxKeyBytes: maxKeyBytes)
        var list = StreamKeyList()
        if count > 0 { list.runs = [.sorted(keys)] }
        list.count = count
        return list
    }

    /// Decodes every key still encoded.
    mutating func materialize() {
        guard !runs.isEmpty else { return }
        strings.reserveCapacity(count)
        for run in runs {
            switch run {
            case let .ordered(bytes, range, count):
                Self.walk((bytes, range, count)) { key in strings.append(String(decoding: key, as: UTF8.self)); return true }
            case let .sorted(keys):
                strings.append(contentsOf: keys.keysByNumber())
            }
        }
        runs = []
    }

    /// Key number `i` (decodes the encoded keys the first time).
    subscript(i: Int) -> String {
        mutating get {
            if i >= strings.count { materialize() }
            return strings[i]
        }
    }

    /// Every key, in order (decoded for the caller; the list stays as it is).
    var all: [String] {
        var copy = self
        copy.materialize()
        return copy.strings
    }

    /// The number of `key`, if the list has it: the first match in number order,
    /// found without decoding the encoded keys into strings.
    func firstIndex(of key: String) -> Int? {
        if let i = strings.firstIndex(of: key) { return i }
        let target = Array(key.utf8)
        var n = strings.count
        for run in runs {
            switch run {
            case let .ordered(bytes, range, count):
                if let k = Self.search((bytes, range, count), for: target) { return n + k }
            case let .sorted(keys):
                if let k = keys.number(of: target) { return n + k }
            }
            n += run.count
        }
        return nil
    }

    /// The position in `run` of the first key equal to `target`, found without
    /// rebuilding any key: only how many leading bytes the current key shares with
    /// `target` is kept. An entry that keeps more of the key before it than that
    /// shares exactly as much (it keeps the byte where they differ), so only entries
    /// keeping no more are compared, from where they start to differ.
    private static func search(_ run: (bytes: [UInt8], range: Range<Int>, count: Int), for target: [UInt8]) -> Int? {
        var reader = ByteReader(run.bytes, offset: run.range.lowerBound, end: run.range.upperBound)
        var length = 0
        var match = 0
        for k in 0..<run.count {
            // The shape was checked by `read`: these cannot fail.
            guard let shared = try? reader.count(atMost: length), let rest = try? reader.lengthPrefixed(atMost: Int.max) else { return nil }
            length = shared + rest.count
            if shared > match { continue }
            match = shared
            for b in rest {
                guard match < target.count, target[match] == b else { break }
                match += 1
            }
            if match == target.count && length == target.count { return k }
        }
        return nil
    }

    /// The keys whose UTF-8 bytes satisfy `matches`, with their numbers, in
    /// increasing order; strings are made only of the keys that match.
    func keys(where matches: (ArraySlice<UInt8>) -> Bool) -> [(number: Int, key: String)] {
        var found: [(number: Int, key: String)] = []
        func keep(_ number: Int, _ key: ArraySlice<UInt8>) {
            if matches(key) { found.append((number, String(decoding: key, as: UTF8.self))) }
        }
        for (i, key) in strings.enumerated() where matches(Array(key.utf8)[...]) { found.append((i, key)) }
        var n = strings.count
        for run in runs {
            switch run {
            case let .ordered(bytes, range, count):
                var k = 0
                Self.walk((bytes, range, count)) { key in
                    keep(n + k, key)
                    k += 1
                    return true
                }
            case let .sorted(keys):
                let start = found.count
                keys.forEach { number, key in keep(n + number, key) }
                found[start...].sort { $0.number < $1.number }
            }
            n += run.count
        }
        return found
    }

    /// Removes the keys from number `first` on.
    mutating func removeSubrange(from first: Int) {
        guard first < count else { return }
        materialize()
        strings.removeSubrange(max(0, first)...)
        count = strings.count
    }

    /// Calls `body` with each key of a run (checked when it was read), until it
    /// returns false.
    private static func walk(_ run: (bytes: [UInt8], range: Range<Int>, count: Int), _ body: (ArraySlice<UInt8>) -> Bool) {
        var reader = ByteReader(run.bytes, offset: run.range.lowerBound, end: run.range.upperBound)
        var key: [UInt8] = []
        for _ in 0..<run.count {
            // The shape was checked by `read`: these cannot fail.
            guard let shared = try? reader.count(atMost: key.count), let rest = try? reader.lengthPrefixed(atMost: Int.max) else { return }
            key.removeSubrange(shared...)
            key.append(contentsOf: rest)
            if !body(key[...]) { return }
        }
    }
}

extension StreamKeyList: Equatable {
    static func == (a: StreamKeyList, b: StreamKeyList) -> Bool { a.count == b.count && a.all == b.all }
}
