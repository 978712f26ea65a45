import ByteCoding
import Crypto

/// Hashes that name things: FNV-1a (short, stable keys inside event ids) and SHA-256
/// (the name of a kept original payload, which anyone can check with `sha256sum`;
/// computed by swift-crypto, as every other SHA-256 in patchlog).
enum Digest {
    /// FNV-1a 64 of the UTF-8 bytes, as 16 lower-case hex digits.
    static func fnv1a64Hex(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return Hex.encode((0..<8).map { UInt8(truncatingIfNeeded: h >> (56 - 8 * UInt64($0))) })
    }

    /// SHA-256 of `bytes`, as 64 lower-case hex digits.
    static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// A finished SHA-256, as 64 lower-case hex digits.
    static func hex(_ digest: SHA256.Digest) -> String { Hex.encode(Array(digest)) }
}
