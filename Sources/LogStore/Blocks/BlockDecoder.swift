import ByteCoding
import BlockCompression

/// Decodes one block into reusable buffers, so that scanning a whole log allocates
/// per block at most, never per record.
///
/// After ``decode(_:at:header:dictionary:)`` the block's records are available by
/// index through ``view(_:)`` and the columns below.
final class BlockDecoder {
    private(set) var header = BlockHeader(compressed: false, count: 0, rawLength: 0, storedLength: 0, firstSequence: 1, link: [])
    private(set) var body: [UInt8] = []
    private(set) var times: [Int64] = []
    private(set) var streams: [UInt32] = []
    private(set) var idBytes: [UInt8] = []
    private(set) var idStarts: [Int] = []
    /// Record i's payload is `payloadBytes[payloadStarts[i]..<payloadStarts[i + 1]]`:
    /// a slice of the body, or of ``assembled`` when the block keeps random bytes apart.
    private(set) var payloadStarts: [Int] = []
    /// Payloads put back together (blocks with flag bit 2), reused from block to block.
    private(set) var assembled: [UInt8] = []
    private(set) var payloadsAssembled = false
    private var separatedAt: [Int] = []
    private var separatedCount: [Int] = []
    /// Record i's keys are `keyValues[keyStarts[i]..<keyStarts[i + 1]]`.
    private(set) var keyStarts: [Int] = []
    private(set) var keyValues: [UInt32] = []
    private(set) var newStreamBase: UInt32 = 0
    private(set) var newStreams: [String] = []

    var count: Int { header.count }
    /// When set, ids are skipped, not decoded: views have empty ids (for scans that
    /// never look at them, such as a replay; copying them was a fifth of its time).
    var skipsIDs = false
    /// When set, only the times and streams are decoded (ids, keys and payloads are
    /// left out: views must not be asked for), for a pass that needs nothing else.
    var timelineOnly = false
    /// When set, only the times, streams and ids are decoded (for the writer's id
    /// fingerprints): keys and payloads must not be asked for.
    var stopsAfterIDs = false
    /// When set, only the records of this stream are read out whole: the others' ids,
    /// keys and payloads are empty (every column is still checked as it is read). For
    /// a read of one stream, which keeps a few of a block's records: it copies out
    /// only their ids (see ``IDCoding/Walk``) and puts together only their payloads.
    var onlyStream: UInt32?
    /// The walk of the id column for ``onlyStream``, reused from block to block.
    private var idWalk = IDCoding.Walk()

    /// Checks the CRC of the block at `offset` in `bytes` and decodes it. Throws a
    /// reason (for a ``LogError/corrupt(path:offset:reason:)``) if anything is wrong.
    func decode(_ bytes: [UInt8], at offset: Int, header: BlockHeader, dictionary: [UInt8]) throws(DecodeFailure) {
        let crcAt = offset + LogFormat.blockHeaderSize + header.storedLength
        guard crcAt + 4 <= bytes.count else { throw DecodeFailure("block is cut short") }
        let expected = ByteReader.u32(bytes, at: crcAt)
        guard CRC32C.checksum(bytes, range: offset..<crcAt) == expected else {
            throw DecodeFailure("block checksum mismatch (records from sequence \(header.firstSequence))")
        }
        try decodeVerified(bytes, at: offset, header: header, dictionary: dictionary)
    }

    /// Decodes a block whose CRC has already been checked.
    func decodeVerified(_ bytes: [UInt8], at offset: Int, header: BlockHeader, dictionary: [UInt8]) throws(DecodeFailure) {
        self.header = header
        let bodyStart = offset + LogFormat.blockHeaderSize
        let bodyRange = bodyStart..<(bodyStart + header.storedLength)
        if header.compressed {
            // Before the buffer grows to the claimed size (up to 64 MiB of zeros).
            guard LZ4.canDecode(header.storedLength, to: header.rawLength) else { throw DecodeFailure("block body does not decompress") }
            // Resized in place: a new buffer per block (raw lengths differ) cost a
            // fresh allocation, its zeroing and its page faults each time.
            if body.count > header.rawLength {
                body.removeLast(body.count - header.rawLength)
            } else if body.count < header.rawLength {
                body.append(contentsOf: repeatElement(0, count: header.rawLength - body.count))
            }
            do {
                try LZ4.decompress(bytes, range: bodyRange, into: &body, dictionary: dictionary)
            } catch {
                throw DecodeFailure("block body does not decompress")
            }
        } else {
            guard header.storedLength == header.rawLength else { throw DecodeFailure("stored length differs from raw length") }
            body.removeAll(keepingCapacity: true)
            body.append(contentsOf: bytes[bodyRange])
        }
        do {
            try parseBody()
        } catch {
            throw DecodeFailure("block body is malformed")
        }
    }

