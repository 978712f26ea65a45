import LogStore

/// The leaves of a log's Merkle tree: one per record, in sequence order (record
/// number N is leaf N − 1).
///
/// A leaf is the record as the log holds it, in a canonical byte form that does not
/// depend on how the store compresses or lays it out: time (8 bytes, little-endian,
/// two's complement), stream key and id (each a 4-byte little-endian length and the
/// UTF-8 bytes), then the payload. Its hash is ``MerkleHash/leaf(_:)`` of those bytes.
public enum LogLeaves {
    /// The canonical bytes of one record.
    public static func bytes(time: Int64, stream: some Collection<UInt8>, id: some Collection<UInt8>, payload: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + stream.count + id.count + payload.count)
        withUnsafeBytes(of: UInt64(bitPattern: time).littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(stream.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: stream)
        withUnsafeBytes(of: UInt32(id.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: id)
        out.append(contentsOf: payload)
        return out
    }

    /// The leaf hash of a stored record.
    public static func hash(_ record: StoredRecord) -> Hash32 {
        MerkleHash.leaf(bytes(time: record.time, stream: Array(record.stream.utf8), id: Array(record.id.utf8), payload: record.payload))
    }

    /// Calls `body` with the leaf hash of each of the log's first `count` records,
    /// in order, reading the log once.
    public static func forEach(in log: any LogStore, count: UInt64, _ body: (UInt64, Hash32) throws -> Void) throws {
        guard count > 0 else { return }
        var keys: [[UInt8]] = []
        var index: UInt64 = 0
        try log.scan { view in
            let n = Int(view.stream.rawValue)
            while keys.count <= n {
                guard let key = log.streamKey(StreamID(rawValue: UInt32(keys.count))) else {
                    throw EvidenceError.unreadable("record \(view.sequence) belongs to stream number \(n), which the log does not define")
                }
                keys.append(Array(key.utf8))
            }
            try body(index, MerkleHash.leaf(bytes(time: view.time, stream: keys[n], id: view.idBytes, payload: view.payload)))
            index += 1
            return index < count
        }
    }

    /// The subtree roots of `ranges` (disjoint leaf ranges, in any order) and the root
    /// of the tree of the first `size` leaves, reading the log once.
    public static func hashes(of ranges: [Range<UInt64>], size: UInt64, in log: any LogStore) throws -> (ranges: [Hash32], root: Hash32) {
        let order = ranges.indices.sorted { ranges[$0].lowerBound < ranges[$1].lowerBound }
        var results = [Hash32?](repeating: nil, count: ranges.count)
        var tree = MerkleAccumulator()
        var next = 0
        var current: MerkleAccumulator?
        try forEach(in: log, count: size) { index, leaf in
            tree.append(leaf: leaf)
            while next < order.count, ranges[order[next]].isEmpty { next += 1 }
            guard next < order.count else { return }
            let range = ranges[order[next]]
            if range.contains(index) {
                if current == nil { current = MerkleAccumulator() }
                current!.append(leaf: leaf)
                if index + 1 == range.upperBound {
                    results[order[next]] = current!.root
                    current = nil
                    next += 1
                }
            }
        }
        guard tree.size == size, results.allSatisfy({ $0 != nil }) else {
            throw EvidenceError.logTooShort(records: tree.size, needed: size)
        }
        return (results.map { $0! }, tree.root)
    }
}
