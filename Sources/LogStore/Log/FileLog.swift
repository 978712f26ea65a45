import BlockCompression
import Dispatch
import SystemIO

/// The log on disk: a directory of compressed segment files with their indexes.
///
/// ```swift
/// let log = try FileLog.create(at: "/var/lib/patchlog")
/// try log.append(NewRecord(time: t, stream: "vm-1", id: "e1", payload: bytes))
/// let records = try log.read(stream: "vm-1")
/// ```
///
/// One writer at a time holds the directory's advisory lock; any number of readers
/// may open it alongside and see a consistent prefix of what was appended. Opening
/// as the writer recovers from a crash: a torn tail is cut off (see ``recovery``) and
/// missing or stale indexes are rebuilt. The format is in `docs/log-format.md`.
///
/// Safe to use from several threads: appends are serialised (and grouped into one
/// `fsync` under ``SyncMode/batch``); reads may run alongside.
public final class FileLog: LogStore, @unchecked Sendable {
    /// Whether this handle may append.
    public enum Access: Sendable {
        /// Takes the writer lock; may append; repairs a torn tail on open.
        case writer
        /// Takes no lock; reads what was durable-or-written when it opened.
        case reader
    }

    /// The log's directory.
    public let directory: String
    /// The settings it was opened with.
    public let options: LogOptions
    /// Writer or reader.
    public let access: Access
    /// What opening it found and repaired.
    public internal(set) var recovery = RecoveryReport()
    /// Why ``close()`` could not write the index of the segment being appended to, if
    /// it could not (the records are durable; the index is rebuilt on the next open).
    public private(set) var closeError: (any Error)?

    let identity: LogIdentity
    var segments: [Segment] = []
    var streamKeys = StreamKeyList()
    /// Stream key → number, built from ``streamKeys`` when first needed (by a writer,
    /// or after a few lookups), not when the log is opened: a point query on a log of
    /// 100,000 VMs looks up one key, which a walk of the keys finds in a millisecond,
    /// while hashing them all takes tens.
    private var streamNumberTable: [String: UInt32]?
    private var streamLookups = 0
    /// Stream key → number (builds the table). Call holding `state`.
    var streamNumbers: [String: UInt32] {
        get {
            if streamNumberTable == nil { buildStreamNumbers() }
            return streamNumberTable!
        }
        _modify {
            if streamNumberTable == nil { buildStreamNumbers() }
            yield &streamNumberTable!
        }
    }

    private func buildStreamNumbers() {
        var table: [String: UInt32] = [:]
        table.reserveCapacity(streamKeys.count)
        for (i, key) in streamKeys.all.enumerated() { table[key] = UInt32(i) }
        streamNumberTable = table
    }

    /// The number of a stream key, without building the table for the first few
    /// lookups (the first few thousand where every index holds its keys sorted: a
    /// one-VM audit at 100,000 VMs looks up a thousand subscriptions). Call holding
    /// `state`.
    func streamNumber(_ key: String) -> UInt32? {
        if let table = streamNumberTable { return table[key] }
        streamLookups += 1
        if streamLookups > (streamKeys.searchesQuickly ? 4096 : 32) { return streamNumbers[key] }
        return streamKeys.firstIndex(of: key).map { UInt32($0) }
    }
    /// Fingerprints of every id in the log: a hit may be a real duplicate.
    var idTable = IDTable()

    /// Recent uncompressed block bodies: the next segment's dictionary.
    var recentRaw: [UInt8] = []
    /// The hash-chain link of the last block in the log (``HashChain``).
    var chainHead: [UInt8]
    private(set) var lockFile: SystemFile?
    let compressor: LZ4Compressor
    /// Guards everything above.
    let state = Condition()
    /// Group commit: appends waiting for the leader to write and sync them.
    let commitQueue = Condition()
    var queue: [CommitRequest] = []
    /// Index and fingerprints files a segment roll replaced while a snapshot was open:
    /// each path with a second name that keeps its old bytes (nil: it did not exist).
    var replacedFiles: [(path: String, kept: String?)] = []
    /// Per open snapshot, innermost last: the count of ``replacedFiles`` when taken.
    var snapshotMarks: [Int] = []
    var leaderActive = false
    /// The last block decoded for a point read.
    let readDecoder = BlockDecoder()
    var cachedBlock: (segment: UInt64, block: Int)?

    /// The log's random id, as 32 hex digits.
    public var logID: String { identity.logIDHex }
    /// When the log was created, in nanoseconds since 1970.
    public var createdAt: Int64 { identity.created }

    private init(directory: String, options: LogOptions, access: Access, identity: LogIdentity) {
        self.directory = directory
        self.options = options
        self.access = access
        self.identity = identity
        self.chainHead = HashChain.genesis(logID: identity.logID)
        self.compressor = LZ4Compressor(level: options.compressionLevel)
    }

