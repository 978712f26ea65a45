import ByteCoding

/// For each value (a stream number, a record key), the numbers of the segment's
/// blocks that hold it: the inverted index a reader uses to decode only the blocks it
/// needs.
///
/// The lists read from an index file stay encoded (``BlockListCoding``) until a value
/// is asked for, so that opening a log costs little however many values it has;
/// lists for blocks added since are kept decoded.
struct BlockPostings {
    /// Value → block numbers, for blocks added since the index file was read.
    private var recent: [UInt32: [UInt32]] = [:]
    /// The lists read from an index file, as written there: `indexedCount` entries
    /// from `indexedStart` in `indexedBytes` (see ``encode(into:)``). Nothing is
    /// built from them when they are read: a lookup walks the entries' headers (each
    /// skips its list by its byte length), so opening a log of 100,000 streams builds
    /// no table of 100,000 entries per segment for a query that wants one.
    private var indexedBytes: [UInt8] = []
    private var indexedStart = 0
    private var indexedCount = 0
    /// Lists left in the index file, read a chunk at a time (a sealed segment's
    /// stream lists, for a reader).
    private var chunked: ChunkedPostings?
    /// How the lists in `indexedBytes` are coded (this build writes Rice codes; an
    /// index of layout 0 to 2 holds varints).
    private var coding: BlockListCoding = .rice

    /// Notes that block number `block` holds `value` (blocks are added in order).
    mutating func add(_ value: UInt32, block: UInt32) {
        if recent[value]?.last != block { recent[value, default: []].append(block) }
    }

    /// Calls `body` with each encoded entry in order: its value, block count, and
    /// where its list starts; stops when `body` returns false.
    private func walkIndexed(_ body: (UInt32, Int, Range<Int>) -> Bool) {
        Self.walk(indexedBytes, from: indexedStart, count: indexedCount, firstValue: 0, body)
    }

    /// Decodes the encoded list of `count` blocks in `range`.
    private func decodedList(at range: Range<Int>, count: Int, into out: inout [UInt32]) {
        coding.decode(indexedBytes, from: range.lowerBound, end: range.upperBound, count: count, into: &out)
    }

    /// The numbers of the blocks holding `value`, in order. Throws only for lists
    /// left in the index file, when their chunk cannot be read or fails its checksum.
    ///
    /// - Complexity: O(values in the encoded part) for the walk, plus the list; for
    ///   lists in the file, one chunk read.
    func blocks(of value: UInt32) throws(LogError) -> [UInt32] {
        var out: [UInt32] = []
        if let chunked, let i = chunked.chunk(holding: value) {
            let bytes = try chunked.bytes(ofChunk: i)
            Self.walk(bytes, from: 0, count: chunked.chunks[i].entries, firstValue: chunked.chunks[i].firstValue) { v, count, range in
                if v == value { chunked.coding.decode(bytes, from: range.lowerBound, end: range.upperBound, count: count, into: &out) }
                return v < value
            }
        }
        walkIndexed { v, count, range in
            if v == value { decodedList(at: range, count: count, into: &out) }
            return v < value
        }
        if let more = recent[value] { out.append(contentsOf: more) }
        return out
    }

    /// Walks `count` entries of encoded lists in `bytes` from `start`, the first
    /// value counted from `firstValue`.
    private static func walk(_ bytes: [UInt8], from start: Int, count: Int, firstValue: UInt32, _ body: (UInt32, Int, Range<Int>) -> Bool) {
        var r = ByteReader(bytes, offset: start)
        var value = firstValue
        for _ in 0..<count {
            // A block number takes at least one bit (Rice) or byte (varint).
            guard let delta = try? r.varint(), let n = try? r.varint(), let length = try? r.varint(),
                  length <= UInt64(r.remaining), n <= 8 * length else { return }
            value &+= UInt32(truncatingIfNeeded: delta)
            if !body(value, Int(n), r.offset..<r.offset + Int(length)) { return }
            r.offset += Int(length)
        }
    }

    /// Reads every chunk left in the index file into memory (a writer does this for
    /// the segments it may change; nothing else of it changes).
    mutating func loadChunks() throws(LogError) {
        guard let chunked else { return }
        var all: [UInt32: [UInt32]] = [:]
        for i in chunked.chunks.indices {
            let bytes = try chunked.bytes(ofChunk: i)
            Self.walk(bytes, from: 0, count: chunked.chunks[i].entries, firstValue: chunked.chunks[i].firstValue) { v, count, range in
                var list: [UInt32] = []
                chunked.coding.decode(bytes, from: range.lowerBound, end: range.upperBound, count: count, into: &list)
                all[v] = list
                return true
            }
        }
        self.chunked = nil
        for (v, list) in recent { all[v, default: []] += list }
        recent = all
    }

    /// Calls `body` with every value held and its blocks, by value. Lists left in
    /// the index file must have been loaded first (``loadChunks()``).
    func forEachList(_ body: (UInt32, [UInt32]) -> Void) {
        precondition(chunked == nil, "stream lists still in the index file")
        let later = recent.keys.sorted()
        var k = 0
        walkIndexed { v, count, range in
            while k < later.count && later[k] < v {
                body(later[k], recent[later[k]]!)
                k += 1
            }
            var list: [UInt32] = []
            decodedList(at: range, count: count, into: &list)
            if k < later.count && later[k] == v {
                list += recent[v]!
                k += 1
            }
            body(v, list)
            return true
        }
        while k < later.count {
            body(later[k], recent[later[k]]!)
            k += 1
        }
    }

