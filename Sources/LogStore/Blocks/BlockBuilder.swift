import ByteCoding
import BlockCompression

/// Collects records for one block and encodes them (see docs/log-format.md, "Block
/// body"): columns of times, stream numbers, numeric-coded ids, keys, payload lengths,
/// where the payloads' random bytes are (if any has some), those bytes, then the
/// rest of the payloads, preceded by the stream keys this block is the first to use.
///
/// Columns rather than rows put like next to like, which is what LZ4 finds.
struct BlockBuilder {
    let firstSequence: UInt64
    private(set) var newStreamBase: UInt32 = 0
    private(set) var newStreams: [[UInt8]] = []
    private(set) var times: [Int64] = []
    private(set) var streams: [UInt32] = []
    private(set) var ids: [[UInt8]] = []
    private(set) var payloads: [[UInt8]] = []
    /// Each record's keys (sorted, unique).
    private(set) var keys: [[UInt32]] = []
    /// Each record's random bytes (``NewRecord/randomBytes``), empty for none.
    private(set) var separated: [Range<Int>] = []
    /// Whether any record has random bytes: the body then has the separated column.
    private(set) var hasSeparated = false
    /// An upper bound of the body's size so far, to decide when the block is full.
    private(set) var estimatedBytes = 0

    init(firstSequence: UInt64) { self.firstSequence = firstSequence }

    var count: Int { times.count }
    var isEmpty: Bool { times.isEmpty }

    /// Declares `key` as stream number `ordinal`, first used in this block.
    mutating func defineStream(_ key: [UInt8], ordinal: UInt32) {
        if newStreams.isEmpty { newStreamBase = ordinal }
        precondition(ordinal == newStreamBase + UInt32(newStreams.count))
        newStreams.append(key)
        estimatedBytes += key.count + 4
    }

    mutating func add(time: Int64, stream: UInt32, id: [UInt8], payload: [UInt8], keys recordKeys: [UInt32] = [], randomBytes: Range<Int>? = nil) {
        times.append(time)
        streams.append(stream)
        ids.append(id)
        payloads.append(payload)
        keys.append(recordKeys)
        if let r = randomBytes, !r.isEmpty, r.lowerBound >= 0, r.upperBound <= payload.count {
            separated.append(r)
            hasSeparated = true
            estimatedBytes += 10
        } else {
            separated.append(0..<0)
        }
        estimatedBytes += 10 + 5 + id.count + 4 + 5 + payload.count + 1 + 5 * recordKeys.count
    }

    /// The uncompressed body.
    func encodeBody() -> [UInt8] {
        var w = ByteWriter(capacity: estimatedBytes + 16)
        w.varint(newStreams.count)
        if !newStreams.isEmpty {
            w.varint(UInt64(newStreamBase))
            Self.frontCode(newStreams, into: &w)
        }
        var previous: Int64 = 0
        for t in times {
            TimeCoding.write(t &- previous, into: &w)
            previous = t
        }
        for s in streams { w.varint(UInt64(s)) }
        IDCoding.encode(ids, into: &w)
        Self.encodeKeys(keys, into: &w)
        for p in payloads { w.varint(p.count) }
        if hasSeparated {
            for r in separated {
                if r.isEmpty {
                    w.varint(0)
                } else {
                    w.varint(r.lowerBound + 1)
                    w.varint(r.count)
                }
            }
            for (p, r) in zip(payloads, separated) where !r.isEmpty { w.raw(p[r]) }
            for (p, r) in zip(payloads, separated) {
                if r.isEmpty {
                    w.raw(p)
                } else {
                    w.raw(p[..<r.lowerBound])
                    w.raw(p[r.upperBound...])
                }
            }
        } else {
            for p in payloads { w.raw(p) }
        }
        return w.bytes
    }

    /// The whole block: header (with its hash-chain link, following `previousLink`),
    /// body (compressed when that makes it smaller) and CRC-32C.
    func encode(compressor: LZ4Compressor, dictionary: [UInt8], previousLink: [UInt8]) throws(LZ4Error) -> (block: [UInt8], rawBody: [UInt8], link: [UInt8]) {
        let body = encodeBody()
        let link = HashChain.link(previous: previousLink, firstSequence: firstSequence, rawBody: body)
        var compressed: [UInt8] = []
        try compressor.compress(body, dictionary: dictionary, appendingTo: &compressed)
        let useCompressed = compressed.count < body.count
        let stored = useCompressed ? compressed : body
        let header = BlockHeader(
            compressed: useCompressed, count: count, rawLength: body.count,
            storedLength: stored.count, firstSequence: firstSequence, link: link, numericIDs: true,
            separated: hasSeparated)
        var w = ByteWriter(capacity: header.totalLength)
        header.encode(into: &w)
        w.raw(stored)
        w.u32(CRC32C.checksum(w.bytes))
        return (w.bytes, body, link)
    }

    /// Each string as (bytes shared with the previous one, rest length, rest).
    /// The keys column: per record, its count, then its keys (sorted) delta-coded.
    static func encodeKeys(_ keys: [[UInt32]], into w: inout ByteWriter) {
        for k in keys {
            w.varint(k.count)
            var previous: UInt32 = 0
            for v in k {
                w.varint(UInt64(v - previous))
                previous = v
            }
        }
    }

    static func frontCode(_ strings: [[UInt8]], into w: inout ByteWriter) {
        var previous: [UInt8] = []
        for s in strings {
            let shared = sharedPrefixLength(previous, s)
            w.varint(shared)
            w.varint(s.count - shared)
            w.raw(s[shared...])
            previous = s
        }
    }

    /// How many leading bytes `a` and `b` share (what front coding stores instead of them).
    static func sharedPrefixLength(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var shared = 0
        let limit = min(a.count, b.count)
        while shared < limit && a[shared] == b[shared] { shared += 1 }
        return shared
    }
}
