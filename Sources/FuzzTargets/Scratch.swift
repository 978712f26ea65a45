#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// The per-process scratch directory the file-based targets write their inputs to:
/// under `/dev/shm` when it exists (a fuzzer writes thousands of files a second),
/// else under `$TMPDIR` or `/tmp`. Created on first use and reused for every input.
public enum FuzzScratch {
    /// The scratch directory of this process: `$PATCHLOG_FUZZ_SCRATCH` if set (so
    /// that tools/fuzz can remove it after a crash), else one named after the process
    /// id. Removed when the process exits normally.
    public static let root: String = {
        let base = FileSystem.isDirectory("/dev/shm") ? "/dev/shm" : (FileSystem.environment("TMPDIR") ?? "/tmp")
        let path = FileSystem.environment("PATCHLOG_FUZZ_SCRATCH") ?? base + "/patchlog-fuzz-\(FileSystem.processID)"
        try? removeTree(path)
        try! FileSystem.createDirectory(path)
        atexit { FuzzScratch.removeAll() }
        return path
    }()

    /// A subdirectory of ``root``, created if missing.
    static func directory(_ name: String) -> String {
        let path = root + "/" + name
        try! FileSystem.createDirectory(path)
        return path
    }

    /// Writes `bytes` to `path`, replacing what was there.
    static func write(_ bytes: [UInt8], to path: String) {
        let file = try! FileSystem.create(path)
        try! file.writeNext(bytes)
        file.close()
    }

    /// Removes this process's scratch directory and everything in it (for tests and
    /// the replay mode; a fuzzer run leaves it to `tools/fuzz`).
    public static func removeAll() {
        try? removeTree(root)
    }

    /// Removes `path` and the files and directories under it.
    static func removeTree(_ path: String) throws {
        guard FileSystem.exists(path) else { return }
        if FileSystem.isDirectory(path) {
            for name in try FileSystem.list(path) { try removeTree(path + "/" + name) }
            try FileSystem.removeDirectory(path)
        } else {
            try FileSystem.remove(path)
        }
    }
}
