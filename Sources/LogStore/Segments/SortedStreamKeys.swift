import ByteCoding

/// The stream keys a segment defines as an index of layout 2 or 3 holds them: sorted by
/// their UTF-8 bytes, front-coded, each with its number, and a full key every
/// ``restartInterval`` entries. A point query finds its key by a binary search over
/// the full keys and a walk of at most ``restartInterval`` entries, instead of a walk
/// of every key; sorted neighbours share all but a few bytes (resource ids of one
/// subscription and group), so the section is several times smaller than the same
/// keys front-coded in number order (see docs/log-format.md, "Index file").
///
/// Encoded (`k`, the number of keys, stands before it in the index):
/// `varint` restart interval, `varint` byte length L of the entries, `varint` offset
/// of each restart entry (the first 0, then differences), then the L bytes of
/// entries: `varint` bytes shared with the previous key (0 at a restart), `varint`
/// length and the other bytes, `varint` the key's number among the segment's keys.
struct SortedStreamKeys {
    /// Entries between two full keys: a lookup walks at most this many.
    static let restartInterval = 32

    /// The index's bytes; the entries are `entries` in them.
    private let bytes: [UInt8]
    private let entries: Range<Int>
    /// Where each restart entry begins in `bytes`.
    private let restarts: [Int]
    private let interval: Int
    /// How many keys.
    let count: Int

    /// Writes `keys` (numbered by position) sorted, as described above.
    static func encode(_ keys: [String], into w: inout ByteWriter) {
        let utf8 = keys.map { Array($0.utf8) }
        let order = utf8.indices.sorted { utf8[$0].lexicographicallyPrecedes(utf8[$1]) }
        var body = ByteWriter(capacity: keys.count * 8)
        var restarts: [Int] = []
        var previous: [UInt8] = []
        for (position, number) in order.enumerated() {
            let key = utf8[number]
            let atRestart = position % restartInterval == 0
            if atRestart { restarts.append(body.bytes.count) }
            let shared = atRestart ? 0 : BlockBuilder.sharedPrefixLength(previous, key)
            body.varint(shared)
            body.varint(key.count - shared)
            body.raw(key[shared...])
            body.varint(number)
            previous = key
        }
        w.varint(restartInterval)
        w.varint(body.bytes.count)
        var last = 0
        for r in restarts { w.varint(r - last); last = r }
        w.raw(body.bytes)
    }

    /// Reads `count` keys encoded by ``encode(_:into:)`` at `reader`'s offset in
    /// `bytes`, checking everything a lookup relies on: the keys strictly increase,
    /// each restart is where its offset says and shares nothing, and the numbers are
    /// `0..<count`, each once.
    static func read(_ count: Int, from reader: inout ByteReader, in bytes: [UInt8], maxKeyBytes: Int) throws(ByteReader.Truncated) -> SortedStreamKeys {
        let interval = try reader.count(atMost: 1 << 16)
        guard interval > 0 else { throw ByteReader.Truncated() }
        let length = try reader.count(atMost: reader.remaining)
        let restartCount = count == 0 ? 0 : (count - 1) / interval + 1
        var restarts: [Int] = []
        restarts.reserveCapacity(restartCount)
        var offset = 0
        for i in 0..<restartCount {
            let delta = try reader.count(atMost: length)
            guard i == 0 ? delta == 0 : delta > 0 else { throw ByteReader.Truncated() }
            offset += delta
            guard offset < length else { throw ByteReader.Truncated() }
            restarts.append(offset)
        }
        let start = reader.offset
        _ = try reader.raw(length)
        let keys = SortedStreamKeys(
            bytes: bytes, entries: start..<start + length, restarts: restarts.map { start + $0 },
            interval: interval, count: count)
        try keys.check(maxKeyBytes: maxKeyBytes)
        return keys
    }

    private init(bytes: [UInt8], entries: Range<Int>, restarts: [Int], interval: Int, count: Int) {
        self.bytes = bytes
        self.entries = entries
        self.restarts = restarts
        self.interval = interval
        self.count = count
    }

    /// Throws unless the entries have the shape ``read(_:from:in:maxKeyBytes:)`` promises.
    /// Every open of a log of 100,000 VMs runs this over 100,000 keys, so it reads
    /// the bytes through a buffer pointer (no slice, no reference count per entry),
    /// keeps the previous key in a buffer of fixed size, overwritten in place, and
    /// the numbers seen in a bit set.
    private func check(maxKeyBytes: Int) throws(ByteReader.Truncated) {
        var seen = [UInt64](repeating: 0, count: (count + 63) / 64)
        var previous = [UInt8](repeating: 0, count: maxKeyBytes)
        let ok = bytes.withUnsafeBufferPointer { b in
            previous.withUnsafeMutableBufferPointer { previous in
                seen.withUnsafeMutableBufferPointer { seen in
                    Self.check(b, entries, restarts: restarts, interval: interval, count: count, previous: previous, seen: seen)
                }
            }
        }
        guard ok else { throw ByteReader.Truncated() }
    }

