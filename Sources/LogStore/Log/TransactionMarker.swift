import ByteCoding
import SystemIO

/// The file `TRANSACTION` a writer keeps while a transaction (an import) is open: where
/// the log stood when it began. Records after that are not committed: readers and
/// `checkpoint` do not see them, and a writer that finds the file when it opens (the
/// process died in the middle) takes them back. So a transaction taken back was never
/// visible, and an import is all or nothing for readers and across a crash too.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `PLOGTXN\0` |
/// | 8 | 2 | format version |
/// | 10 | 2 | reserved, 0 |
/// | 12 | 8 | committed: the last sequence number before the transaction |
/// | 20 | 8 | base sequence of the last segment when it began |
/// | 28 | 8 | that segment's length then (a block boundary) |
/// | 36 | 4 | CRC-32C of bytes 0..<36 |
struct TransactionMarker: Equatable {
    /// The last committed sequence number.
    var committed: UInt64
    /// The last segment when the transaction began, and its length then.
    var segmentBase: UInt64
    var segmentEnd: Int

    static let name = "TRANSACTION"
    static let magic: [UInt8] = Array("PLOGTXN\u{0}".utf8)
    static let size = 40

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: Self.size)
        w.raw(Self.magic)
        w.u16(LogFormat.version)
        w.u16(0)
        w.u64(committed)
        w.u64(segmentBase)
        w.u64(UInt64(segmentEnd))
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    static func path(directory: String) -> String { directory + "/" + name }

    /// The marker of the log in `directory`, or nil when no transaction is open.
    /// - Throws: ``LogError/corrupt(path:offset:reason:)`` when the file is there but
    ///   is not a whole marker (it is written atomically, so that is damage).
    static func read(directory: String) throws(LogError) -> TransactionMarker? {
        let path = path(directory: directory)
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch {
            if error.isNotFound { return nil }
            throw LogError.io(error)
        }
        guard bytes.count == size, Array(bytes[0..<8]) == magic,
              CRC32C.checksum(bytes, range: 0..<36) == ByteReader.u32(bytes, at: 36)
        else { throw LogError.corrupt(path: path, offset: 0, reason: "not a whole transaction marker (its checksum fails)") }
        var r = ByteReader(bytes, offset: 12)
        guard let committed = try? r.u64(), let base = try? r.u64(), let end = try? r.u64(), end <= UInt64(Int.max) else {
            throw LogError.corrupt(path: path, offset: 12, reason: "transaction marker is cut short")
        }
        return TransactionMarker(committed: committed, segmentBase: base, segmentEnd: Int(end))
    }

    /// Writes the marker durably (temporary file, fsync, rename, fsync of the directory).
    func write(directory: String) throws(SystemError) {
        try FileSystem.writeAtomically(encode(), to: Self.path(directory: directory), directory: directory)
    }

    /// Removes the marker durably: the transaction is committed (or was taken back).
    static func remove(directory: String) throws(SystemError) {
        try FileSystem.remove(path(directory: directory))
        try FileSystem.syncDirectory(directory)
    }
}
