import ByteCoding
import Crypto

/// An Ed25519 key pair for signing checkpoints, and the one-line text files that
/// hold them: `patchlog-ed25519-private <64 hex digits>` and
/// `patchlog-ed25519-public <64 hex digits>`.
public struct SigningKey {
    let key: Curve25519.Signing.PrivateKey

    /// A new random key pair.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// The key in a private key file's text; `file` names it in errors.
    public init(text: String, file: String) throws(EvidenceError) {
        let raw = try KeyText.parse(text, kind: KeyText.privateKind, file: file)
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw EvidenceError.badKey(file: file, reason: "not an Ed25519 private key")
        }
    }

    /// The private key file's text (keep it secret).
    public var text: String { KeyText.privateKind + " " + Hex.encode(key.rawRepresentation) + "\n" }
    /// The matching public key.
    public var publicKey: VerifyingKey { VerifyingKey(key: key.publicKey) }

    /// The Ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) throws -> [UInt8] { Array(try key.signature(for: message)) }
}

/// The public half of a ``SigningKey``: what an auditor needs to check checkpoints.
public struct VerifyingKey: Equatable {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// The key in a public key file's text; `file` names it in errors.
    public init(text: String, file: String) throws(EvidenceError) {
        let raw = try KeyText.parse(text, kind: KeyText.publicKind, file: file)
        do { key = try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
            throw EvidenceError.badKey(file: file, reason: "not an Ed25519 public key")
        }
    }

    /// The public key file's text.
    public var text: String { KeyText.publicKind + " " + Hex.encode(key.rawRepresentation) + "\n" }

    /// A short name for the key: the first 8 bytes of the SHA-256 of its raw form, in hex.
    public var keyID: String { Hex.encode(Array(SHA256.hash(data: key.rawRepresentation)).prefix(8)) }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }

    public static func == (a: VerifyingKey, b: VerifyingKey) -> Bool { a.key.rawRepresentation == b.key.rawRepresentation }
}

/// The one-line key file format.
enum KeyText {
    static let privateKind = "patchlog-ed25519-private"
    static let publicKind = "patchlog-ed25519-public"

    static func parse(_ text: String, kind: String, file: String) throws(EvidenceError) -> [UInt8] {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" })
        guard parts.count == 2, parts[0] == kind else {
            let other = kind == privateKind ? publicKind : privateKind
            if parts.first.map(String.init) == other {
                throw EvidenceError.badKey(file: file, reason: "this is a \(kind == privateKind ? "public" : "private") key; expected a \(kind == privateKind ? "private" : "public") one")
            }
            throw EvidenceError.badKey(file: file, reason: "expected one line \"\(kind) <64 hex digits>\"")
        }
        guard let raw = Hex.decode(parts[1]), raw.count == 32 else {
            throw EvidenceError.badKey(file: file, reason: "expected 64 hex digits after \(kind)")
        }
        return raw
    }
}