    deinit { close() }

    /// Makes a new, empty log in `directory` (created if missing; it must not hold
    /// anything else) and opens it as the writer. `logID` (16 bytes) and `createdAt`
    /// give the new log an identity of the caller's, for a copy of another log that
    /// its checkpoints must name (`patchlog sync`); by default the id is random and
    /// the time is now.
    public static func create(at directory: String, options: LogOptions = LogOptions(), logID: [UInt8]? = nil, createdAt: Int64? = nil) throws -> FileLog {
        precondition(logID == nil || logID!.count == 16, "a log id is 16 bytes")
        if FileSystem.exists(directory) && !FileSystem.isDirectory(directory) {
            throw LogError.notALog(directory: directory, reason: "it is a file, not a directory (a log is a directory: give a new or empty one)")
        }
        do {
            try FileSystem.createDirectory(directory)
            let existing = try FileSystem.list(directory)
            if existing.contains(LogFormat.identityName) {
                throw LogError.notALog(directory: directory, reason: "it already holds a log")
            }
            // A create cut short by a crash leaves only the identity's temporary file:
            // that directory is still empty for our purposes.
            let leftover = LogFormat.identityName + ".tmp"
            let others = existing.filter { $0 != leftover }
            if !others.isEmpty {
                throw LogError.notALog(directory: directory, reason: "it is not empty (\(others.prefix(3).joined(separator: ", ")))")
            }
            if existing.contains(leftover) { try FileSystem.remove(directory + "/" + leftover) }
            let identity = LogIdentity(version: LogFormat.version, logID: logID ?? randomBytes(16), created: createdAt ?? wallClockNanoseconds())
            try FileSystem.writeAtomically(identity.encode(), to: directory + "/" + LogFormat.identityName, directory: directory)
        } catch let error as SystemError {
            throw LogError.io(error)
        }
        return try open(at: directory, options: options, access: .writer)
    }

    /// Whether `directory` holds a log (its identity file exists; whether it is
    /// intact is for ``open(at:options:access:)`` to say).
    public static func exists(at directory: String) -> Bool {
        FileSystem.exists(directory + "/" + LogFormat.identityName)
    }

    /// Opens the log in `directory`. As the writer it takes the lock (failing at once
    /// with ``LogError/locked(directory:holderPID:)`` if another writer holds it) and
    /// repairs what a crash left; as a reader it changes nothing.
    ///
    /// A reader sees committed records only: while a transaction is open (an import;
    /// see ``transaction(_:)``), or after a writer died in one, it sees the log as it
    /// was before the transaction began.
    public static func open(at directory: String, options: LogOptions = LogOptions(), access: Access = .writer) throws -> FileLog {
        let identity = try LogIdentity.read(directory: directory)
        if access == .writer {
            let log = FileLog(directory: directory, options: options, access: access, identity: identity)
            log.lockFile = try WriterLock.acquire(directory: directory)
            do {
                try log.takeBackInterruptedTransaction()
                try log.loadSegments()
                // A writer that died between creating a segment and syncing the
                // directory left a name that a power cut can still lose, with every
                // record this writer appends to it: make the names durable before the
                // first append is acknowledged (crash trials found it, docs/reliability.md).
                if options.sync != .none { try FileSystem.syncDirectory(directory) }
            } catch let error as SystemError {
                throw LogError.io(error)
            }
            return log
        }
        // A reader: the transaction marker is read before and after the segments, so
        // that a transaction that began or ended meanwhile is seen; if none was open at
        // either time, the last block read must still be there (a transaction begun and
        // taken back in between would have removed it), else the reader starts again.
        for attempt in 1...8 {
            let before = try TransactionMarker.read(directory: directory)
            let log = FileLog(directory: directory, options: options, access: access, identity: identity)
            do {
                try log.loadSegments()
            } catch {
                // The writer took back a transaction under the reader's feet: try again.
                let marked = before != nil || (try? TransactionMarker.read(directory: directory)) != nil
                guard attempt < 8, marked else { throw (error as? SystemError).map { LogError.io($0) } ?? error }
                continue
            }
            let after = try TransactionMarker.read(directory: directory)
            if let marker = [before, after].compactMap({ $0 }).min(by: { $0.committed < $1.committed }) {
                try log.hideUncommitted(after: marker)
                return log
            }
            if log.lastBlockIsStillThere() { return log }
        }
        throw LogError.corrupt(path: directory, offset: 0, reason: "the log's last block kept disappearing while it was opened (transactions taken back meanwhile); try again")
    }

