/// What opening a log found and did about it: a torn tail cut off, a segment whose
/// creation was cut short removed, indexes rebuilt from their segments.
public struct RecoveryReport: Sendable, Equatable, CustomStringConvertible {
    /// Bytes after the last valid record that were cut off (by a writer) or ignored
    /// (by a reader: the next writer cuts them).
    public var droppedBytes = 0
    /// Where the dropped bytes began: segment file and offset.
    public var droppedAt: (file: String, offset: Int)? {
        get { droppedFile.map { ($0, droppedOffset) } }
        set { droppedFile = newValue?.file; droppedOffset = newValue?.offset ?? 0 }
    }
    private var droppedFile: String?
    private var droppedOffset = 0
    /// Segment files whose index file was missing, damaged or stale and was rebuilt.
    public var rebuiltIndexes: [String] = []
    /// Whether the tail is a write still in progress by another process (a reader
    /// opened the log while a writer was appending).
    public var tailInProgress = false
    /// The last committed sequence number, when records after it belong to a
    /// transaction (an import) that was open (a reader does not see them) or that a
    /// crash interrupted (a writer took them back).
    public var uncommittedAfter: UInt64?

    /// Nothing was found to repair.
    public var isClean: Bool { droppedBytes == 0 && rebuiltIndexes.isEmpty }

    /// One line a person can read.
    public var description: String {
        var parts: [String] = []
        if let at = droppedAt {
            parts.append(tailInProgress
                ? "ignored \(droppedBytes) bytes being written at \(at.file) offset \(at.offset)"
                : "dropped a torn tail of \(droppedBytes) bytes at \(at.file) offset \(at.offset)")
        }
        if let n = uncommittedAfter { parts.append("records after sequence \(n) belong to a transaction not committed (an import in progress, or one a crash interrupted): not seen, and taken back by a writer") }
        if !rebuiltIndexes.isEmpty { parts.append("rebuilt the index of \(rebuiltIndexes.joined(separator: ", "))") }
        return parts.isEmpty ? "clean" : parts.joined(separator: "; ")
    }

    /// Equal when every field is.
    public static func == (a: RecoveryReport, b: RecoveryReport) -> Bool {
        a.droppedBytes == b.droppedBytes && a.droppedFile == b.droppedFile && a.droppedOffset == b.droppedOffset
            && a.rebuiltIndexes == b.rebuiltIndexes && a.tailInProgress == b.tailInProgress && a.uncommittedAfter == b.uncommittedAfter
    }
}
