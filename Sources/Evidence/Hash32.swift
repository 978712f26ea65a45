import ByteCoding
import Crypto

/// A SHA-256 value: a node of the Merkle tree, a root, a leaf hash. Stored inline
/// (four words, no allocation) because a log's tree has millions of them.
public struct Hash32: Hashable, Sendable, CustomStringConvertible {
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The hash whose 32 bytes these are, or nil if there are not exactly 32.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        let a = Array(bytes)
        func word(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(a[at + $1]) << (8 * UInt64($1)) } }
        w0 = word(0); w1 = word(8); w2 = word(16); w3 = word(24)
    }

    /// The hash written as 64 hex digits, or nil.
    public init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    init(_ digest: SHA256.Digest) {
        var a = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeBytes { raw in for i in 0..<32 { a[i] = raw[i] } }
        self.init(bytes: a)!
    }

    /// Its 32 bytes.
    public var bytes: [UInt8] {
        var w = ByteWriter(capacity: 32)
        w.u64(w0); w.u64(w1); w.u64(w2); w.u64(w3)
        return w.bytes
    }

    /// 64 lower-case hex digits.
    public var description: String { Hex.encode(bytes) }

    fileprivate func feed(_ hasher: inout SHA256) {
        withUnsafeBytes(of: (w0.littleEndian, w1.littleEndian, w2.littleEndian, w3.littleEndian)) { hasher.update(bufferPointer: $0) }
    }
}

/// The two hash functions of the Merkle tree, as RFC 6962 (and RFC 9162, §2.1.1)
/// define them: a leaf is hashed with a 0x00 prefix, an interior node with 0x01, so
/// that no leaf can pass for a node.
public enum MerkleHash {
    /// `SHA-256(0x00 || data)`.
    public static func leaf(_ data: some Collection<UInt8>) -> Hash32 {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(data))
        return Hash32(hasher.finalize())
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func node(_ left: Hash32, _ right: Hash32) -> Hash32 {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        left.feed(&hasher)
        right.feed(&hasher)
        return Hash32(hasher.finalize())
    }

    /// The hash of the empty tree: `SHA-256()` of no bytes.
    public static var empty: Hash32 { Hash32(SHA256.hash(data: [UInt8]())) }
}