    /// Writes the index of the segment being appended to, and releases the writer
    /// lock. Called when the log is released; calling it earlier ends appends. An
    /// index that cannot be written (a full disk) is not reported here but kept in
    /// ``closeError``; ``finish()`` throws it instead.
    public func close() {
        do { try finish() } catch { closeError = error }
    }

    /// Like ``close()``, but throws if the index of the segment being appended to
    /// cannot be written. The records are durable either way and the lock is released;
    /// a missing or stale index is rebuilt when the log is next opened (the failed
    /// write leaves no temporary file behind).
    public func finish() throws {
        try state.withLock {
            guard let lockFile else { return }
            defer {
                WriterLock.release(lockFile)
                self.lockFile = nil
            }
            if let last = segments.last, last.indexedLength != last.end {
                do throws(SystemError) { try SegmentIndexFile.write(last, directory: directory) } catch { throw LogError.io(error) }
            }
        }
    }

    /// The number of records, which is also the last sequence number.
    public var count: UInt64 { state.withLock { lastSequence } }

    var lastSequence: UInt64 { (segments.last?.nextSequence ?? 1) - 1 }

    /// The key of a stream number.
    public func streamKey(_ id: StreamID) -> String? {
        state.withLock { Int(id.rawValue) < streamKeys.count ? streamKeys[Int(id.rawValue)] : nil }
    }

    /// The number of a stream key.
    public func streamID(_ key: String) -> StreamID? {
        state.withLock { streamNumber(key).map(StreamID.init(rawValue:)) }
    }

    /// See ``LogStore/streams(whereKey:)``: the keys are walked as the indexes hold
    /// them, still encoded.
    public func streams(whereKey matches: (ArraySlice<UInt8>) -> Bool) -> [(id: StreamID, key: String)] {
        state.withLock { streamKeys.keys(where: matches).map { (StreamID(rawValue: UInt32($0.number)), $0.key) } }
    }

    private func loadSegments() throws {
        var names = try FileSystem.list(directory)
        if access == .writer {
            // Temporary files of an interrupted index write, and the fingerprint files
            // of builds before block flag bit 2 (the fingerprints now come from the blocks).
            for name in names where name.hasSuffix(".tmp") || name.hasSuffix(LogFormat.idsSuffix) {
                try FileSystem.remove(directory + "/" + name)
            }
            names.removeAll { $0.hasSuffix(".tmp") || $0.hasSuffix(LogFormat.idsSuffix) }
        }
        let bases = names.compactMap(LogFormat.segmentBase).sorted()
        var expectedBase: UInt64 = 1
        for (i, base) in bases.enumerated() {
            let isLast = i == bases.count - 1
            let path = directory + "/" + LogFormat.segmentName(base: base)
            guard base == expectedBase else {
                throw LogError.corrupt(path: path, offset: 0, reason: "segment should begin at sequence \(expectedBase); a segment is missing or out of place")
            }
            guard let loaded = try SegmentLoader.load(
                directory: directory, base: base, writable: access == .writer, streamsBefore: UInt32(streamKeys.count))
            else {
                guard isLast else { throw LogError.corrupt(path: path, offset: 0, reason: "segment header is cut short or damaged, and no block follows it") }
                let size = (try? FileSystem.read(path).count) ?? 0
                recovery.droppedBytes += size
                recovery.droppedAt = (LogFormat.segmentName(base: base), 0)
                if access == .writer {
                    try FileSystem.remove(path)
                    try FileSystem.remove(directory + "/" + LogFormat.indexName(base: base))
                    try FileSystem.remove(directory + "/" + LogFormat.idsName(base: base))
                    try FileSystem.syncDirectory(directory)
                } else {
                    recovery.tailInProgress = WriterLock.isHeld(directory: directory)
                }
                continue
            }
            let segment = loaded.segment
            try handleTail(loaded.tail, of: segment, isLast: isLast)
            if loaded.indexRebuilt {
                recovery.rebuiltIndexes.append(LogFormat.segmentName(base: base))
                if access == .writer && !segment.blocks.isEmpty { try SegmentIndexFile.write(segment, directory: directory) }
            }
            segments.append(segment)
            streamKeys.append(contentsOf: segment.definedStreams)
            expectedBase = segment.nextSequence
        }
        if access == .writer && segments.isEmpty {
            try createSegment(base: 1, streamsBefore: 0, dictionary: [])
        }
        if access == .writer { try loadFingerprints() }
        if let segment = segments.last(where: { !$0.blocks.isEmpty }) {
            chainHead = try segment.readHeader(segment.blocks[segment.blocks.count - 1]).link
        }
    }