    private func parseBody() throws(ByteReader.Truncated) {
        // The columns are parsed into local arrays (taken from the decoder so that
        // their storage is reused) through a bounds-checked cursor over the body's
        // buffer: this loop runs for every record of every block a scan reads.
        var times = take(&self.times), streams = take(&self.streams), idBytes = take(&self.idBytes)
        var idStarts = take(&self.idStarts), starts = take(&self.payloadStarts)
        var keyStarts = take(&self.keyStarts), keyValues = take(&self.keyValues)
        var assembled = take(&self.assembled), separatedAt = take(&self.separatedAt), separatedCount = take(&self.separatedCount)
        var walk = IDCoding.Walk()
        swap(&walk, &idWalk)
        let separated = header.separated
        var payloadsAssembled = false
        newStreams.removeAll(keepingCapacity: true)
        let n = header.count
        let numericIDs = header.numericIDs
        var newStreamBase: UInt32 = 0
        var defined: [String] = []
        let ok: Bool = body.withUnsafeBufferPointer { buffer in
            var r = BodyCursor(buffer)
            guard let newCount = r.varint(), newCount <= UInt64(buffer.count) else { return false }
            if newCount > 0 {
                guard let base = r.varint(), base <= UInt64(UInt32.max) else { return false }
                newStreamBase = UInt32(base)
                var previous: [UInt8] = []
                for _ in 0..<Int(newCount) {
                    guard let shared = r.varint(), shared <= UInt64(previous.count), let rest = r.bytes(limit: LogFormat.maxKeyBytes) else { return false }
                    let key = Array(previous[0..<Int(shared)]) + rest
                    defined.append(String(decoding: key, as: UTF8.self))
                    previous = key
                }
            }
            var t: Int64 = 0
            for _ in 0..<n {
                guard let d = r.time() else { return false }
                t = t &+ d
                times.append(t)
            }
            for _ in 0..<n {
                guard let v = r.varint(), v <= UInt64(UInt32.max) else { return false }
                streams.append(UInt32(v))
            }
            if timelineOnly { return true }
            var previousStart = 0
            let only = onlyStream
            if !skipsIDs, let only {
                walk.reset()
                for i in 0..<n {
                    guard let tag = r.varint() else { return false }
                    if !numericIDs || tag & 3 == 0 {
                        guard let rest = r.bytes(limit: LogFormat.maxKeyBytes),
                              walk.frontCoded(shared: numericIDs ? tag >> 2 : tag, rest: rest, first: i == 0, bounded: numericIDs)
                        else { return false }
                    } else {
                        guard i > 0, walk.numeric(tag: tag) else { return false }
                    }
                    idStarts.append(idBytes.count)
                    if streams[i] == only { idBytes.append(contentsOf: walk.id()) }
                }
            } else if numericIDs {
                for i in 0..<n {
                    guard let tag = r.varint() else { return false }
                    let start = idBytes.count
                    if tag & 3 == 0 {
                        guard let rest = r.bytes(limit: LogFormat.maxKeyBytes) else { return false }
                        if skipsIDs { idStarts.append(0); continue }
                        let shared = tag >> 2
                        guard shared <= UInt64(i == 0 ? 0 : start - previousStart), Int(shared) + rest.count <= LogFormat.maxKeyBytes else { return false }
                        IDCoding.appendCopy(of: Int(shared), from: previousStart, to: &idBytes)
                        idBytes.append(contentsOf: rest)
                    } else {
                        guard i > 0 else { return false }
                        if skipsIDs { idStarts.append(0); continue }
                        guard IDCoding.appendNumeric(tag: tag, previousStart: previousStart, to: &idBytes) else { return false }
                    }
                    idStarts.append(start)
                    previousStart = start
                }
            } else if skipsIDs {
                for _ in 0..<n {
                    guard r.varint() != nil, r.bytes(limit: LogFormat.maxKeyBytes) != nil else { return false }
                    idStarts.append(0)
                }
            } else {
                for i in 0..<n {
                    guard let shared = r.varint(), let rest = r.bytes(limit: LogFormat.maxKeyBytes) else { return false }
                    let start = idBytes.count
                    guard shared <= UInt64(i == 0 ? 0 : start - previousStart) else { return false }
                    // Element by element: appending a slice of the array to itself would copy it.
                    IDCoding.appendCopy(of: Int(shared), from: previousStart, to: &idBytes)
                    idBytes.append(contentsOf: rest)
                    idStarts.append(start)
                    previousStart = start
                }
            }
            idStarts.append(idBytes.count)
            if stopsAfterIDs { return true }
            for i in 0..<n {
                keyStarts.append(keyValues.count)
                guard let c = r.varint(), c <= UInt64(LogFormat.maxKeysPerRecord) else { return false }
                let kept = only == nil || streams[i] == only
                var v: UInt64 = 0
                for _ in 0..<Int(c) {
                    guard let d = r.varint(), d <= UInt64(UInt32.max) - v else { return false }
                    v += d
                    if kept { keyValues.append(UInt32(v)) }
                }
            }
            keyStarts.append(keyValues.count)
            var position = 0
            for _ in 0..<n {
                guard let len = r.varint(), len <= UInt64(buffer.count) else { return false }
                starts.append(position)
                position += Int(len)
            }
            if separated {
                // Where each payload's random bytes were, then those bytes, then the
                // rest of the payloads: put each payload back together.
                var total = 0
                for i in 0..<n {
                    let length = (i + 1 < n ? starts[i + 1] : position) - starts[i]
                    guard let s = r.varint() else { return false }
                    if s == 0 {
                        separatedAt.append(0)
                        separatedCount.append(0)
                        continue
                    }
                    guard let c = r.varint(), c >= 1, s - 1 <= UInt64(length), c <= UInt64(length) - (s - 1) else { return false }
                    separatedAt.append(Int(s - 1))
                    separatedCount.append(Int(c))
                    total += Int(c)
                }
                guard position == buffer.count - r.offset else { return false }
                // The payloads take `position` bytes: size the buffer once, then copy.
                if assembled.count < position {
                    assembled.append(contentsOf: repeatElement(0, count: position - assembled.count))
                }
                assembled.withUnsafeMutableBufferPointer { out in
                    let source = buffer.baseAddress!
                    var random = r.offset
                    var rest = r.offset + total
                    var to = 0
                    for i in 0..<n {
                        let length = (i + 1 < n ? starts[i + 1] : position) - starts[i]
                        let at = separatedAt[i], count = separatedCount[i]
                        starts[i] = to
                        if only == nil || streams[i] == only {
                            (out.baseAddress! + to).update(from: source + rest, count: at)
                            (out.baseAddress! + to + at).update(from: source + random, count: count)
                            (out.baseAddress! + to + at + count).update(from: source + rest + at, count: length - at - count)
                            to += length
                        }
                        rest += length - count
                        random += count
                    }
                    starts.append(to)
                }
                payloadsAssembled = true
                return true
            }
            guard position == buffer.count - r.offset else { return false }
            let base = r.offset
            for i in 0..<n { starts[i] += base }
            starts.append(base + position)
            return true
        }
        self.times = times
        self.streams = streams
        self.idBytes = idBytes
        self.idStarts = idStarts
        self.payloadStarts = starts
        self.keyStarts = keyStarts
        self.keyValues = keyValues
        self.newStreamBase = newStreamBase
        self.newStreams = defined
        self.assembled = assembled
        self.separatedAt = separatedAt
        self.separatedCount = separatedCount
        self.idWalk = walk
        self.payloadsAssembled = payloadsAssembled
        guard ok else { throw ByteReader.Truncated() }
    }

