import ByteCoding
import SystemIO

/// The result of reading a whole log and checking every checksum.
public struct VerificationReport: Sendable, Equatable {
    /// A problem found, with where it is.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// Segment or other file name within the log directory.
        public var file: String
        /// Byte offset in that file.
        public var offset: Int
        /// What is wrong.
        public var reason: String
        /// The first sequence number that cannot be read because of it, if known.
        public var firstUnreadableSequence: UInt64?
        /// Whether the problem is the tail of the last segment: bytes that are not a
        /// valid block, with no valid block after them, that no zero run explains. A
        /// power cut can leave this (stale bytes in a write it tore) as well as damage
        /// can, and opening the log as the writer cuts it.
        public var isTail = false

        /// `file at offset N: reason`.
        public var description: String {
            "\(file) at offset \(offset): \(reason)" + (firstUnreadableSequence.map { " (records from sequence \($0) on)" } ?? "")
                + (isTail ? "; nothing valid follows it, so it may also be a write torn by a power cut: opening the log as the writer cuts it" : "")
        }
    }

    /// Segments read.
    public var segments = 0
    /// Blocks whose checksum was checked.
    public var blocks = 0
    /// Records read and checked.
    public var records: UInt64 = 0
    /// The first damage found; nil when every byte checked out.
    public var problem: Problem?
    /// Things that are not damage: a torn tail the next writer will cut, a write in
    /// progress, an index that will be rebuilt.
    public var notes: [String] = []

    /// The hash-chain link of the last block read, in hex: every block's link was
    /// recomputed from its records and matched up to here.
    public var chainHead = ""

    /// No damage.
    public var isIntact: Bool { problem == nil }
}

extension FileLog {
    /// Reads every block of the log in `directory`, checking every checksum, sequence
    /// number, stream number and hash-chain link, and stops at the first damage. Changes nothing.
    /// Index files are checked against what the segments say: every list in them (block
    /// table, streams defined, each stream's and each key's blocks) is recomputed from
    /// the records, and any difference is damage naming the index file.
    public static func verify(directory: String) throws -> VerificationReport {
        let identity = try LogIdentity.read(directory: directory)
        var report = VerificationReport()
        let names: [String]
        do { names = try FileSystem.list(directory) } catch { throw LogError.io(error) }
        let bases = names.compactMap(LogFormat.segmentBase).sorted()
        var streams: UInt32 = 0
        var keys: [String] = []
        var expected: UInt64 = 1
        let chain = ChainCheck(head: HashChain.genesis(logID: identity.logID))
        for (i, base) in bases.enumerated() {
            let name = LogFormat.segmentName(base: base)
            let isLast = i == bases.count - 1
            guard base == expected else {
                report.problem = .init(file: name, offset: 0, reason: "segment should begin at sequence \(expected)", firstUnreadableSequence: expected)
                return report
            }
            let result = Result { () throws(LogError) -> SegmentLoader.Loaded? in
                try SegmentLoader.load(directory: directory, base: base, writable: false, streamsBefore: streams, useIndex: false, chain: chain)
            }
            if case let .failure(.corrupt(path, offset, reason)) = result {
                // The damaged block's first sequence: the one after the last block that
                // checked out (in this segment, or the segment's first).
                report.problem = .init(file: lastComponent(path), offset: offset, reason: reason, firstUnreadableSequence: max(expected, chain.nextSequence))
                return report
            }
            let loaded = try result.get()
            guard let loaded else {
                if isLast { report.notes.append("\(name): header cut short or torn by a crash or power cut, and no block after it; the next writer removes it") } else {
                    report.problem = .init(file: name, offset: 0, reason: "segment header is cut short", firstUnreadableSequence: expected)
                }
                break
            }
            let segment = loaded.segment
            report.segments += 1
            report.blocks += segment.blocks.count
            report.records += UInt64(segment.recordCount)
            expected = segment.nextSequence
            streams = segment.streamsAfter
            keys += segment.definedStreams.all
            if let offset = loaded.tail.invalidFrom {
                let writing = WriterLock.isHeld(directory: directory)
                if case let .garbage(_, _, reason) = loaded.tail, !writing || !isLast {
                    report.problem = .init(file: name, offset: offset, reason: reason, firstUnreadableSequence: expected, isTail: isLast)
                    return report
                }
                if !isLast {
                    report.problem = .init(file: name, offset: offset, reason: "a sealed segment ends in \(loaded.tail.invalidBytes) bytes that are not a whole block", firstUnreadableSequence: expected)
                    return report
                }
                report.notes.append(writing
                    ? "\(name): \(loaded.tail.invalidBytes) bytes at offset \(offset) are being written by the writer"
                    : "\(name): torn tail of \(loaded.tail.invalidBytes) bytes at offset \(offset), left by a crash or power cut; the next writer cuts it")
            }
            // The index file, if present, must agree with the segment.
            let indexed = Segment(base: base, directory: directory, file: segment.file, header: segment.header)
            let size = segment.end
            if FileSystem.exists(indexed.indexPath) {
                let ok = SegmentIndexFile.load(into: indexed, segmentSize: size + loaded.tail.invalidBytes) { end in
                    guard end >= 4, let b = try? segment.file.read(at: end - 4, count: 4), b.count == 4 else { return nil }
                    return ByteReader.u32(b, at: 0)
                }
                if !ok {
                    report.notes.append("\(LogFormat.indexName(base: base)): damaged or out of date; rebuilt when the log is next opened")
                } else if let difference = segment.indexDifference(indexed, streamKey: { keys.indices.contains(Int($0)) ? keys[Int($0)] : "number \($0)" }) {
                    // Queries follow these lists: a list rewritten with its checksums
                    // would make answers lie. The index is derived; it is not rebuilt
                    // while it checks out, so this is damage.
                    report.problem = .init(
                        file: LogFormat.indexName(base: base), offset: 0,
                        reason: "the index disagrees with the records of \(name): \(difference) (it is derived: delete it and it is rebuilt)",
                        firstUnreadableSequence: nil)
                    return report
                } else if indexed.blocks.count < segment.blocks.count {
                    report.notes.append("\(LogFormat.indexName(base: base)): covers \(indexed.blocks.count) of \(segment.blocks.count) blocks; extended when the log is next opened")
                }
            }
        }
        report.chainHead = Hex.encode(chain.head)
        switch Result(catching: { () throws(LogError) in try TransactionMarker.read(directory: directory) }) {
        case let .success(marker?) where marker.committed < report.records:
            report.notes.append(WriterLock.isHeld(directory: directory)
                ? "records after sequence \(marker.committed) belong to a transaction in progress (an import): readers and checkpoints do not see them until it commits"
                : "records after sequence \(marker.committed) belong to a transaction a crash interrupted: readers do not see them, and the next writer takes them back")
        case .success: break
        case let .failure(error):
            report.problem = .init(file: TransactionMarker.name, offset: 0, reason: "\(error)", firstUnreadableSequence: nil)
        }
        return report
    }

    private static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
