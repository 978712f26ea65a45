import ByteCoding
import SystemIO

extension FileLog {
    /// Runs `body`, which appends; if it throws, every record it appended is taken
    /// back out (segments truncated, new segments removed) before the error is
    /// rethrown, so the log is as it was before. Appends from other threads during
    /// `body` are taken back too: run transactions alone.
    ///
    /// Until `body` returns, the records it appends are not committed: the writer
    /// keeps a ``TransactionMarker`` (`TRANSACTION`, written durably before the first
    /// of them) saying where the log stood, readers opened meanwhile (and so
    /// `checkpoint`) see the log as it was then, and a writer that opens the log after
    /// a crash in the middle takes them back. Committing makes the records durable and
    /// removes the marker (durably) before this returns.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        guard access == .writer, lockFile != nil else { throw LogError.readOnly(directory: directory) }
        let (snapshot, outermost) = try state.withLock { () throws(LogError) -> (Snapshot, Bool) in
            let outermost = snapshotMarks.isEmpty
            if outermost {
                let last = segments.last!
                let marker = TransactionMarker(committed: lastSequence, segmentBase: last.base, segmentEnd: last.end)
                do throws(SystemError) { try marker.write(directory: directory) } catch { throw LogError.io(error) }
            }
            return (takeSnapshot(), outermost)
        }
        let result: R
        do {
            result = try body()
        } catch {
            state.withLock {
                restore(snapshot)
                if outermost { try? TransactionMarker.remove(directory: directory) }
            }
            throw error
        }
        try state.withLock { () throws(LogError) in
            guard outermost else { return releaseSnapshot() }
            do throws(SystemError) {
                // Under `none` nothing was synced; a commit must not outlive its records.
                if options.sync == .none { try segments.last!.file.sync() }
                try TransactionMarker.remove(directory: directory)
            } catch {
                restore(snapshot)
                try? TransactionMarker.remove(directory: directory)
                throw LogError.io(error)
            }
            releaseSnapshot()
        }
        return result
    }

    /// A writer that finds a transaction marker when it opens the log (its process
    /// died in a transaction) takes the transaction back: removes the segments created
    /// since it began, cuts the one that was last back to its length then, and removes
    /// the marker. Call before loading the segments.
    func takeBackInterruptedTransaction() throws {
        guard let marker = try TransactionMarker.read(directory: directory) else { return }
        for name in try FileSystem.list(directory) {
            guard let base = LogFormat.segmentBase(fileName: name) else { continue }
            let path = directory + "/" + name
            if base > marker.segmentBase {
                try FileSystem.remove(path)
                try FileSystem.remove(directory + "/" + LogFormat.indexName(base: base))
            } else if base == marker.segmentBase {
                let file = try SystemFile.open(path, access: .readWrite)
                defer { file.close() }
                if try file.size() > marker.segmentEnd {
                    try file.truncate(to: marker.segmentEnd)
                    try file.sync()
                }
            }
        }
        try FileSystem.syncDirectory(directory)
        try TransactionMarker.remove(directory: directory)
        recovery.uncommittedAfter = marker.committed
    }

    /// Hides from a reader the records after `marker`'s: those of a transaction still
    /// open, or of one whose writer died (which the next writer takes back).
    func hideUncommitted(after marker: TransactionMarker) throws(LogError) {
        recovery.uncommittedAfter = marker.committed
        guard lastSequence > marker.committed else { return }
        while let last = segments.last, last.base > marker.segmentBase {
            last.file.close()
            segments.removeLast()
        }
        if let last = segments.last, last.base == marker.segmentBase, last.end > marker.segmentEnd {
            let keep = last.blocks.firstIndex { $0.end > marker.segmentEnd } ?? last.blocks.count
            try last.streamPostings.loadChunks()
            last.truncateBlocks(to: keep, streamsBefore: Int(last.header.streamsBefore) + last.streamsDefined(inFirst: keep))
        }
        streamKeys = StreamKeyList()
        for segment in segments { streamKeys.append(contentsOf: segment.definedStreams) }
        if let segment = segments.last(where: { !$0.blocks.isEmpty }) {
            chainHead = try segment.readHeader(segment.blocks[segment.blocks.count - 1]).link
        } else {
            chainHead = HashChain.genesis(logID: identity.logID)
        }
    }

    /// Whether the last block this reader loaded is still in its file, as it was
    /// (length and checksum): no transaction took it back while the log was opened.
    func lastBlockIsStillThere() -> Bool {
        guard let segment = segments.last(where: { !$0.blocks.isEmpty }), let block = segment.blocks.last else { return true }
        guard let file = try? SystemFile.open(segment.path, access: .readOnly) else { return false }
        defer { file.close() }
        guard let bytes = try? file.read(at: block.end - 4, count: 4), bytes.count == 4 else { return false }
        return ByteReader.u32(bytes, at: 0) == block.crc
    }
}
