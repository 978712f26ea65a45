#if canImport(Glibc)
import Glibc

/// A blocking wait for changes in one directory: a file in it written, created,
/// renamed in or removed. Waiting costs no processor time: the thread sleeps in the
/// kernel until something changes or the timeout passes.
///
/// ```swift
/// let watch = try DirectoryWatch("/var/lib/patchlog")
/// while true {
///     _ = try watch.wait(milliseconds: 1000)   // woke: look at what changed
/// }
/// ```
///
/// It says only that something may have changed, not what: callers look again at
/// what they care about (a wake-up with nothing new is harmless). One thread at a
/// time may wait on it; ``interrupt()`` may be called from any thread.
/// (`inotify_init1(2)`, `inotify_add_watch(2)`, `poll(2)`, `pipe(2)`.)
public final class DirectoryWatch: @unchecked Sendable {
    /// The directory watched.
    public let path: String
    private var fd: Int32
    /// A pipe: ``interrupt()`` writes a byte to its write end, the wait polls the read end.
    private var wakeFD: Int32 = -1
    private var wakeWriteFD: Int32 = -1

    /// Starts watching `path`.
    public init(_ path: String) throws(SystemError) {
        self.path = path
        fd = try retryingInterrupts("inotify_init1", path) { inotify_init1(O_CLOEXEC | O_NONBLOCK) }
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_ATTRIB)
        let watchFD = fd
        do {
            _ = try retryingInterrupts("inotify_add_watch", path) { inotify_add_watch(watchFD, path, mask) }
            var ends: [Int32] = [0, 0]
            _ = try retryingInterrupts("pipe", path) { pipe(&ends) }
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, O_NONBLOCK)
            }
            wakeFD = ends[0]
            wakeWriteFD = ends[1]
        } catch {
            Glibc.close(watchFD)
            throw error
        }
    }

    deinit { close() }

    /// Waits until something in the directory changes, ``interrupt()`` is called, a
    /// signal arrives, or `milliseconds` pass (-1: no limit). Returns true if
    /// something changed (the pending notifications are consumed), false on a timeout,
    /// an interrupt or a signal.
    public func wait(milliseconds: Int32) throws(SystemError) -> Bool {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        let n = poll(&fds, 2, milliseconds)
        if n < 0 {
            if errno == EINTR { return false }
            throw SystemError(errno: errno, operation: "poll", path: path)
        }
        if fds[1].revents != 0 {
            var bytes = [UInt8](repeating: 0, count: 64)
            _ = bytes.withUnsafeMutableBytes { Glibc.read(wakeFD, $0.baseAddress, $0.count) }
            return false
        }
        guard fds[0].revents != 0 else { return false }
        drain()
        return true
    }

    /// Wakes the thread in ``wait(milliseconds:)`` (or makes its next wait return at
    /// once). Safe from any thread.
    public func interrupt() {
        var one: UInt8 = 1
        _ = Glibc.write(wakeWriteFD, &one, 1)
    }

    /// Reads and drops every pending notification.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
        }
    }

    /// Stops watching (also done when released).
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        if wakeFD >= 0 { Glibc.close(wakeFD) }
        if wakeWriteFD >= 0 { Glibc.close(wakeWriteFD) }
        fd = -1
        wakeFD = -1
        wakeWriteFD = -1
    }
}
#endif
