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
    /// One refresh at a time (the watching thread's, a `POST`'s).
    private let refreshing = Condition()
    /// The VM states folded so far (``StateCache``).
    let cache = StateCache()
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
        cache.replace(generation: current.count, with: StateCache.fold(current))
        DispatchQueue(label: "patchlog-commit-watch").async { [self] in watchLoop() }
    }

    /// The newest committed view.
    var snapshot: Snapshot { lock.withLock { current } }

    /// Looks at the log again and takes the new view if it has committed more; wakes
    /// the followers.
    func refresh() {
        refreshing.withLock {
            guard let next = try? watch.mark(), let fresh = try? FileLog.open(at: directory, access: .reader) else { return }
            if fresh.count != snapshot.count {
                take(fresh, mark: next)
            } else {
                fresh.close()
                lock.withLock { mark = next }
            }
        }
        wakeFollowers()
    }

    /// Makes `fresh` the current view, and moves the state cache to it (the VMs its
    /// new records belong to fold them on, or are dropped; after a new release every
    /// VM is folded again first). Call holding `refreshing`.
    private func take(_ fresh: FileLog, mark next: CommitMark) {
        let old = snapshot
        let view = Snapshot(fresh, supportedImages: supportedImages)
        if view.count > old.count, let update = StateCache.Update.read(view, after: old.count) {
            lock.withLock {
                cache.advance(to: view.count, update)
                current = view
                mark = next
            }
        } else {
            // Everything folded again before the view is used; queries meanwhile use
            // the old view and its states.
            let states = StateCache.fold(view)
            lock.withLock {
                cache.replace(generation: view.count, with: states)
                current = view
                mark = next
            }
            // The older view's states (as many as the new ones) are freed: give their
            // pages back, or the server keeps twice its states' memory resident.
            Heap.returnFreedPages()
        }
    }

    /// Opens the view again whatever the count: a long-lived reader reads a sealed
    /// segment's stream lists from its index file when first asked, and a writer that
    /// closes rewrites that file (same content, other places); the fresh view reads
    /// the new one.
    func reopen() throws {
        try refreshing.withLock {
            let next = try watch.mark()
            let fresh = try FileLog.open(at: directory, access: .reader)
            if fresh.count != snapshot.count {
                take(fresh, mark: next)
            } else {
                let view = Snapshot(fresh, supportedImages: supportedImages)
                lock.withLock { current = view; mark = next }
            }
        }
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
///
/// A ``HotpatchLog`` learns the log's VMs as it is asked and is not safe to share
/// between threads, while the store underneath reads from any number of them: a
/// query borrows one of a few adapters (one per processor), so that queries on one
/// view run side by side, each adapter on one query at a time.
final class Snapshot: @unchecked Sendable {
    let store: FileLog
    /// The first adapter (for what needs any one: the streams' keys).
    let log: HotpatchLog
    /// The image list given on the command line, if any (else the log's in force).
    let supportedImages: SupportedImages?
    /// Records in the view (all committed when it was opened).
    let count: UInt64
    /// The latest time of any record in the view (nil: none).
    let lastTime: Int64?
    private let lock = Condition()
    /// The log's `supported.images` events, read at the first query that needs them
    /// (the view never changes, and every query asks which list is in force).
    private var imageLists: [(sequence: UInt64, event: Event)]?
    /// Adapters not in use; ``made`` of at most ``adapters`` exist.
    private var free: [HotpatchLog]
    private var made = 1
    private let adapters = max(2, SystemInfo.processorCount)

    init(_ store: FileLog, supportedImages: SupportedImages?) {
        self.store = store
        log = HotpatchLog(store: store)
        free = [log]
        self.supportedImages = supportedImages
        count = store.count
        lastTime = (try? store.statistics())?.timeRange?.upperBound
    }

    /// Runs `body` on this view with an adapter of its own, and a replayer that judges
    /// images by the list in force at `at` as recorded at `asRecorded` (as the
    /// commands do), or by the list given on the command line.
    func run<R>(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64 = .max, _ body: (Replayer) throws -> R) throws -> R {
        let adapter = borrow()
        defer { giveBack(adapter) }
        let images = try supportedImages ?? SupportedImages.inForce(among: lists(adapter), at: at, asRecorded: asRecorded)
        return try body(Replayer(log: adapter, supportedImages: images))
    }

    /// The view's image lists, read once.
    private func lists(_ adapter: HotpatchLog) throws -> [(sequence: UInt64, event: Event)] {
        if let kept = lock.withLock({ imageLists }) { return kept }
        let read = try adapter.imageLists()
        lock.withLock { imageLists = read }
        return read
    }

    private func borrow() -> HotpatchLog {
        lock.lock()
        defer { lock.unlock() }
        while free.isEmpty {
            if made < adapters {
                made += 1
                return HotpatchLog(store: store)
            }
            lock.wait()
        }
        return free.removeLast()
    }

    private func giveBack(_ adapter: HotpatchLog) {
        lock.withLock { free.append(adapter) }
        lock.broadcast()
    }
}
