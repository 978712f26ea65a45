import CSystemCalls
import Glibc

/// A program started by this one (`posix_spawn`), with its standard output and error
/// read through pipes: for the tests and the crash harness, which run `patchlog` as a
/// user does, many at once.
///
/// Written by hand, without dispatch: Foundation's `Process` (and `FileHandle`'s
/// `readabilityHandler`) register the child's pipes and sockets with libdispatch's
/// event loop, and with children started from several threads at once that loop
/// crashed the test process (a use-after-free in `_dispatch_event_loop_drain`, seen
/// in CI). swift-subprocess is asynchronous only, and the tests' runs are
/// synchronous. Here every pipe is `O_CLOEXEC` from its creation and a child gets no
/// descriptor but its standard three, so a child started on another thread never
/// holds this child's pipes open; output is read with `poll(2)` on the calling thread.
///
/// ```swift
/// let run = try ChildProcess.run("/bin/echo", ["hi"])   // run.status == 0, run.stdout == "hi\n"
/// ```
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's output streams goes.
    public enum Output: Sendable {
        /// A pipe this object reads (``readAvailable()``, ``finish()``).
        case pipe
        /// `/dev/null`.
        case discard
        /// This process's own stream.
        case inherit
        /// The same pipe as standard output (for standard error only).
        case standardOutput
    }

    /// What a finished child printed, and how it ended.
    public struct Result: Sendable {
        /// The exit code; for a child killed by a signal, 128 plus the signal number.
        public let status: Int32
        /// Standard output, as bytes.
        public let stdout: [UInt8]
        /// Standard error, as bytes.
        public let stderr: [UInt8]
    }

    /// The child's process id.
    public let pid: pid_t
    private let lock = Condition()
    private var outFD: Int32
    private var errFD: Int32
    private var out: [UInt8] = []
    private var err: [UInt8] = []
    private var status: Int32?

    private init(pid: pid_t, outFD: Int32, errFD: Int32) {
        self.pid = pid
        self.outFD = outFD
        self.errFD = errFD
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var s: Int32 = 0
            _ = waitpid(pid, &s, 0)
        }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
    }

    /// Starts `program` (a path) with `arguments`, in `directory` when given, with
    /// `environment` (nil: this process's), its standard input `/dev/null`.
    public static func start(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                             directory: String? = nil, stdout: Output = .pipe, stderr: Output = .pipe) throws(SystemError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        var started = false
        defer {
            for fd in childEnds { close(fd) }
            if !started { for fd in parentEnds { close(fd) } }
        }
        func pipeEnds() throws(SystemError) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            _ = try retryingInterrupts("pipe2", program) { patchlog_pipe_cloexec(&fds) }
            parentEnds.append(fds[0])
            childEnds.append(fds[1])
            return (fds[0], fds[1])
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var outRead: Int32 = -1, errRead: Int32 = -1
        switch stdout {
        case .pipe, .standardOutput:
            let p = try pipeEnds()
            outRead = p.read
            posix_spawn_file_actions_adddup2(&actions, p.write, 1)
        case .discard: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        }
        switch stderr {
        case .pipe:
            let p = try pipeEnds()
            errRead = p.read
            posix_spawn_file_actions_adddup2(&actions, p.write, 2)
        case .standardOutput: posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .discard: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        }
        // Nothing but 0, 1 and 2 reaches the child: not a descriptor another part of
        // this process (or the process that started it) left open without O_CLOEXEC.
        patchlog_spawn_file_actions_addclosefrom(&actions, 3)
        if let directory { patchlog_spawn_file_actions_addchdir(&actions, directory) }
        let env = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        // The child starts with no signal blocked and every signal's default action,
        // whatever the starting thread had (a worker thread may block SIGINT).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let code = withCStrings([program] + arguments) { argv in
            if let env {
                return withCStrings(env) { envp in posix_spawn(&pid, program, &actions, &attributes, argv, envp) }
            }
            return posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        }
        guard code == 0 else { throw SystemError(errno: code, operation: "posix_spawn", path: program) }
        started = true
        return ChildProcess(pid: pid, outFD: outRead, errFD: errRead)
    }

    /// Runs `program` to its end and returns what it printed (both streams piped).
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil) throws(SystemError) -> Result {
        try start(program, arguments, environment: environment, directory: directory).finish()
    }

    /// Sends `signal` to the child (nothing once it has been waited for).
    public func send(_ signal: Int32) {
        lock.withLock { if status == nil { _ = kill(pid, signal) } }
    }

    /// Reads what the child has printed so far without waiting, and returns all it
    /// printed since it started.
    public func readAvailable() -> (stdout: [UInt8], stderr: [UInt8]) {
        lock.withLock {
            pump(timeout: 0)
            return (out, err)
        }
    }

    /// The child's status if it has ended (reaping it), nil while it runs. Its output
    /// is read first, so it cannot block on a full pipe.
    public func exitStatus() -> Int32? {
        lock.withLock {
            pump(timeout: 0)
            if status == nil { reap(blocking: false) }
            return status
        }
    }

    /// Reads both streams to their end, waits for the child, and returns the result.
    public func finish() -> Result {
        lock.withLock {
            while outFD >= 0 || errFD >= 0 { pump(timeout: -1) }
            if status == nil { reap(blocking: true) }
            return Result(status: status ?? -1, stdout: out, stderr: err)
        }
    }

    /// Waits for the child to end, leaving its pipes unread, and returns its status.
    public func wait() -> Int32 {
        lock.withLock {
            if status == nil { reap(blocking: true) }
            return status ?? -1
        }
    }

    /// Reads whatever is ready on the open pipes, waiting at most `timeout`
    /// milliseconds (-1: until something is); closes a pipe at its end.
    private func pump(timeout: Int32) {
        var fds: [pollfd] = []
        if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
        if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
        guard !fds.isEmpty else { return }
        var wait = timeout
        while true {
            let n = poll(&fds, nfds_t(fds.count), wait)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            for f in fds where f.revents != 0 {
                if f.fd == outFD { drain(&outFD, into: &out) }
                if f.fd == errFD { drain(&errFD, into: &err) }
            }
            // More may be ready at once; take it without waiting again.
            fds = fds.filter { $0.fd == outFD || $0.fd == errFD }.map { pollfd(fd: $0.fd, events: $0.events, revents: 0) }
            if fds.isEmpty { return }
            wait = 0
        }
    }

    /// Reads one chunk from `fd` into `buffer`; closes it (setting -1) at its end or
    /// on an error.
    private func drain(_ fd: inout Int32, into buffer: inout [UInt8]) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
        } else if n == 0 || errno != EINTR {
            close(fd)
            fd = -1
        }
    }

    private func reap(blocking: Bool) {
        var s: Int32 = 0
        while true {
            let r = waitpid(pid, &s, blocking ? 0 : WNOHANG)
            if r == -1 && errno == EINTR { continue }
            if r == pid { break }
            if r == -1 { status = -1 }
            return
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Glibc's Swift module does not bring.
        let signal = s & 0x7f
        status = signal == 0 ? (s >> 8) & 0xff : 128 + signal
    }
}

/// Calls `body` with a NULL-terminated array of C strings made of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
