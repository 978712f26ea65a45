import Glibc
import Synchronization

/// Test-only faults: makes the next writes or syncs of files whose path contains a
/// given fragment fail with a given `errno`, as a full disk (`ENOSPC`) or a failing
/// device (`EIO`) would. Production code never arms it; it costs one atomic load per
/// write or sync when disarmed.
public enum FaultInjection {
    /// Which call fails.
    public enum Operation: Sendable {
        /// `pwrite`: part of the bytes are written, then the call fails.
        case write
        /// `fsync`.
        case sync
    }

    private struct Armed {
        var operation: Operation
        var pathContains: String
        var errno: Int32
        var remaining: Int
        var skip: Int
    }

    private static let armed = Mutex<[Armed]>([])
    private static let anyArmed = Atomic<Bool>(false)

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

    /// Appends `line` to the sync journal, if one is kept.
    static func note(_ line: @autoclosure () -> String) {
        let fd = journal.load(ordering: .relaxed)
        guard fd >= 0 else { return }
        let bytes = Array((line() + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// Makes the next `times` calls of `operation` on matching paths fail with `errno`
    /// (or, with ``killProcess``, kills the process during the `times`-th call).
    /// The first `skipping` matching calls succeed.
    public static func arm(_ operation: Operation, pathContains: String, errno: Int32, times: Int = 1, skipping: Int = 0) {
        armed.withLock { $0.append(Armed(operation: operation, pathContains: pathContains, errno: errno, remaining: times, skip: skipping)) }
        anyArmed.store(true, ordering: .sequentiallyConsistent)
    }

    /// Removes every armed fault.
    public static func disarm() {
        armed.withLock { $0.removeAll() }
        anyArmed.store(false, ordering: .sequentiallyConsistent)
    }

    static func fault(for operation: Operation, path: String) -> Int32? {
        guard anyArmed.load(ordering: .relaxed) else { return nil }
        return armed.withLock { list -> Int32? in
            guard let i = list.firstIndex(where: { $0.operation == operation && path.contains($0.pathContains) }) else { return nil }
            if list[i].skip > 0 {
                list[i].skip -= 1
                return nil
            }
            let code = list[i].errno
            list[i].remaining -= 1
            if list[i].remaining <= 0 { list.remove(at: i) }
            return code
        }
    }
}