    private func handleTail(_ tail: SegmentTail, of segment: Segment, isLast: Bool) throws {
        guard let offset = tail.invalidFrom else { return }
        let name = LogFormat.segmentName(base: segment.base)
        guard isLast else {
            var reason = "a sealed segment ends in \(tail.invalidBytes) bytes that are not a whole block"
            if case let .garbage(_, _, why) = tail { reason += " (\(why))" }
            throw LogError.corrupt(path: segment.path, offset: offset, reason: reason)
        }
        // In the last segment every tail (a partial block, zeros, bytes that are not a
        // valid block with no valid block after them) is what a crash or power cut can
        // leave: the writer cuts it, a reader ignores it.
        recovery.droppedBytes += tail.invalidBytes
        recovery.droppedAt = (name, offset)
        if access == .writer {
            try segment.file.truncate(to: offset)
            try segment.file.sync()
        } else {
            recovery.tailInProgress = WriterLock.isHeld(directory: directory)
        }
    }

    /// Starts a segment file: header with `dictionary`, then fsync of the file and of
    /// the directory so that the new name survives a crash.
    func createSegment(base: UInt64, streamsBefore: UInt32, dictionary: [UInt8]) throws {
        let bytes = try SegmentHeader.encode(base: base, streamsBefore: streamsBefore, dictionary: dictionary)
        let path = directory + "/" + LogFormat.segmentName(base: base)
        let file = try SystemFile.open(path, access: .readWrite, create: true, exclusive: true)
        do {
            try file.write(bytes, at: 0)
            try file.sync()
            try FileSystem.syncDirectory(directory)
        } catch {
            file.close()
            try? FileSystem.remove(path)
            throw error
        }
        let header = SegmentHeader(base: base, streamsBefore: streamsBefore, dictionary: dictionary, size: bytes.count)
        let segment = Segment(base: base, directory: directory, file: file, header: header)
        segments.append(segment)
    }

    /// Fills the id table with the fingerprint of every record's id, read from the
    /// blocks (only the times, streams and ids of each are decoded, each block's
    /// checksum checked): what makes appends idempotent. No file keeps them: at 4
    /// random bytes a record they would be a sixth of a log (docs/log-format.md). The
    /// blocks are shared out between two threads where there are two processors.
    private func loadFingerprints() throws {
        let blocks = segments.flatMap { s in s.blocks.map { (segment: s, entry: $0) } }
        guard !blocks.isEmpty else { return }
        let workers = min(2, SystemInfo.processorCount, max(1, blocks.count / 64))
        let job = FingerprintJob(blocks: blocks, workers: workers)
        if workers == 1 {
            job.run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { k in job.run(k) }
        }
        for k in 0..<workers {
            if let failure = job.failures[k] { throw failure }
            let first = blocks[job.shares[k].lowerBound].entry.firstSequence
            for (i, fp) in job.fingerprints[k].enumerated() { idTable.insert(fp: fp, sequence: first + UInt64(i)) }
        }
    }
}

/// The id fingerprints of a run of blocks, in record order, per thread.
private final class FingerprintJob: @unchecked Sendable {
    let blocks: [(segment: Segment, entry: BlockEntry)]
    let shares: [Range<Int>]
    var fingerprints: [[UInt32]]
    var failures: [LogError?]

    init(blocks: [(segment: Segment, entry: BlockEntry)], workers: Int) {
        self.blocks = blocks
        shares = (0..<workers).map { k in (blocks.count * k / workers)..<(blocks.count * (k + 1) / workers) }
        fingerprints = Array(repeating: [], count: workers)
        failures = Array(repeating: nil, count: workers)
    }

    /// Decodes share `k` (each thread writes only its own slots).
    func run(_ k: Int) {
        let decoder = BlockDecoder()
        decoder.stopsAfterIDs = true
        var out: [UInt32] = []
        out.reserveCapacity(shares[k].reduce(0) { $0 + blocks[$1].entry.count })
        do {
            for (segment, entry) in blocks[shares[k]] {
                let bytes = try segment.readBlock(entry)
                let failure: DecodeFailure?
                switch BlockHeader.parse(bytes, at: 0) {
                case let .success(header):
                    do {
                        try decoder.decode(bytes, at: 0, header: header, dictionary: segment.header.dictionary)
                        failure = nil
                    } catch {
                        failure = error
                    }
                case let .failure(error): failure = error
                }
                if let failure {
                    throw LogError.corrupt(path: segment.path, offset: entry.offset, reason: failure.reason + "; run `patchlog salvage` to see what is readable")
                }
                for i in 0..<decoder.count {
                    out.append(IDHash.hash32(IDHash.hash64(decoder.idBytes[decoder.idStarts[i]..<decoder.idStarts[i + 1]])))
                }
            }
        } catch let error as LogError {
            failures[k] = error
        } catch {
            failures[k] = .corrupt(path: blocks[shares[k].lowerBound].segment.path, offset: 0, reason: "\(error)")
        }
        fingerprints[k] = out
    }
}
