/// When an append is acknowledged, relative to the disk.
public enum SyncMode: String, Sendable, CaseIterable {
    /// `fsync` once per append call before it returns.
    case always
    /// Group commit: an append returns once an `fsync` that began after its write has
    /// finished; appends from several threads share one `fsync`. The default.
    case batch
    /// No `fsync`: the operating system writes when it pleases. A crash of the
    /// machine (not of the process) may lose acknowledged appends.
    case none
}

/// Settings of an open log. None of them is recorded in the log: a log written with
/// one setting reads with any other.
public struct LogOptions: Sendable, Equatable {
    /// A segment is closed and a new one begun when the next block would take it past
    /// this many bytes. Default 64 MiB.
    public var segmentBytes: Int
    /// Records are grouped into a block until its uncompressed body reaches this many
    /// bytes (or the append call ends). Larger blocks compress better; a point read
    /// decodes one block. Default 32 KiB.
    public var blockBytes: Int
    /// Durability of appends. Default ``SyncMode/batch``.
    public var sync: SyncMode
    /// 0 = LZ4 fast; 1...12 = LZ4HC levels (smaller, slower to write, as fast to
    /// read). Default 4: a quarter smaller than fast for half its write speed
    /// (docs/benchmarks.md).
    public var compressionLevel: Int
    /// Bytes of recent record data a new segment keeps as its shared dictionary.
    public var dictionaryBytes: Int

    /// The defaults, with any of them replaced.
    public init(
        segmentBytes: Int = 64 << 20, blockBytes: Int = 32 << 10, sync: SyncMode = .batch,
        compressionLevel: Int = 4, dictionaryBytes: Int = 32 << 10
    ) {
        self.segmentBytes = segmentBytes
        self.blockBytes = blockBytes
        self.sync = sync
        self.compressionLevel = compressionLevel
        self.dictionaryBytes = dictionaryBytes
    }
}
