import SystemIO

/// What a follower compares to know whether the log in a directory may have committed
/// records since it looked, read without opening a segment (docs/log-format.md,
/// "Following the log"): while a transaction is open, the last sequence committed
/// before it (its appends do not change the mark); otherwise the last segment's name
/// and size, which every committed append, commit and take-back changes.
public struct CommitMark: Equatable, Sendable {
    /// While a transaction is open: the last committed sequence number.
    public let transactionCommitted: UInt64?
    /// Otherwise: the last segment's base sequence and size (nil, 0 when there is none).
    let lastSegmentBase: UInt64?
    let lastSegmentSize: Int

    /// Reads the mark of the log in `directory`: `TRANSACTION`, else a listing and a
    /// `stat` of the last segment.
    /// - Throws: ``LogError/corrupt(path:offset:reason:)`` for a damaged transaction
    ///   marker, ``LogError/io(_:)`` naming the path that could not be read.
    public static func read(directory: String) throws(LogError) -> CommitMark {
        if let marker = try TransactionMarker.read(directory: directory) {
            return CommitMark(transactionCommitted: marker.committed, lastSegmentBase: nil, lastSegmentSize: 0)
        }
        for _ in 1...8 {
            let names: [String]
            do { names = try FileSystem.list(directory) } catch { throw LogError.io(error) }
            guard let base = names.compactMap(LogFormat.segmentBase(fileName:)).max() else {
                return CommitMark(transactionCommitted: nil, lastSegmentBase: nil, lastSegmentSize: 0)
            }
            let size: Int?
            do { size = try FileSystem.size(directory + "/" + LogFormat.segmentName(base: base)) } catch { throw LogError.io(error) }
            // Removed between the listing and the stat (a take-back): look again.
            if let size { return CommitMark(transactionCommitted: nil, lastSegmentBase: base, lastSegmentSize: size) }
        }
        throw LogError.corrupt(path: directory, offset: 0, reason: "the last segment kept disappearing while its size was read; try again")
    }
}

/// Waits, without using the processor, until the log in a directory may have
/// committed records a follower has not seen: what `patchlog follow` and
/// `patchlog serve` sleep in between appends.
///
/// ```swift
/// let watch = try CommitWatch(directory: dir)
/// while true {
///     let mark = try watch.mark()                              // before opening
///     let log = try FileLog.open(at: dir, access: .reader)     // committed records only
///     // … show the records after `position` …
///     position = log.count
///     _ = try watch.wait(after: position, since: mark, milliseconds: 5_000)
/// }
/// ```
///
/// It sleeps on the kernel's notification of changes in the directory
/// (``DirectoryWatch``) and, woken, reads the ``CommitMark``; an open transaction's
/// appends leave the mark as it was, so a long import wakes it only for a moment and
/// never into showing anything. The timeout is a safety net for file systems that do
/// not notify (some network ones), not a poll.
public final class CommitWatch: @unchecked Sendable {
    /// The log's directory.
    public let directory: String
    private let watch: DirectoryWatch

    /// Starts watching the log in `directory`; changes from now on wake a wait.
    /// - Throws: ``LogError/io(_:)`` naming the directory if it cannot be watched.
    public init(directory: String) throws(LogError) {
        self.directory = directory
        do { watch = try DirectoryWatch(directory) } catch { throw LogError.io(error) }
    }

    /// The log's mark now: take it before opening a view, and pass it to
    /// ``wait(after:since:milliseconds:)``.
    public func mark() throws(LogError) -> CommitMark {
        try CommitMark.read(directory: directory)
    }

    /// Returns true as soon as the log may hold committed records after `sequence`
    /// (the last one the follower's view holds) that a view opened after `mark` was
    /// taken does not: a transaction is open and committed past `sequence` before it
    /// began, or none is open and the mark differs from `mark`. Returns false when
    /// `milliseconds` pass first (-1: no limit), or on ``interrupt()`` or a signal.
    /// A true may be spurious (a take-back, a writer's repair): the follower reopens
    /// and finds nothing new, and waits again with the new mark.
    public func wait(after sequence: UInt64, since mark: CommitMark, milliseconds: Int32) throws(LogError) -> Bool {
        let deadline = monotonicMilliseconds() + Int64(milliseconds)
        while true {
            let now = try CommitMark.read(directory: directory)
            if let committed = now.transactionCommitted {
                if committed > sequence { return true }
            } else if now != mark {
                return true
            }
            let left = milliseconds < 0 ? -1 : Int32(clamping: max(0, deadline - monotonicMilliseconds()))
            if milliseconds >= 0 && left == 0 { return false }
            let changed: Bool
            do { changed = try watch.wait(milliseconds: left) } catch { throw LogError.io(error) }
            if !changed { return false }
        }
    }

    /// Makes a ``wait(after:since:milliseconds:)`` in progress (or the next one)
    /// return false at once. Safe from any thread.
    public func interrupt() { watch.interrupt() }

    /// Stops watching.
    public func close() { watch.close() }
}
