#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Operations on paths rather than open files: directories, existence, removal.
public enum FileSystem {
    /// Whether something exists at `path` (`stat(2)`).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Whether `path` itself is a symbolic link, which is not followed
    /// (`lstat(2)`): a dangling link counts.
    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// Whether `path` is a directory (`stat(2)`).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size in bytes of the file at `path`, or nil if nothing is there
    /// (`stat(2)`).
    /// - Throws: ``SystemError`` naming `path` for any other failure.
    public static func size(_ path: String) throws(SystemError) -> Int? {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw SystemError(errno: errno, operation: "stat", path: path)
        }
        return Int(info.st_size)
    }

    /// Makes the directory `path` (mode 0755) and any missing parents (`mkdir(2)`).
    public static func createDirectory(_ path: String) throws(SystemError) {
        if isDirectory(path) { return }
        var parent = path
        while parent.hasSuffix("/") && parent.count > 1 { parent.removeLast() }
        if let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
            try createDirectory(String(parent[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SystemError(errno: errno, operation: "mkdir", path: path)
        }
    }

    /// The names in directory `path`, without `.` and `..`, sorted (`readdir(3)`).
    public static func list(_ path: String) throws(SystemError) -> [String] {
        guard let dir = opendir(path) else { throw SystemError(errno: errno, operation: "opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Makes the directory's entries durable: a file created or removed in it
    /// survives a crash (`fsync(2)` on the directory).
    public static func syncDirectory(_ path: String) throws(SystemError) {
        let dir = try SystemFile.open(path, access: .readOnly)
        try dir.sync()
    }

    /// Removes the file at `path`; nothing if it is already gone (`unlink(2)`).
    public static func remove(_ path: String) throws(SystemError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw SystemError(errno: errno, operation: "unlink", path: path)
        }
    }

    /// Removes the empty directory `path`; nothing if it is already gone (`rmdir(2)`).
    public static func removeDirectory(_ path: String) throws(SystemError) {
        if rmdir(path) != 0 && errno != ENOENT {
            throw SystemError(errno: errno, operation: "rmdir", path: path)
        }
    }

    /// Gives the file at `source` a second name, `destination`, which must not exist
    /// (`link(2)`): the bytes stay reachable under it when `source` is replaced.
    public static func link(_ source: String, to destination: String) throws(SystemError) {
        if Glibc.link(source, destination) != 0 {
            throw SystemError(errno: errno, operation: "link", path: destination)
        }
    }

    /// Replaces `destination` with `source` in one step (`rename(2)`).
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        if Glibc.rename(source, destination) != 0 {
            throw SystemError(errno: errno, operation: "rename", path: destination)
        }
        FaultInjection.note("rename \(source) \(destination)")
    }

    /// Writes `bytes` to `path` so that a reader sees either the old file or the whole
    /// new one: a temporary file, fsync, rename, then fsync of the directory. If the
    /// temporary file cannot be written it is removed and `path` is untouched.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(SystemError) {
        let temporary = path + ".tmp"
        let file = try SystemFile.open(temporary, access: .readWrite, create: true)
        do {
            try file.truncate(to: 0)
            try file.write(bytes, at: 0)
            try file.sync()
            file.close()
        } catch {
            // A failed write (a full disk) leaves nothing behind.
            file.close()
            try? remove(temporary)
            throw error
        }
        try rename(temporary, to: path)
        try syncDirectory(directory)
    }

    /// The whole content of the file at `path`.
    public static func read(_ path: String) throws(SystemError) -> [UInt8] {
        let file = try SystemFile.open(path, access: .readOnly)
        return try file.read(at: 0, count: try file.size())
    }

    /// An environment variable, if set (`getenv(3)`).
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Creates (or empties) the file at `path` for writing front to back.
    public static func create(_ path: String) throws(SystemError) -> SystemFile {
        let file = try SystemFile.open(path, access: .readWrite, create: true)
        try file.truncate(to: 0)
        return file
    }

    /// This process's id (`getpid(2)`).
    public static var processID: Int32 { getpid() }
}
