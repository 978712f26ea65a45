import ArgumentParser
import Evidence
import SystemIO

extension Patchlog {
    /// `patchlog keygen`: a key pair for signing checkpoints.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make an Ed25519 key pair for signing checkpoints.",
            discussion: "Writes PREFIX.key (the private key, readable by you only; keep it away from the log) and PREFIX.pub (give it to auditors). Never overwrites a key.")

        @Option(help: ArgumentHelp("Where to write the keys: PREFIX.key and PREFIX.pub.", valueName: "prefix"))
        var out: String

        func validate() throws {
            if out.isEmpty || out.hasSuffix("/") || FileSystem.isDirectory(out) {
                throw ValidationError("--out \(out) is a directory, not a prefix: expected e.g. \(out.hasSuffix("/") || out.isEmpty ? out : out + "/")checkpoint-signing (writes .key and .pub after it)")
            }
        }

        func run() throws {
            let key = SigningKey()
            // Both files or neither: a private key without its public key (the .pub
            // already there, a full disk) is not left behind.
            for path in [out + ".key", out + ".pub"] where FileSystem.exists(path) || FileSystem.isSymbolicLink(path) {
                throw CommandFailure("cannot write \(path): it already exists (keygen never replaces a key)")
            }
            try write(key.text, to: out + ".key", mode: 0o600)
            do { try write(key.publicKey.text, to: out + ".pub", mode: 0o644) } catch {
                try? FileSystem.remove(out + ".key")
                throw error
            }
            print("private key \(out).key (keep it secret), public key \(out).pub, key id \(key.publicKey.keyID)")
        }

        private func write(_ text: String, to path: String, mode: UInt32) throws {
            do {
                let file = try SystemFile.open(path, access: .readWrite, create: true, exclusive: true, mode: mode)
                defer { file.close() }
                do {
                    try file.write(Array(text.utf8), at: 0)
                    try file.sync()
                } catch {
                    try? FileSystem.remove(path) // not half a key
                    throw error
                }
            } catch {
                throw CommandFailure("cannot write \(path): \(error)")
            }
        }
    }
}
