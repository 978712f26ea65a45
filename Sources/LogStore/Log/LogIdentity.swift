import ByteCoding
import SystemIO

/// The `LOG` file that marks a directory as a log (see docs/log-format.md,
/// "Identity file"): magic, format version, a random log id and the creation time,
/// with a CRC-32C.
struct LogIdentity: Equatable {
    var version: UInt16
    var logID: [UInt8]
    var created: Int64

    /// The log id as 32 hex digits.
    var logIDHex: String { Hex.encode(logID) }

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: LogFormat.identitySize)
        w.raw(LogFormat.identityMagic)
        w.u16(version)
        w.u16(0)
        w.raw(logID)
        w.i64(created)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Reads the identity of the log in `directory`, or says why it is not a log this
    /// build can open.
    static func read(directory: String) throws(LogError) -> LogIdentity {
        let path = directory + "/" + LogFormat.identityName
        guard FileSystem.isDirectory(directory) else {
            throw LogError.notALog(directory: directory, reason: FileSystem.exists(directory) ? "not a directory" : "no such directory (create one with `patchlog init`)")
        }
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            if error.isNotFound {
                throw LogError.notALog(directory: directory, reason: "it has no \(LogFormat.identityName) file (create a log with `patchlog init`)")
            }
            throw LogError.io(error)
        }
        guard bytes.count >= 10, Array(bytes[0..<8]) == LogFormat.identityMagic else {
            throw LogError.notALog(directory: directory, reason: "\(LogFormat.identityName) is not a patchlog identity file")
        }
        let version = UInt16(bytes[8]) | UInt16(bytes[9]) << 8
        if version > LogFormat.version {
            throw LogError.newerFormat(path: path, version: version, supported: LogFormat.version)
        }
        if version < LogFormat.oldestReadable {
            throw LogError.notALog(directory: directory, reason: "it was written by a development build of patchlog (format \(version), before the hash chain), which this one does not read; export it with that build and import the JSON Lines")
        }
        guard bytes.count == LogFormat.identitySize,
              CRC32C.checksum(bytes, range: 0..<36) == ByteReader.u32(bytes, at: 36)
        else { throw LogError.corrupt(path: path, offset: 0, reason: "identity file checksum mismatch") }
        var r = ByteReader(bytes, offset: 12)
        do {
            let id = Array(try r.raw(16))
            let created = try r.i64()
            return LogIdentity(version: version, logID: id, created: created)
        } catch {
            throw LogError.corrupt(path: path, offset: 0, reason: "identity file is cut short")
        }
    }
}

/// The advisory lock that allows one writer at a time. The `LOCK` file holds the
/// writer's process id, so that a second writer can say who holds it.
enum WriterLock {
    static func acquire(directory: String) throws(LogError) -> SystemFile {
        let path = directory + "/" + LogFormat.lockName
        return try asLogError {
            let file = try SystemFile.open(path, access: .readWrite, create: true)
            guard try file.tryLockExclusive() else {
                let text = (try? file.read(at: 0, count: 32)).map { String(decoding: $0, as: UTF8.self) } ?? ""
                let pid = Int32(text.trimmingSuffix(while: { $0 == "\n" || $0 == " " }))
                throw LogError.locked(directory: directory, holderPID: pid)
            }
            do {
                try file.truncate(to: 0)
                try file.write(Array("\(FileSystem.processID)\n".utf8), at: 0)
            } catch {
                release(file)
                throw error
            }
            return file
        }
    }

    /// Releases the lock taken by ``acquire(directory:)`` and closes its file. The
    /// lock is released explicitly, not by the close: a process started meanwhile by
    /// another thread may still hold a copy of the descriptor.
    static func release(_ file: SystemFile) {
        file.unlock()
        file.close()
    }

    /// Whether a writer holds the lock right now. Probes by taking and releasing it.
    static func isHeld(directory: String) -> Bool {
        guard let file = try? SystemFile.open(directory + "/" + LogFormat.lockName, access: .readOnly) else { return false }
        let taken = try? file.tryLockExclusive()
        if taken == true { release(file) } else { file.close() }
        return taken == false
    }
}

extension String {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var s = self
        while let last = s.last, predicate(last) { s.removeLast() }
        return s
    }
}
