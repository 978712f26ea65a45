import ByteCoding

/// For each value (a stream number, a record key), the numbers of the segment's
/// blocks that hold it: the inverted index a reader uses to decode only the blocks it
/// needs.
///
/// The lists read from an index file stay encoded (delta-coded varints) until a value
/// is asked for, so that opening a log costs little however many values it has;
/// lists for blocks added since are kept decoded.
struct BlockPostings {
    /// Value → block numbers, for blocks added since the index file was read.
    private var recent: [UInt32: [UInt32]] = [:]
    /// Value → where its encoded list starts in `indexedBytes`, and its length.
    private var indexed: [UInt32: (start: Int, count: Int)] = [:]
    private var indexedBytes: [UInt8] = []

    /// Notes that block number `block` holds `value` (blocks are added in order).
    mutating func add(_ value: UInt32, block: UInt32) {
        if recent[value]?.last != block { recent[value, default: []].append(block) }
    }

    /// The numbers of the blocks holding `value`, in order.
    func blocks(of value: UInt32) -> [UInt32] {
        var out: [UInt32] = []
        if let (start, count) = indexed[value] {
            var r = ByteReader(indexedBytes, offset: start)
            var block: UInt32 = 0
            out.reserveCapacity(count + (recent[value]?.count ?? 0))
            for _ in 0..<count {
                block &+= UInt32(truncatingIfNeeded: (try? r.varint()) ?? 0)
                out.append(block)
            }
        }
        if let more = recent[value] { out.append(contentsOf: more) }
        return out
    }

    /// Every value held, sorted.
    var values: [UInt32] { Array(Set(indexed.keys).union(recent.keys)).sorted() }

    /// Decodes every list (before they are changed).
    mutating func materialize() {
        guard !indexed.isEmpty else { return }
        var all: [UInt32: [UInt32]] = [:]
        for v in values { all[v] = blocks(of: v) }
        recent = all
        indexed = [:]
        indexedBytes = []
    }

    /// Folds the decoded lists into the encoded form (1-2 bytes an entry instead of 4
    /// and an array per value): a writer calls this every so many blocks, so that a
    /// large active segment's lists do not grow with every block in arrays.
    mutating func compact() {
        guard !recent.isEmpty else { return }
        var w = ByteWriter()
        encode(into: &w)
        var r = ByteReader(w.bytes)
        guard let folded = try? Self.decode(&r, in: w.bytes, blockCount: Int(UInt32.max)) else { return }
        self = folded
    }

    /// Forgets blocks from number `count` on.
    mutating func truncate(toBlocks count: Int) {
        materialize()
        for (v, list) in recent {
            let trimmed = list.filter { $0 < UInt32(count) }
            recent[v] = trimmed.isEmpty ? nil : trimmed
        }
    }

    /// Writes the lists: `varint n`, then per value (ascending) `varint value delta`,
    /// `varint blocks`, `varint bytes`, and the block numbers as deltas.
    func encode(into p: inout ByteWriter) {
        let all = values
        p.varint(all.count)
        var previousValue: UInt32 = 0
        var list = ByteWriter()
        for v in all {
            let blocks = blocks(of: v)
            p.varint(UInt64(v - previousValue))
            previousValue = v
            p.varint(blocks.count)
            list.bytes.removeAll(keepingCapacity: true)
            var previousBlock: UInt32 = 0
            for b in blocks {
                list.varint(UInt64(b - previousBlock))
                previousBlock = b
            }
            p.varint(list.bytes.count)
            p.raw(list.bytes)
        }
    }

    /// Reads lists written by ``encode(into:)`` at `p` in `bytes`, keeping them encoded.
    static func decode(_ p: inout ByteReader, in bytes: [UInt8], blockCount: Int) throws(ByteReader.Truncated) -> BlockPostings {
        var result = BlockPostings()
        let n = try p.count(atMost: p.remaining)
        result.indexed.reserveCapacity(n)
        var value: UInt32 = 0
        for _ in 0..<n {
            let delta = try p.count(atMost: Int(UInt32.max))
            guard UInt64(value) + UInt64(delta) <= UInt64(UInt32.max) else { throw ByteReader.Truncated() }
            value += UInt32(delta)
            let count = try p.count(atMost: blockCount)
            let length = try p.count(atMost: p.remaining)
            result.indexed[value] = (p.offset, count)
            p.offset += length
        }
        result.indexedBytes = bytes
        return result
    }
}
