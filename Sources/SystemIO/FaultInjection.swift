import Glibc
import Synchronization

/// Test-only faults: makes the next writes or syncs of files whose path contains a
/// given fragment fail with a given `errno`, as a full disk (`ENOSPC`) or a failing
/// device (`EIO`) would. Production code never arms it; it costs one atomic load per
/// write or sync when disarmed.
///
/// A fault is scoped: it touches only the files under the path it was armed for (a
/// test's own log directory), and ``Fault/disarm()`` removes only that fault, so tests
/// that run side by side in one process cannot disarm or trip each other's.
public enum FaultInjection {
    /// Which call fails.
    public enum Operation: Sendable {
        /// `pwrite`: part of the bytes are written, then the call fails.
        case write
        /// `fsync`.
        case sync
    }

    private struct Armed {
        var id: UInt64
        var operation: Operation
        var pathContains: String
        var errno: Int32
        var remaining: Int
        var skip: Int
    }

    /// The faults armed, and the number the next one gets.
    private static let armed = Mutex<(list: [Armed], next: UInt64)>(([], 1))
    private static let anyArmed = Atomic<Bool>(false)

    /// One armed fault: disarm it when the test is done with it.
    public struct Fault: Sendable {
        let id: UInt64

        /// Removes this fault (if it has not run out already); others stay armed.
        public func disarm() {
            FaultInjection.armed.withLock { state in
                state.list.removeAll { $0.id == id }
                FaultInjection.anyArmed.store(!state.list.isEmpty, ordering: .sequentiallyConsistent)
            }
        }
    }

    /// The `errno` to arm for a crash instead of an error: the process kills itself
    /// with `SIGKILL` in the middle of the call (after writing part of the bytes, or
    /// before the `fsync`). For crash tests; with ``journalSyncs(to:)`` the harness
    /// can also drop what was never synced, as a power cut would.
    public static let killProcess: Int32 = -9

    private static let journal = Atomic<Int32>(-1)

    /// Test-only: appends a line to the file at `path` for every successful `fsync`
    /// (`synced PATH SIZE`; a directory's own path for a directory sync), every rename
    /// (`rename FROM TO`), every open that may create a file (`created PATH`) and every
    /// self-kill (`crash PATH`), so that a crash harness knows which bytes and which
    /// directory entries were durable when the process died and which crash points
    /// fired.
    public static func journalSyncs(to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        journal.store(fd, ordering: .sequentiallyConsistent)
    }

    /// Stops the sync journal started by ``journalSyncs(to:)``.
    public static func stopJournal() {
        let fd = journal.exchange(-1, ordering: .sequentiallyConsistent)
        if fd >= 0 { close(fd) }
    }

    /// Appends `line` to the sync journal, if one is kept.
    static func note(_ line: @autoclosure () -> String) {
        let fd = journal.load(ordering: .relaxed)
        guard fd >= 0 else { return }
        let bytes = Array((line() + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// Makes the next `times` calls of `operation` on paths that contain
    /// `pathContains` (a test's own directory) fail with `errno` (or, with
    /// ``killProcess``, kills the process during the `times`-th call). The first
    /// `skipping` matching calls succeed.
    @discardableResult
    public static func arm(_ operation: Operation, pathContains: String, errno: Int32, times: Int = 1, skipping: Int = 0) -> Fault {
        precondition(!pathContains.isEmpty, "a fault is armed for one directory, not for every file")
        return armed.withLock { state -> Fault in
            let id = state.next
            state.next += 1
            state.list.append(Armed(id: id, operation: operation, pathContains: pathContains, errno: errno, remaining: times, skip: skipping))
            anyArmed.store(true, ordering: .sequentiallyConsistent)
            return Fault(id: id)
        }
    }

    static func fault(for operation: Operation, path: String) -> Int32? {
        guard anyArmed.load(ordering: .relaxed) else { return nil }
        return armed.withLock { state -> Int32? in
            guard let i = state.list.firstIndex(where: { $0.operation == operation && path.contains($0.pathContains) }) else { return nil }
            if state.list[i].skip > 0 {
                state.list[i].skip -= 1
                return nil
            }
            let code = state.list[i].errno
            state.list[i].remaining -= 1
            if state.list[i].remaining <= 0 { state.list.remove(at: i) }
            return code
        }
    }
}
