import Dispatch
import EventLog
import Events
import LogStore
import Replay
import SystemIO

/// The committed log a server answers from: a reader (which sees committed records
/// only), opened once and opened again whenever the log may have committed more (an
/// import from the command line, a `POST`), so that a query costs no opening and
/// never sees what a transaction may still take back.
///
/// A thread sleeps on ``CommitWatch`` (no processor time while nothing commits),
/// opens the new view within milliseconds of a commit, and wakes the streams that
/// follow the log (``waitForCommit(after:)``). Queries on one view are run one at a
/// time (``Snapshot/run(_:)``): the replayer caches what it has learnt of the log.
final class LogView: @unchecked Sendable {
    let directory: String
    /// The supported image list given on the command line; nil: the log's own, in
    /// force at the moment each query asks about.
    let supportedImages: SupportedImages?
    private let lock = Condition()
    private var current: Snapshot
    /// The log's commit mark taken before `current` was opened, or before the last
    /// look that found nothing new.
    private var mark: CommitMark
    private var waiters: [(after: UInt64, resume: CheckedContinuation<Void, Never>)] = []
    private let watch: CommitWatch
    private var stopped = false
    /// How long a follower sleeps at most before it is woken (to send a heartbeat).
    let wakeEvery: Int32

    init(directory: String, supportedImages: SupportedImages?, wakeEvery milliseconds: Int32 = 2_000) throws {
        self.directory = directory
        self.supportedImages = supportedImages
        self.wakeEvery = milliseconds
        watch = try CommitWatch(directory: directory)
        mark = try watch.mark()
        current = try Snapshot(FileLog.open(at: directory, access: .reader), supportedImages: supportedImages)
        DispatchQueue(label: "patchlog-commit-watch").async { [self] in watchLoop() }
    }

    /// The newest committed view.
    var snapshot: Snapshot { lock.withLock { current } }

    /// Looks at the log again and takes the new view if it has committed more; wakes
    /// the followers.
    func refresh() {
        if let next = try? watch.mark(), let fresh = try? FileLog.open(at: directory, access: .reader) {
            if fresh.count != snapshot.count {
                let view = Snapshot(fresh, supportedImages: supportedImages)
                lock.withLock { current = view; mark = next }
            } else {
                fresh.close()
                lock.withLock { mark = next }
            }
        }
        wakeFollowers()
    }

    /// Opens the view again whatever the count: a long-lived reader reads a sealed
    /// segment's stream lists from its index file when first asked, and a writer that
    /// closes rewrites that file (same content, other places); the fresh view reads
    /// the new one.
    func reopen() throws {
        let next = try watch.mark()
        let view = Snapshot(try FileLog.open(at: directory, access: .reader), supportedImages: supportedImages)
        lock.withLock { current = view; mark = next }
    }

    private func watchLoop() {
        while !lock.withLock({ stopped }) {
            let (count, since) = lock.withLock { (current.count, mark) }
            do {
                _ = try watch.wait(after: count, since: since, milliseconds: wakeEvery)
            } catch {
                // A transaction marker that fails its checksum, an unreadable directory:
                // look again later rather than spin (queries keep the last good view).
                sleepMilliseconds(Int(wakeEvery))
            }
            if lock.withLock({ stopped }) { break }
            refresh()
        }
        wakeFollowers(all: true)
    }

    /// Resumes the followers (all of them: those with nothing new send a heartbeat).
    private func wakeFollowers(all: Bool = true) {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            defer { waiters.removeAll() }
            return waiters.map(\.resume)
        }
        for w in woken { w.resume() }
    }

    /// Returns when the view holds records after `after`, or after at most about
    /// ``wakeEvery`` milliseconds.
    func waitForCommit(after: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if current.count > after || stopped { return true }
                waiters.append((after, c))
                return false
            }
            if now { c.resume() }
        }
    }

    /// Stops the watching thread.
    func stop() {
        lock.withLock { stopped = true }
        watch.interrupt()
    }
}

/// One committed view of the log, and what replays it.
final class Snapshot: @unchecked Sendable {
    let store: FileLog
    let log: HotpatchLog
    /// The image list given on the command line, if any (else the log's in force).
    let supportedImages: SupportedImages?
    /// Records in the view (all committed when it was opened).
    let count: UInt64
    private let lock = Condition()

    init(_ store: FileLog, supportedImages: SupportedImages?) {
        self.store = store
        log = HotpatchLog(store: store)
        self.supportedImages = supportedImages
        count = store.count
    }

    /// Runs `body` alone on this view, with a replayer that judges images by the list
    /// in force at `at` as recorded at `asRecorded` (as the commands do), or by the
    /// list given on the command line.
    func run<R>(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max, _ body: (Replayer) throws -> R) throws -> R {
        lock.lock()
        defer { lock.unlock() }
        let images = try supportedImages ?? SupportedImages.inForce(in: log, at: at, asRecorded: asRecorded)
        return try body(Replayer(log: log, supportedImages: images))
    }
}
