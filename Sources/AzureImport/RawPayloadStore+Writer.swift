import LogStore
import SystemIO

extension RawPayloadStore {
    /// Runs `body` with the payload store of the log in `logDirectory` opened as the
    /// writer (created if it does not exist), and closes it after. A store this call
    /// created and `body` left empty (the payload was not read, or not kept) is
    /// removed again, so that a failed import leaves the log directory as it was.
    public static func withWriter<R>(logDirectory: String, _ body: (RawPayloadStore) throws -> R) throws -> R {
        let directory = path(logDirectory: logDirectory)
        let existed = FileLog.exists(at: directory)
        guard let sources = try open(logDirectory: logDirectory, access: .writer, create: true) else {
            throw LogError.notALog(directory: directory, reason: "the payload store could not be created")
        }
        defer {
            if let file = sources.store as? FileLog {
                if !existed && file.count == 0 {
                    file.close()
                    if let names = try? FileSystem.list(directory) {
                        for n in names { try? FileSystem.remove(directory + "/" + n) }
                    }
                    try? FileSystem.removeDirectory(directory)
                } else {
                    // The index is rebuilt at the next open if it cannot be written now.
                    try? file.finish()
                }
            }
        }
        return try body(sources)
    }
}
