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
    /// before the `fsync`), as a power cut or `kill -9` would. For crash tests.
    public static let killProcess: Int32 = -9

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
