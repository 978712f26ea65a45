import Crypto

/// The hash chain that links every block of a log to all blocks before it.
///
/// Each block's header carries its link: SHA-256 over the previous block's link, the
/// block's first sequence number (8 bytes, little-endian) and its uncompressed body —
/// the bytes that hold its records. The first block of a log links to
/// ``genesis(logID:)``, which binds the chain to the log's identity.
/// Editing, removing, inserting or reordering any record changes the link of its
/// block and of every block after it, so a log whose links all check out is one
/// unbroken history; one hash per block, not per record, is what it costs.
public enum HashChain {
    /// Length of a link in bytes.
    public static let linkSize = 32
    /// The link before a log's first block: SHA-256 of `patchlog hash chain` and the
    /// log's 16-byte id.
    public static func genesis(logID: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("patchlog hash chain".utf8))
        hasher.update(data: logID)
        return Array(hasher.finalize())
    }

    /// The link of a block given the link before it.
    public static func link(previous: [UInt8], firstSequence: UInt64, rawBody: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        withUnsafeBytes(of: firstSequence.littleEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: rawBody)
        return Array(hasher.finalize())
    }
}
