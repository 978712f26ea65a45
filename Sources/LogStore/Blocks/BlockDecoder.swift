import ByteCoding
import BlockCompression

/// Decodes one block into reusable buffers, so that scanning a whole log allocates
/// per block at most, never per record.
///
/// After ``decode(_:at:header:dictionary:)`` the block's records are available by
/// index through ``view(_:)`` and the columns below.
final class BlockDecoder {
    private(set) var header = BlockHeader(compressed: false, count: 0, rawLength: 0, storedLength: 0, firstSequence: 1)
    private(set) var body: [UInt8] = []
    private(set) var times: [Int64] = []
    private(set) var streams: [UInt32] = []
    private(set) var idBytes: [UInt8] = []
    private(set) var idStarts: [Int] = []
    private(set) var payloadStarts: [Int] = []
    private(set) var newStreamBase: UInt32 = 0
    private(set) var newStreams: [String] = []

    var count: Int { header.count }

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
            if body.count != header.rawLength {
                body = [UInt8](repeating: 0, count: header.rawLength)
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
        let n = header.count
        var r = ByteReader(body)
        times.removeAll(keepingCapacity: true)
        streams.removeAll(keepingCapacity: true)
        idBytes.removeAll(keepingCapacity: true)
        idStarts.removeAll(keepingCapacity: true)
        payloadStarts.removeAll(keepingCapacity: true)
        newStreams.removeAll(keepingCapacity: true)

        let newCount = try r.count(atMost: body.count)
        if newCount > 0 {
            let base = try r.varint()
            guard base <= UInt64(UInt32.max) else { throw ByteReader.Truncated() }
            newStreamBase = UInt32(base)
            var previous: [UInt8] = []
            for _ in 0..<newCount {
                let key = try Self.frontDecoded(&r, previous: previous)
                newStreams.append(String(decoding: key, as: UTF8.self))
                previous = key
            }
        }
        var t: Int64 = 0
        for _ in 0..<n {
            t = t &+ (try TimeCoding.read(from: &r))
            times.append(t)
        }
        for _ in 0..<n {
            let s = try r.varint()
            guard s <= UInt64(UInt32.max) else { throw ByteReader.Truncated() }
            streams.append(UInt32(s))
        }
        var previousStart = 0
        for _ in 0..<n {
            let shared = try r.count(atMost: LogFormat.maxKeyBytes)
            let rest = try r.lengthPrefixed(atMost: LogFormat.maxKeyBytes)
            let start = idBytes.count
            guard shared <= (idStarts.isEmpty ? 0 : start - previousStart) else { throw ByteReader.Truncated() }
            for k in 0..<shared { idBytes.append(idBytes[previousStart + k]) }
            idBytes.append(contentsOf: rest)
            idStarts.append(start)
            previousStart = start
        }
        idStarts.append(idBytes.count)
        var lengths = 0
        var position = 0
        var starts = payloadStarts
        starts.removeAll(keepingCapacity: true)
        for _ in 0..<n {
            let len = try r.count(atMost: body.count)
            starts.append(position)
            position += len
            lengths += len
        }
        guard lengths == r.remaining else { throw ByteReader.Truncated() }
        let base = r.offset
        for i in 0..<n { starts[i] += base }
        starts.append(base + lengths)
        payloadStarts = starts
    }

    private static func frontDecoded(_ r: inout ByteReader, previous: [UInt8]) throws(ByteReader.Truncated) -> [UInt8] {
        let shared = try r.count(atMost: previous.count)
        let rest = try r.lengthPrefixed(atMost: LogFormat.maxKeyBytes)
        return Array(previous[0..<shared]) + rest
    }

    /// Record `i` of the block, without copying.
    func view(_ i: Int) -> RecordView {
        RecordView(
            sequence: header.firstSequence + UInt64(i), time: times[i], stream: StreamID(rawValue: streams[i]),
            idBytes: idBytes[idStarts[i]..<idStarts[i + 1]],
            payload: body[payloadStarts[i]..<payloadStarts[i + 1]])
    }
}

/// Why a block did not decode; becomes a ``LogError/corrupt(path:offset:reason:)``
/// once the caller adds where the block is.
struct DecodeFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