    /// ``check(maxKeyBytes:)`` over the buffers it lends: `previous` is as long as the
    /// longest key allowed, `seen` has a bit per key.
    private static func check(
        _ b: UnsafeBufferPointer<UInt8>, _ entries: Range<Int>, restarts: [Int], interval: Int, count: Int,
        previous: UnsafeMutableBufferPointer<UInt8>, seen: UnsafeMutableBufferPointer<UInt64>
    ) -> Bool {
        var offset = entries.lowerBound
        let end = entries.upperBound
        func varint(atMost limit: Int) -> Int? {
            var result = 0
            var shift = 0
            while offset < end && shift < 63 {
                let byte = b[offset]
                offset += 1
                result |= Int(byte & 0x7F) &<< shift  // under 63, as the loop keeps it
                if byte < 0x80 { return result <= limit ? result : nil }
                shift += 7
            }
            return nil
        }
        var previousLength = 0
        // Counted down, not `position % interval`: a division per key showed in the
        // open of a log of 100,000 VMs.
        var untilRestart = 0
        var restart = 0
        for position in 0..<count {
            let atRestart = untilRestart == 0
            if atRestart {
                if offset != restarts[restart] { return false }
                restart += 1
                untilRestart = interval
            }
            untilRestart -= 1
            guard let shared = varint(atMost: atRestart ? 0 : previousLength),
                  let length = varint(atMost: previous.count - shared), length <= end - offset
            else { return false }
            let rest = offset..<offset + length
            offset += length
            // Strictly after the previous key: longer with the same prefix, or a
            // greater first differing byte. A restart shares nothing by
            // construction: whole keys are compared there.
            if position > 0 {
                if atRestart {
                    guard previous[0..<previousLength].lexicographicallyPrecedes(b[rest]) else { return false }
                } else {
                    guard length > 0, shared == previousLength || b[rest.lowerBound] > previous[shared] else { return false }
                }
            }
            guard let number = varint(atMost: count - 1) else { return false }
            let bit: UInt64 = 1 << UInt64(number & 63)
            if seen[number >> 6] & bit != 0 { return false }
            seen[number >> 6] |= bit
            (previous.baseAddress! + shared).update(from: b.baseAddress! + rest.lowerBound, count: length)
            previousLength = shared + length
        }
        return offset == end
    }

    /// The number of `key`, if it is here.
    func number(of key: [UInt8]) -> Int? {
        guard count > 0 else { return nil }
        // The last restart whose key is not after `key`.
        var lo = 0
        var hi = restarts.count - 1
        guard !key.lexicographicallyPrecedes(restartKey(0)) else { return nil }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if key.lexicographicallyPrecedes(restartKey(mid)) { hi = mid - 1 } else { lo = mid }
        }
        var found: Int?
        walk(from: restarts[lo], count: min(interval, count - lo * interval)) { number, current in
            if current.elementsEqual(key) { found = number }
            return found == nil && !key.lexicographicallyPrecedes(current)
        }
        return found
    }

    /// The whole key of restart `i` (a restart entry shares nothing).
    private func restartKey(_ i: Int) -> ArraySlice<UInt8> {
        var reader = ByteReader(bytes, offset: restarts[i], end: entries.upperBound)
        _ = try? reader.count(atMost: 0)
        return (try? reader.lengthPrefixed(atMost: Int.max)) ?? []
    }

    /// Calls `body` with each key's number and UTF-8 bytes, in key order.
    func forEach(_ body: (Int, ArraySlice<UInt8>) -> Void) {
        walk(from: entries.lowerBound, count: count) { number, key in body(number, key); return true }
    }

    /// Calls `body` with the number and UTF-8 bytes of `count` entries from the one at
    /// `offset` (a restart), until it returns false.
    private func walk(from offset: Int, count: Int, _ body: (Int, ArraySlice<UInt8>) -> Bool) {
        var reader = ByteReader(bytes, offset: offset, end: entries.upperBound)
        var current: [UInt8] = []
        for _ in 0..<count {
            // The shape was checked by `read`: these cannot fail.
            guard let shared = try? reader.count(atMost: current.count),
                  let rest = try? reader.lengthPrefixed(atMost: Int.max),
                  let number = try? reader.count(atMost: self.count - 1)
            else { return }
            current.removeSubrange(shared...)
            current.append(contentsOf: rest)
            if !body(number, current[...]) { return }
        }
    }

    /// Every key, by number.
    func keysByNumber() -> [String] {
        var keys = [String](repeating: "", count: count)
        forEach { number, key in keys[number] = String(decoding: key, as: UTF8.self) }
        return keys
    }
}
