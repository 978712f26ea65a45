#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file: a typed owner of a POSIX file descriptor.
///
/// Every read, write, sync, truncate and lock of patchlog's files goes through this
/// type, so there is one place where system calls are made and where faults can be
/// injected in tests (``FaultInjection``). Not safe to use from several threads at
/// once; the log store serialises access.
public final class SystemFile {
    /// How a file is opened.
    public enum Access: Sendable {
        /// Reading only (`O_RDONLY`).
        case readOnly
        /// Reading and writing (`O_RDWR`).
        case readWrite
    }

    /// The path it was opened with, for error messages.
    public let path: String
    private var fd: Int32
    private let owned: Bool

    private init(fd: Int32, path: String, owned: Bool = true) {
        self.fd = fd
        self.path = path
        self.owned = owned
    }

    deinit { if owned && fd >= 0 { _ = Glibc.close(fd) } }

    /// Standard input (never closed by this type).
    public static var standardInput: SystemFile { SystemFile(fd: 0, path: "<stdin>", owned: false) }
    /// Standard output (never closed by this type).
    public static var standardOutput: SystemFile { SystemFile(fd: 1, path: "<stdout>", owned: false) }
    /// Standard error (never closed by this type).
    public static var standardError: SystemFile { SystemFile(fd: 2, path: "<stderr>", owned: false) }

    /// Whether the file is a terminal (`isatty(3)`).
    public var isTerminal: Bool { isatty(fd) == 1 }

    /// Reads up to `count` bytes from the current position into the start of
    /// `buffer`; 0 at the end of input (`read(2)`; works on pipes too).
    public func readNext(into buffer: inout [UInt8], count: Int) throws(SystemError) -> Int {
        precondition(buffer.count >= count)
        let fd = self.fd
        let path = self.path
        let result: Result<Int, SystemError> = buffer.withUnsafeMutableBytes { raw in
            while true {
                let n = Glibc.read(fd, raw.baseAddress!, count)
                if n >= 0 { return .success(n) }
                if errno == EINTR { continue }
                return .failure(SystemError(errno: errno, operation: "read", path: path))
            }
        }
        return try result.get()
    }

