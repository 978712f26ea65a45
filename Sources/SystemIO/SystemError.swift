#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which operation, on which path, and the `errno` it set.
///
/// Its description reads like `write /var/log/x.seg: No space left on device`.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The C `errno` value.
    public let errno: Int32
    /// The operation that failed, named after the system call (`open`, `fsync`, …).
    public let operation: String
    /// The file or directory it was applied to.
    public let path: String

    /// Makes an error for `operation` on `path` with the given `errno`.
    public init(errno: Int32, operation: String, path: String) {
        self.errno = errno
        self.operation = operation
        self.path = path
    }

    /// `ENOENT`: the file does not exist.
    public var isNotFound: Bool { errno == ENOENT }
    /// `EWOULDBLOCK`: a non-blocking lock is held by someone else.
    public var wouldBlock: Bool { errno == EWOULDBLOCK || errno == EAGAIN }

    /// The operation, the path and `strerror`'s text.
    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}

/// Runs a system call until it is not interrupted, turning `-1` into a
/// ``SystemError``. The one place where `errno` becomes a Swift error.
@inline(__always)
func retryingInterrupts<R: BinaryInteger>(
    _ operation: String, _ path: String, _ call: () -> R
) throws(SystemError) -> R {
    while true {
        let result = call()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw SystemError(errno: code, operation: operation, path: path)
    }
}