    /// Every value held, sorted.
    var values: [UInt32] {
        var out: [UInt32] = []
        forEachList { v, _ in out.append(v) }
        return out
    }

    /// Decodes every list (before they are changed).
    mutating func materialize() {
        guard indexedCount > 0 else { return }
        var all: [UInt32: [UInt32]] = [:]
        forEachList { v, list in all[v] = list }
        recent = all
        indexedBytes = []
        indexedStart = 0
        indexedCount = 0
    }

    /// Folds the decoded lists into the encoded form (about a byte an entry instead of 4
    /// and an array per value): a writer calls this every so many blocks, so that a
    /// large active segment's lists do not grow with every block in arrays.
    mutating func compact() {
        guard !recent.isEmpty else { return }
        var w = ByteWriter()
        encode(into: &w)
        var r = ByteReader(w.bytes)
        guard let folded = try? Self.decode(&r, in: w.bytes, blockCount: Int(UInt32.max), coding: .rice) else { return }
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
    /// `varint blocks`, `varint bytes`, and the block numbers Rice-coded
    /// (``BlockListCoding``).
    func encode(into p: inout ByteWriter) {
        var entries = ByteWriter()
        var n = 0
        var previousValue: UInt32 = 0
        var list = ByteWriter()
        forEachList { v, blocks in
            n += 1
            Self.appendEntry(valueDelta: v - previousValue, blocks: blocks, into: &entries, scratch: &list)
            previousValue = v
        }
        p.varint(n)
        p.raw(entries.bytes)
    }

    /// Reads lists written by ``encode(into:)`` at `p` in `bytes`, keeping them
    /// encoded; checks that every entry's header is well formed, its values
    /// ascending and its list within the bytes.
    static func decode(_ p: inout ByteReader, in bytes: [UInt8], blockCount: Int, coding: BlockListCoding) throws(ByteReader.Truncated) -> BlockPostings {
        var result = BlockPostings()
        result.coding = coding
        let n = try p.count(atMost: p.remaining)
        result.indexedStart = p.offset
        var value: UInt32 = 0
        for i in 0..<n {
            let delta = try p.count(atMost: Int(UInt32.max))
            guard UInt64(value) + UInt64(delta) <= UInt64(UInt32.max), i == 0 || delta > 0 else { throw ByteReader.Truncated() }
            value += UInt32(delta)
            _ = try p.count(atMost: blockCount)
            let length = try p.count(atMost: p.remaining)
            p.offset += length
        }
        result.indexedCount = n
        result.indexedBytes = bytes
        return result
    }

    /// Writes the lists in chunks of ``ChunkedPostings/entriesPerChunk``: the
    /// directory into `directory` (`varint n`, then per chunk `varint` first value
    /// minus the previous chunk's, `varint` entries, `varint` byte length, `u32`
    /// CRC-32C of the chunk), and returns the chunks themselves, back to back (each
    /// entry as in ``encode(into:)``, the first value counted from the chunk's).
    func encodeChunked(directory: inout ByteWriter) -> [UInt8] {
        var data = ByteWriter()
        var dir = ByteWriter()
        var chunk = ByteWriter()
        var chunks = 0
        var entries = 0
        var chunkFirst: UInt32 = 0
        var previousChunkFirst: UInt32 = 0
        var previousValue: UInt32 = 0
        var list = ByteWriter()
        func close() {
            guard entries > 0 else { return }
            dir.varint(UInt64(chunkFirst - previousChunkFirst))
            previousChunkFirst = chunkFirst
            dir.varint(entries)
            dir.varint(chunk.bytes.count)
            dir.u32(CRC32C.checksum(chunk.bytes))
            data.raw(chunk.bytes)
            chunk.bytes.removeAll(keepingCapacity: true)
            chunks += 1
            entries = 0
        }
        forEachList { v, blocks in
            if entries == ChunkedPostings.entriesPerChunk { close() }
            if entries == 0 {
                chunkFirst = v
                previousValue = v
            }
            Self.appendEntry(valueDelta: v - previousValue, blocks: blocks, into: &chunk, scratch: &list)
            previousValue = v
            entries += 1
        }
        close()
        directory.varint(chunks)
        directory.raw(dir.bytes)
        return data.bytes
    }

    /// Writes one entry: `varint` value delta, `varint` blocks, `varint` bytes, and
    /// the block numbers Rice-coded (in `scratch` first, for their length), their
    /// differences modulo 2^32 as a reader adds them up (a list is always ascending;
    /// tests write others, as anyone may, to check that they are found).
    private static func appendEntry(valueDelta: UInt32, blocks: [UInt32], into out: inout ByteWriter, scratch list: inout ByteWriter) {
        out.varint(UInt64(valueDelta))
        out.varint(blocks.count)
        list.bytes.removeAll(keepingCapacity: true)
        BlockListCoding.rice.append(blocks, to: &list)
        out.varint(list.bytes.count)
        out.raw(list.bytes)
    }

    /// Lists left in the index file at `path` (see ``encodeChunked(directory:)``),
    /// read a chunk at a time when asked for.
    static func chunked(_ postings: ChunkedPostings) -> BlockPostings {
        var result = BlockPostings()
        result.chunked = postings
        return result
    }
}