    /// Writes all of `bytes` at the current position (`write(2)`, repeated until
    /// done; for standard output and files written front to back).
    public func writeNext(_ bytes: [UInt8]) throws(SystemError) {
        let fd = self.fd
        let path = self.path
        let result: Result<Void, SystemError> = bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(SystemError(errno: errno, operation: "write", path: path))
                }
                done += n
            }
            return .success(())
        }
        try result.get()
    }

    /// Opens `path`; with `create`, makes it (with `mode`, 0644 unless told) if
    /// missing, and with `exclusive` fails if it already exists. (`open(2)` with
    /// `O_CLOEXEC`.)
    public static func open(
        _ path: String, access: Access, create: Bool = false, exclusive: Bool = false, mode: UInt32 = 0o644
    ) throws(SystemError) -> SystemFile {
        var flags: Int32 = O_CLOEXEC | (access == .readOnly ? O_RDONLY : O_RDWR)
        if create { flags |= O_CREAT }
        if exclusive { flags |= O_EXCL }
        let fd = try retryingInterrupts("open", path) { Glibc.open(path, flags, mode) }
        if create { FaultInjection.note("created \(path)") }
        return SystemFile(fd: fd, path: path)
    }

    /// The file's current size in bytes (`fstat(2)`).
    public func size() throws(SystemError) -> Int {
        var info = stat()
        _ = try retryingInterrupts("fstat", path) { fstat(fd, &info) }
        return Int(info.st_size)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file
    /// (`pread(2)`, repeated until done).
    public func read(at offset: Int, count: Int) throws(SystemError) -> [UInt8] {
        // Read straight into new storage: zeroing it first cost as much as the read
        // for the tens of megabytes of index a log of 100,000 VMs opens.
        guard count > 0 else { return [] }
        let fd = self.fd
        var failure: SystemError?
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
                if n == 0 { break }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = SystemError(errno: errno, operation: "pread", path: path)
                    break
                }
                done += n
            }
            initialized = done
        }
        if let failure { throw failure }
        return buffer
    }

    /// Reads up to `count` bytes at `offset` into the start of `buffer` (which must
    /// hold at least `count`); returns how many were read, fewer only at the end of
    /// the file (`pread(2)`).
    public func read(at offset: Int, into buffer: inout [UInt8], count: Int) throws(SystemError) -> Int {
        precondition(buffer.count >= count)
        let fd = self.fd
        let result: Result<Int, SystemError> = buffer.withUnsafeMutableBytes { raw in
            var done = 0
            while done < count {
                let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
                if n == 0 { break }
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(SystemError(errno: errno, operation: "pread", path: path))
                }
                done += n
            }
            return .success(done)
        }
        return try result.get()
    }

    /// Writes all of `bytes` at `offset` (`pwrite(2)`, repeated until done). A fault
    /// injected for `write` fails here, after writing part of the bytes as a real
    /// full disk would.
    public func write(_ bytes: [UInt8], at offset: Int) throws(SystemError) {
        let fd = self.fd
        let fault = FaultInjection.fault(for: .write, path: path)
        let result: Result<Void, SystemError> = bytes.withUnsafeBytes { raw in
            var done = 0
            // An injected fault writes part of the bytes first, as a full disk would.
            let limit = fault == nil ? raw.count : raw.count / 2
            while done < limit {
                let n = pwrite(fd, raw.baseAddress! + done, limit - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(SystemError(errno: errno, operation: "write", path: path))
                }
                done += n
            }
            if fault == FaultInjection.killProcess {
                FaultInjection.note("crash write \(path)")
                kill(getpid(), SIGKILL)
            }
            if let fault { return .failure(SystemError(errno: fault, operation: "write", path: path)) }
            return .success(())
        }
        try result.get()
    }

    /// Makes everything written so far durable (`fsync(2)`).
    public func sync() throws(SystemError) {
        if let fault = FaultInjection.fault(for: .sync, path: path) {
            if fault == FaultInjection.killProcess {
                FaultInjection.note("crash sync \(path)")
                kill(getpid(), SIGKILL)
            }
            throw SystemError(errno: fault, operation: "fsync", path: path)
        }
        let fd = self.fd
        _ = try retryingInterrupts("fsync", path) { fsync(fd) }
        FaultInjection.note("synced \(path) \((try? size()) ?? 0)")
    }

    /// Cuts the file to `size` bytes (`ftruncate(2)`).
    public func truncate(to size: Int) throws(SystemError) {
        let fd = self.fd
        _ = try retryingInterrupts("ftruncate", path) { ftruncate(fd, off_t(size)) }
    }

    /// Takes an exclusive advisory lock without waiting; `false` if another open file
    /// (in this process or another) holds it. Released by ``unlock()``, or when every
    /// descriptor of this open file is closed.
    /// (`flock(2)` with `LOCK_EX | LOCK_NB`.)
    public func tryLockExclusive() throws(SystemError) -> Bool {
        let fd = self.fd
        do {
            _ = try retryingInterrupts("flock", path) { flock(fd, LOCK_EX | LOCK_NB) }
            return true
        } catch {
            if error.wouldBlock { return false }
            throw error
        }
    }

    /// Releases the lock taken by ``tryLockExclusive()`` now, even where another
    /// descriptor still refers to this open file: a child process started by another
    /// thread holds such a copy until it runs its program, and closing ours alone would
    /// leave the lock held until then. (`flock(2)` with `LOCK_UN`.)
    public func unlock() {
        if fd >= 0 { _ = flock(fd, LOCK_UN) }
    }

    /// Closes the file now rather than when it is released (`close(2)`).
    public func close() {
        if owned && fd >= 0 { _ = Glibc.close(fd) }
        if owned { fd = -1 }
    }
}
