import ByteCoding
import SystemIO

/// One caller's batch waiting in the group-commit queue.
final class CommitRequest {
    let batch: [NewRecord]
    var result: Result<[AppendOutcome], any Error>?
    init(_ batch: [NewRecord]) { self.batch = batch }
}

extension FileLog {
    /// Appends a batch, whole or not at all, and returns once it is durable under the
    /// log's ``SyncMode``. A record whose id is already in the log (or earlier in the
    /// batch) with identical time, stream and payload is not appended again; with any
    /// difference the whole batch fails with ``LogError/idConflict(id:existingSequence:)``.
    /// A failed write or sync leaves the log as it was before the call.
    public func append(_ records: [NewRecord]) throws -> [AppendOutcome] {
        guard access == .writer, lockFile != nil else { throw LogError.readOnly(directory: directory) }
        if records.isEmpty { return [] }
        if options.sync != .batch {
            return try state.withLock { commit([records]) }[0].get()
        }
        // Group commit: the first caller to find no leader becomes it, writes every
        // waiting batch and syncs once; the others wait for their result.
        let request = CommitRequest(records)
        commitQueue.lock()
        queue.append(request)
        while request.result == nil {
            if leaderActive {
                commitQueue.wait()
                continue
            }
            leaderActive = true
            let group = queue
            queue.removeAll()
            commitQueue.unlock()
            let results = state.withLock { commit(group.map(\.batch)) }
            commitQueue.lock()
            for (r, result) in zip(group, results) { r.result = result }
            leaderActive = false
            commitQueue.broadcast()
        }
        commitQueue.unlock()
        return try request.result!.get()
    }

    /// Checks and writes several batches with one write and one sync. Each batch
    /// succeeds or fails on its own checks; a failed write fails every batch that
    /// would have been written. Call holding `state`.
    func commit(_ batches: [[NewRecord]]) -> [Result<[AppendOutcome], any Error>] {
        var results: [Result<[AppendOutcome], any Error>] = []
        // The records accepted so far, found by their id's hash (a dictionary keyed by
        // the id itself cost a tenth of an import in hashing and resizing); ids whose
        // hash an accepted record of another id already has go to `overflow`.
        var accepted: [(record: NewRecord, hash: UInt64)] = []
        var byHash: [UInt64: Int] = [:]
        var overflow: [String: Int] = [:]
        let next = lastSequence + 1
        func earlier(_ id: String, _ hash: UInt64) -> Int? {
            guard let i = byHash[hash] else { return nil }
            return accepted[i].record.id == id ? i : overflow[id]
        }
        for batch in batches {
            let mark = accepted.count
            var added: [UInt64] = []
            var addedOverflow: [String] = []
            do {
                var outcomes: [AppendOutcome] = []
                outcomes.reserveCapacity(batch.count)
                for (i, r) in batch.enumerated() {
                    try RecordValidation.check(r, index: i)
                    let hash = IDHash.hash64(r.id.utf8)
                    if let e = earlier(r.id, hash) {
                        let seq = next + UInt64(e)
                        guard accepted[e].record == r else { throw LogError.idConflict(id: r.id, existingSequence: seq) }
                        outcomes.append(.duplicate(seq))
                        continue
                    }
                    if let existing = try storedRecord(id: r.id, hash: hash) {
                        guard existing.unsequenced == r else { throw LogError.idConflict(id: r.id, existingSequence: existing.sequence) }
                        outcomes.append(.duplicate(existing.sequence))
                        continue
                    }
                    if byHash[hash] == nil {
                        byHash[hash] = accepted.count
                        added.append(hash)
                    } else {
                        overflow[r.id] = accepted.count
                        addedOverflow.append(r.id)
                    }
                    outcomes.append(.appended(next + UInt64(accepted.count)))
                    accepted.append((r, hash))
                }
                results.append(.success(outcomes))
            } catch {
                // This batch fails alone: forget what it accepted.
                accepted.removeSubrange(mark...)
                for h in added { byHash[h] = nil }
                for id in addedOverflow { overflow[id] = nil }
                results.append(.failure(error))
            }
        }
        guard !accepted.isEmpty else { return results }
        do {
            try write(accepted.map(\.record))
            for (i, a) in accepted.enumerated() { idTable.insert(fp: IDHash.hash32(a.hash), sequence: next + UInt64(i)) }
        } catch {
            let failure = (error as? SystemError).map { LogError.io($0) } ?? error
            for i in results.indices where (try? results[i].get()) != nil { results[i] = .failure(failure) }
        }
        return results
    }

    /// The record already in the log with this id, if any: the records whose id has
    /// the same fingerprint, read and compared.
    private func storedRecord(id: String, hash: UInt64) throws -> StoredRecord? {
        var found: StoredRecord?
        try idTable.candidates(fp: IDHash.hash32(hash), last: lastSequence) { seq in
            if let record = try recordLocked(seq), record.id == id { found = record; return false }
            return true
        }
        return found
    }

