import SystemIO

/// Sizes and counts of a log, for `patchlog info` and the benchmarks.
public struct LogStatistics: Sendable, Equatable {
    /// Segment files.
    public var segments = 0
    /// Blocks in all segments.
    public var blocks = 0
    /// Records (the last sequence number).
    public var records: UInt64 = 0
    /// Distinct stream keys.
    public var streams = 0
    /// Bytes of every file in the log directory: segments, indexes, identity, lock.
    public var diskBytes = 0
    /// Bytes of segment files alone.
    public var segmentBytes = 0
    /// Bytes of index and fingerprint files.
    public var indexBytes = 0
    /// Uncompressed size of every block body.
    public var rawBodyBytes = 0
    /// Earliest and latest valid time of any record, in nanoseconds since 1970.
    public var timeRange: ClosedRange<Int64>?
}

extension FileLog {
    /// Counts and sizes, from the in-memory indexes and the directory listing (no
    /// record is decoded).
    public func statistics() throws -> LogStatistics {
        try state.withLock {
            var s = LogStatistics()
            s.segments = segments.count
            s.records = lastSequence
            s.streams = streamKeys.count
            var lo = Int64.max
            var hi = Int64.min
            for segment in segments {
                s.blocks += segment.blocks.count
                for b in segment.blocks {
                    s.rawBodyBytes += b.rawLength
                    lo = min(lo, b.minTime)
                    hi = max(hi, b.maxTime)
                }
            }
            if lo <= hi { s.timeRange = lo...hi }
            do {
                for name in try FileSystem.list(directory) {
                    let size = try SystemFile.open(directory + "/" + name, access: .readOnly).size()
                    s.diskBytes += size
                    if name.hasSuffix(LogFormat.segmentSuffix) { s.segmentBytes += size }
                    if name.hasSuffix(LogFormat.indexSuffix) || name.hasSuffix(LogFormat.idsSuffix) { s.indexBytes += size }
                }
            } catch let error as SystemError {
                throw LogError.io(error)
            }
            return s
        }
    }
}
