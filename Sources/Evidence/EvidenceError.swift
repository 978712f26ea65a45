/// Why a checkpoint, proof or key could not be made, read or used. Each case says
/// which file and what was expected.
public enum EvidenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log has fewer records than the tree asked for.
    case logTooShort(records: UInt64, needed: UInt64)
    /// A file that does not parse: its name, the line (from 1) and what was expected.
    case malformed(file: String, line: Int, reason: String)
    /// A key that is not an Ed25519 key of the expected kind.
    case badKey(file: String, reason: String)
    /// The log cannot be read as a whole (a record refers to something missing).
    case unreadable(String)
    /// A request that cannot be answered (a sequence outside the tree, sizes out of order).
    case invalidRequest(String)

    /// The message a person reads.
    public var description: String {
        switch self {
        case let .logTooShort(records, needed):
            return "the log has \(records) records; \(needed) are needed"
        case let .malformed(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .badKey(file, reason):
            return "\(file): \(reason)"
        case let .invalidRequest(what), let .unreadable(what):
            return what
        }
    }
}
