import SystemIO

extension FileLog {
    /// The records with sequence numbers in `range`, clamped to the log. Decodes only
    /// the blocks that hold them.
    public func read(_ range: ClosedRange<UInt64>) throws -> [StoredRecord] {
        try state.withLock {
            let lo = max(range.lowerBound, 1)
            let hi = min(range.upperBound, lastSequence)
            guard lo <= hi else { return [] }
            var out: [StoredRecord] = []
            out.reserveCapacity(Int(min(hi - lo + 1, 1 << 20)))
            try runDecoded(scanPlan(from: lo), from: lo) { decoder, r in
                guard decoder.header.firstSequence + UInt64(r) <= hi else { return false }
                out.append(materialize(decoder, r))
                return true
            }
            return out
        }
    }

    /// Every record of `stream` with time at most `timeAtMost`, in sequence order.
    /// Decodes only the blocks the stream index lists for it that begin by then.
    public func read(stream: String, timeAtMost: Int64) throws -> [StoredRecord] {
        try read(stream: stream, timeAtMost: timeAtMost, includingIDs: true)
    }

    /// Like ``read(stream:timeAtMost:)``; without `includingIDs` the records' ids are
    /// empty (every block's checksums are checked all the same).
    public func read(stream: String, timeAtMost: Int64, includingIDs: Bool) throws -> [StoredRecord] {
        try state.withLock {
            guard let number = streamNumber(stream) else { return [] }
            return try records(inBlocks: { try $0.blockNumbers(of: number) }, skipping: { $0.minTime > timeAtMost }, streamKey: stream,
                               streamNumber: number, includingIDs: includingIDs) { d, i in
                d.streams[i] == number && d.times[i] <= timeAtMost
            }
        }
    }

    /// The records that `keep` accepts in the blocks `blocks` lists for each segment
    /// (an inverted index: streams, keys), except those `skipping` rules out from the
    /// block table, in sequence order. Call holding `state`.
    /// `streamKey` and `streamNumber`, when every record kept is of one stream, are
    /// its key and number (the other records' ids are then not written out).
    private func records(inBlocks blocks: (Segment) throws -> [UInt32], skipping: (BlockEntry) -> Bool = { _ in false },
                         streamKey: String? = nil, streamNumber: UInt32? = nil, includingIDs: Bool = true,
                         where keep: (BlockDecoder, Int) -> Bool) throws -> [StoredRecord] {
        var out: [StoredRecord] = []
        let decoder = BlockDecoder()
        decoder.skipsIDs = !includingIDs
        decoder.onlyStream = streamNumber
        for segment in segments {
            // The lists come from an index file, which anyone can rewrite (with its
            // checksums): a block listed out of range, twice or out of order is damage,
            // never a crash or a record counted twice.
            var previous = -1
            for b in try blocks(segment) {
                let number = Int(b)
                guard number > previous, number < segment.blocks.count else {
                    throw LogError.corrupt(path: segment.indexPath, offset: 0, reason: "the index lists block \(b) of \(segment.blocks.count) out of range or out of order (it is derived: delete it and it is rebuilt)")
                }
                previous = number
                let entry = segment.blocks[number]
                if skipping(entry) { continue }
                try decode(try segment.readBlock(entry), at: 0, entry: entry, in: segment, into: decoder)
                for i in 0..<decoder.count where keep(decoder, i) { out.append(materialize(decoder, i, streamKey: streamKey)) }
            }
        }
        return out
    }

    /// Calls `body` with every record from `start` on, in sequence order, until it
    /// returns false. Sees the records appended before the call; appends may go on
    /// meanwhile. Allocates per block, not per record.
    public func scan(from start: UInt64, _ body: (RecordView) throws -> Bool) throws {
        try scan(from: start, includingIDs: true, body)
    }

    /// Like ``scan(from:_:)``; without `includingIDs` the views' ids are empty and
    /// the scan is faster.
    public func scan(from start: UInt64, includingIDs: Bool, _ body: (RecordView) throws -> Bool) throws {
        let plan = state.withLock { scanPlan(from: start) }
        try run(plan, from: start, includingIDs: includingIDs, body)
    }

    /// Like ``scan(from:includingIDs:_:)``; a view is built only for the records
    /// `choose` says to visit.
    public func scan(from start: UInt64, includingIDs: Bool, choosing choose: (UInt64, Int64, StreamID) -> ScanStep,
                     _ body: (RecordView) throws -> Bool) throws {
        let plan = state.withLock { scanPlan(from: start) }
        try runDecoded(plan, from: start, includingIDs: includingIDs) { decoder, r in
            switch choose(decoder.header.firstSequence + UInt64(r), decoder.times[r], StreamID(rawValue: decoder.streams[r])) {
            case .visit: return try body(decoder.view(r))
            case .skip: return true
            case .stop: return false
            }
        }
    }

    /// Calls `body` with the sequence number, time and stream of every record from
    /// `start` on, until it returns false. Decodes only those two columns of each
    /// block (the scan that follows, if any, checks the block checksums).
    public func scanTimeline(from start: UInt64, _ body: (UInt64, Int64, StreamID) throws -> Bool) throws {
        let plan = state.withLock { scanPlan(from: start) }
        try runDecoded(plan, from: start, includingIDs: false, timelineOnly: true) { decoder, r in
            try body(decoder.header.firstSequence + UInt64(r), decoder.times[r], StreamID(rawValue: decoder.streams[r]))
        }
    }