    /// Encodes `records` into blocks, rolling segments as they fill, writes them with
    /// one write per segment, and syncs as the mode asks. On any failure, truncates
    /// and removes what it wrote and restores the in-memory state.
    private func write(_ records: [NewRecord]) throws {
        let snapshot = takeSnapshot()
        let start = segments.last!
        do {
            var pending: [UInt8] = []
            var pendingAt = start.end
            var builder = BlockBuilder(firstSequence: lastSequence + 1)

            func flush() throws {
                guard !builder.isEmpty else { return }
                var active = segments.last!
                var encoded = try builder.encode(compressor: compressor, dictionary: active.header.dictionary, previousLink: chainHead)
                if !active.blocks.isEmpty && (active.end + encoded.block.count > options.segmentBytes || wantsDictionary(active)) {
                    if !pending.isEmpty { try active.file.write(pending, at: pendingAt) }
                    pending.removeAll(keepingCapacity: true)
                    try roll()
                    active = segments.last!
                    pendingAt = active.end
                    encoded = try builder.encode(compressor: compressor, dictionary: active.header.dictionary, previousLink: chainHead)
                }
                let block = encoded.block
                let entry = BlockEntry(
                    offset: active.end, length: block.count, firstSequence: builder.firstSequence, count: builder.count,
                    minTime: builder.times.min()!, maxTime: builder.times.max()!,
                    crc: ByteReader.u32(block, at: block.count - 4), rawLength: encoded.rawBody.count)
                active.add(entry, newStreams: builder.newStreams.map { String(decoding: $0, as: UTF8.self) },
                           streams: builder.streams, keys: builder.keys.joined())
                pending.append(contentsOf: block)
                remember(encoded.rawBody)
                chainHead = encoded.link
                builder = BlockBuilder(firstSequence: builder.firstSequence + UInt64(builder.count))
            }

            for r in records {
                let streamBytes = Array(r.stream.utf8)
                let ordinal: UInt32
                if let known = streamNumbers[r.stream] {
                    ordinal = known
                } else {
                    ordinal = UInt32(streamKeys.count)
                    streamNumbers[r.stream] = ordinal
                    streamKeys.append(r.stream)
                    builder.defineStream(streamBytes, ordinal: ordinal)
                }
                builder.add(time: r.time, stream: ordinal, id: Array(r.id.utf8), payload: r.payload, keys: r.keys, randomBytes: r.randomBytes)
                if builder.estimatedBytes >= options.blockBytes || builder.count >= LogFormat.maxRecordsPerBlock {
                    try flush()
                }
            }
            try flush()
            let active = segments.last!
            if !pending.isEmpty { try active.file.write(pending, at: pendingAt) }
            if options.sync != .none { try active.file.sync() }
            releaseSnapshot()
        } catch {
            restore(snapshot)
            throw error
        }
    }

    /// Where the log stands: enough to put it back there.
    struct Snapshot {
        let segmentCount: Int
        let blocks: Int
        let end: Int
        let indexedLength: Int
        let streams: Int
        let recentRaw: [UInt8]
        let chainHead: [UInt8]
        /// How many entries ``FileLog/replacedFiles`` had: those after it are this
        /// snapshot's to put back.
        let replacedMark: Int
    }

    /// Notes where the log stands, and keeps every index or fingerprints file a roll
    /// replaces until the snapshot is released (``releaseSnapshot()``) or restored
    /// (``restore(_:)``). Call holding `state`; every snapshot taken must be released
    /// or restored, innermost first.
    func takeSnapshot() -> Snapshot {
        let last = segments.last!
        snapshotMarks.append(replacedFiles.count)
        return Snapshot(
            segmentCount: segments.count, blocks: last.blocks.count, end: last.end, indexedLength: last.indexedLength,
            streams: streamKeys.count, recentRaw: recentRaw, chainHead: chainHead, replacedMark: replacedFiles.count)
    }

    /// Ends the innermost snapshot: what was written since stays. When no snapshot is
    /// left, the kept copies of replaced files are removed.
    func releaseSnapshot() {
        snapshotMarks.removeLast()
        if snapshotMarks.isEmpty { discardKeptFiles() }
    }

    /// Before a roll replaces `path` (an index or fingerprints file), keeps its bytes
    /// under a second name (a hard link ending in `.tmp`, which a writer opening after
    /// a crash removes), or notes that it did not exist, so that restoring the
    /// innermost snapshot puts it back. Nothing to do outside a snapshot, or when this
    /// snapshot already keeps the file.
    func keepForTakeBack(_ path: String) throws {
        guard let mark = snapshotMarks.last else { return }
        if replacedFiles[mark...].contains(where: { $0.path == path }) { return }
        var kept: String?
        if FileSystem.exists(path) {
            let name = path + ".kept-\(replacedFiles.count).tmp"
            try? FileSystem.remove(name)
            try FileSystem.link(path, to: name)
            kept = name
        }
        replacedFiles.append((path, kept))
    }

