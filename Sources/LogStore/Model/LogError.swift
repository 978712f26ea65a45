import SystemIO

/// Why a log operation failed. Every case names where the problem is (file, offset,
/// event id) so that the message alone lets a person find it.
public enum LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another process (or another open handle in this one) is writing the log.
    case locked(directory: String, holderPID: Int32?)
    /// The directory does not hold a log.
    case notALog(directory: String, reason: String)
    /// The log was written by a newer patchlog whose format this build cannot read.
    case newerFormat(path: String, version: UInt16, supported: UInt16)
    /// A record, block, header or index fails its checksum or does not parse.
    case corrupt(path: String, offset: Int, reason: String)
    /// An event id already in the log, appended again with different content.
    case idConflict(id: String, existingSequence: UInt64)
    /// A record given to `append` that the log cannot hold.
    case invalidRecord(index: Int, reason: String)
    /// A sequence number or range outside the log.
    case outOfRange(String)
    /// A system call failed (disk full, I/O error, permission, …).
    case io(SystemError)
    /// The log is open read-only.
    case readOnly(directory: String)

    /// The message a person reads.
    public var description: String {
        switch self {
        case let .locked(dir, pid):
            return "log \(dir) is locked by another writer" + (pid.map { " (process \($0))" } ?? "")
        case let .notALog(dir, reason):
            return "\(dir) is not a patchlog log: \(reason)"
        case let .newerFormat(path, version, supported):
            return "\(path) was written by a newer patchlog (format \(version); this one reads up to \(supported)): upgrade patchlog"
        case let .corrupt(path, offset, reason):
            return "corrupt log: \(path) at offset \(offset): \(reason)"
        case let .idConflict(id, seq):
            return "event id \"\(id)\" is already in the log (sequence \(seq)) with different content"
        case let .invalidRecord(index, reason):
            return "record \(index + 1) of the batch: \(reason)"
        case let .outOfRange(what):
            return what
        case let .io(error):
            return error.description
        case let .readOnly(dir):
            return "log \(dir) is open read-only"
        }
    }
}

/// Runs `body`, whose failures are ``LogError``s or system call errors, and reports
/// them all as ``LogError``: the one place where a ``SystemError`` becomes
/// ``LogError/io(_:)``.
func asLogError<R>(_ body: () throws -> R) throws(LogError) -> R {
    do {
        return try body()
    } catch let error as LogError {
        throw error
    } catch let error as SystemError {
        throw LogError.io(error)
    } catch {
        preconditionFailure("only LogError and SystemError are thrown here, got \(error)")
    }
}