    /// The blocks a scan from `start` visits, per segment. Call holding `state`.
    func scanPlan(from start: UInt64) -> [(Segment, ArraySlice<BlockEntry>)] {
        var plan: [(Segment, ArraySlice<BlockEntry>)] = []
        for segment in segments where segment.nextSequence > start && !segment.blocks.isEmpty {
            let first = segment.blockIndex(containing: max(start, segment.base)) ?? 0
            plan.append((segment, segment.blocks[first...]))
        }
        return plan
    }

    /// Scans while holding `state` (for appends that must look at what is stored).
    func scanLocked(from start: UInt64, _ body: (RecordView) throws -> Bool) throws {
        try run(scanPlan(from: start), from: start, body)
    }

    private func run(_ plan: [(Segment, ArraySlice<BlockEntry>)], from start: UInt64, includingIDs: Bool = true, _ body: (RecordView) throws -> Bool) throws {
        try runDecoded(plan, from: start, includingIDs: includingIDs) { decoder, r in try body(decoder.view(r)) }
    }

    /// Decodes the blocks of `plan` in order and calls `body` with the decoder and the
    /// index of each record from sequence `start` on, until it returns false.
    private func runDecoded(_ plan: [(Segment, ArraySlice<BlockEntry>)], from start: UInt64, includingIDs: Bool = true,
                            timelineOnly: Bool = false, _ body: (BlockDecoder, Int) throws -> Bool) throws {
        let decoder = BlockDecoder()
        decoder.skipsIDs = !includingIDs
        decoder.timelineOnly = timelineOnly
        let chunkTarget = 1 << 20
        for (segment, blocks) in plan {
            var i = blocks.startIndex
            while i < blocks.endIndex {
                // Read a run of consecutive blocks with one pread.
                var j = i
                var length = 0
                while j < blocks.endIndex && (j == i || length + blocks[j].length <= chunkTarget) {
                    length += blocks[j].length
                    j += 1
                }
                let chunkStart = blocks[i].offset
                let chunk: [UInt8]
                do { chunk = try segment.file.read(at: chunkStart, count: length) } catch { throw LogError.io(error) }
                guard chunk.count == length else {
                    throw LogError.corrupt(path: segment.path, offset: chunkStart + chunk.count, reason: "segment is shorter than its index says")
                }
                for k in i..<j {
                    let entry = blocks[k]
                    try decode(chunk, at: entry.offset - chunkStart, entry: entry, in: segment, into: decoder, checksum: !timelineOnly)
                    for r in 0..<decoder.count {
                        if decoder.header.firstSequence + UInt64(r) < start { continue }
                        if try !body(decoder, r) { return }
                    }
                }
                i = j
            }
        }
    }

    /// The record with sequence `seq`, using the cached block when it holds it.
    /// Call holding `state`.
    func recordLocked(_ seq: UInt64) throws -> StoredRecord? {
        guard seq >= 1, seq <= lastSequence else { return nil }
        var lo = 0
        var hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].base <= seq { lo = mid } else { hi = mid - 1 }
        }
        let segment = segments[lo]
        guard let b = segment.blockIndex(containing: seq) else { return nil }
        if cachedBlock?.segment != segment.base || cachedBlock?.block != b {
            cachedBlock = nil
            let entry = segment.blocks[b]
            try decode(try segment.readBlock(entry), at: 0, entry: entry, in: segment, into: readDecoder)
            cachedBlock = (segment.base, b)
        }
        return materialize(readDecoder, Int(seq - segment.blocks[b].firstSequence))
    }

    private func decode(_ bytes: [UInt8], at offset: Int, entry: BlockEntry, in segment: Segment, into decoder: BlockDecoder, checksum: Bool = true) throws {
        let header: BlockHeader
        switch BlockHeader.parse(bytes, at: offset) {
        case let .success(h): header = h
        case let .failure(failure): throw LogError.corrupt(path: segment.path, offset: entry.offset, reason: failure.reason)
        }
        guard header.totalLength == entry.length, header.firstSequence == entry.firstSequence else {
            throw LogError.corrupt(path: segment.path, offset: entry.offset, reason: "block does not match the index (rebuild it by deleting \(LogFormat.indexName(base: segment.base)))")
        }
        do {
            if checksum {
                try decoder.decode(bytes, at: offset, header: header, dictionary: segment.header.dictionary)
            } else {
                try decoder.decodeVerified(bytes, at: offset, header: header, dictionary: segment.header.dictionary)
            }
        } catch {
            throw LogError.corrupt(path: segment.path, offset: entry.offset, reason: error.reason)
        }
    }

    /// Record `i` of the decoded block as a stored record (allocates); `streamKey`,
    /// if the caller knows it, saves decoding the log's stream keys. Call holding `state`.
    func materialize(_ decoder: BlockDecoder, _ i: Int, streamKey: String? = nil) -> StoredRecord {
        let view = decoder.view(i)
        return StoredRecord(
            sequence: view.sequence, time: view.time, stream: streamKey ?? streamKeys[Int(view.stream.rawValue)],
            id: view.id, payload: Array(view.payload), keys: Array(decoder.keys(i)))
    }

    /// Every record carrying `key` (see ``NewRecord/keys``), in sequence order. Decodes
    /// only the blocks the index lists for the key.
    public func read(key: UInt32) throws -> [StoredRecord] {
        try state.withLock {
            try records(inBlocks: { try $0.keyPostings.blocks(of: key) }) { d, i in d.keys(i).contains(key) }
        }
    }
}