    private func discardKeptFiles() {
        for (_, kept) in replacedFiles { if let kept { try? FileSystem.remove(kept) } }
        replacedFiles.removeAll()
    }

    /// Puts the log back where `snapshot` was taken and ends it: removes the segments
    /// created since, truncates the one that was last, puts back the index and
    /// fingerprints files replaced since, forgets streams added since (ids added since
    /// stay in the id table, where lookups skip them). Every file in the directory is
    /// byte for byte as it was.
    func restore(_ snapshot: Snapshot) {
        let start = segments[snapshot.segmentCount - 1]
        let created = segments[snapshot.segmentCount...]
        for segment in created {
            segment.file.close()
            try? FileSystem.remove(segment.path)
            try? FileSystem.remove(segment.indexPath)
        }
        // The removals must be durable before the truncation below is: a crash in
        // between would otherwise bring back a segment that no longer follows on.
        if !created.isEmpty { try? FileSystem.syncDirectory(directory) }
        segments.removeSubrange(snapshot.segmentCount...)
        if start.blocks.count > snapshot.blocks {
            start.truncateBlocks(to: snapshot.blocks, streamsBefore: snapshot.streams)
        }
        try? start.file.truncate(to: snapshot.end)
        try? start.file.sync()
        // Index and fingerprints files replaced since go back to the bytes they had
        // (or away, if they did not exist), newest first.
        let putBack = replacedFiles[snapshot.replacedMark...]
        for (path, kept) in putBack.reversed() {
            if let kept { try? FileSystem.rename(kept, to: path) } else { try? FileSystem.remove(path) }
        }
        if !putBack.isEmpty { try? FileSystem.syncDirectory(directory) }
        replacedFiles.removeSubrange(snapshot.replacedMark...)
        start.indexedLength = snapshot.indexedLength
        snapshotMarks.removeLast()
        if snapshotMarks.isEmpty { discardKeptFiles() }
        for key in streamKeys.all[snapshot.streams...] { streamNumbers[key] = nil }
        streamKeys.removeSubrange(from: snapshot.streams)
        recentRaw = snapshot.recentRaw
        chainHead = snapshot.chainHead
        cachedBlock = nil
        // The id table keeps entries past the new end: lookups skip them (see IDTable).
    }

    /// Whether to start a new segment early so that it gets a dictionary: the log's
    /// first segment has none, and a log small enough to fit one segment would
    /// otherwise never have one. Once enough record data exists to fill a dictionary,
    /// that segment is sealed while it is still small.
    private func wantsDictionary(_ segment: Segment) -> Bool {
        options.dictionaryBytes > 0 && segment.header.dictionary.isEmpty && recentRaw.count >= options.dictionaryBytes
    }

    /// Keeps the most recent uncompressed block bodies, up to the dictionary size.
    private func remember(_ raw: [UInt8]) {
        let limit = options.dictionaryBytes
        guard limit > 0 else { return }
        if raw.count >= limit {
            recentRaw = Array(raw.suffix(limit))
        } else {
            recentRaw.append(contentsOf: raw)
            if recentRaw.count > limit { recentRaw.removeFirst(recentRaw.count - limit) }
        }
    }

    /// Seals the active segment (sync, index) and starts the next, whose dictionary
    /// is the most recent record data.
    private func roll() throws {
        let old = segments.last!
        try old.file.sync()
        try keepForTakeBack(old.indexPath)
        try SegmentIndexFile.write(old, directory: directory)
        if recentRaw.count < options.dictionaryBytes { try refillRecent(from: old) }
        try createSegment(base: old.nextSequence, streamsBefore: old.streamsAfter, dictionary: recentRaw)
    }

    /// Fills the dictionary source from the last blocks of `segment` (after a reopen,
    /// when nothing has been appended yet in this process).
    private func refillRecent(from segment: Segment) throws {
        var bodies: [[UInt8]] = []
        var total = 0
        let decoder = BlockDecoder()
        for entry in segment.blocks.reversed() where total < options.dictionaryBytes {
            let bytes = try segment.readBlock(entry)
            guard case let .success(header) = BlockHeader.parse(bytes, at: 0) else { break }
            do { try decoder.decode(bytes, at: 0, header: header, dictionary: segment.header.dictionary) } catch { break }
            bodies.append(decoder.body)
            total += decoder.body.count
        }
        recentRaw = []
        for body in bodies.reversed() { remember(body) }
    }
}