    /// Empties an array and hands over its storage.
    private func take<T>(_ array: inout [T]) -> [T] {
        var out: [T] = []
        swap(&out, &array)
        out.removeAll(keepingCapacity: true)
        return out
    }

    /// The keys of record `i`.
    func keys(_ i: Int) -> ArraySlice<UInt32> { keyValues[keyStarts[i]..<keyStarts[i + 1]] }

    /// Record `i` of the block, without copying.
    func view(_ i: Int) -> RecordView {
        RecordView(
            sequence: header.firstSequence + UInt64(i), time: times[i], stream: StreamID(rawValue: streams[i]),
            idBytes: idBytes[idStarts[i]..<idStarts[i + 1]],
            payload: payloadsAssembled ? assembled[payloadStarts[i]..<payloadStarts[i + 1]] : body[payloadStarts[i]..<payloadStarts[i + 1]])
    }
}

/// Why a block did not decode; becomes a ``LogError/corrupt(path:offset:reason:)``
/// once the caller adds where the block is.
struct DecodeFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A bounds-checked reader of a block body's varints, over its buffer: `nil` where
/// the bytes run out or a value does not fit.
struct BodyCursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always)
    mutating func varint() -> UInt64? {
        // Most values of a block fit in one byte: that case returns first. The shifts
        // are masking ones (`&<<`): the loop keeps them under 64, and a plain `<<`
        // would test for an over-shift on every byte of every record a scan reads.
        guard offset < buffer.count else { return nil }
        let first = buffer[offset]
        offset += 1
        if first < 0x80 { return UInt64(first) }
        var result = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while offset < buffer.count && shift < 64 {
            let b = buffer[offset]
            offset += 1
            result |= UInt64(b & 0x7F) &<< shift
            if b < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    /// A varint length, then that many bytes.
    mutating func bytes(limit: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let n = varint(), n <= UInt64(limit), offset + Int(n) <= buffer.count else { return nil }
        defer { offset += Int(n) }
        return UnsafeBufferPointer(rebasing: buffer[offset..<(offset + Int(n))])
    }

    /// A time difference (see ``TimeCoding``).
    mutating func time() -> Int64? {
        guard let v = varint() else { return nil }
        let e = Int(v & 0xF)
        if e == 15 {
            guard let z = varint() else { return nil }
            return Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
        }
        guard e <= 14 else { return nil }
        let z = v >> 4
        let q = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
        let (value, overflow) = q.multipliedReportingOverflow(by: TimeCoding.power(e))
        return overflow ? nil : value
    }
}
