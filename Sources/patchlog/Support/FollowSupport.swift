#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// `follow --cursor-file F`: the sequence number a follower has reached (every event
/// up to it printed or filtered out), with the log's id so that a cursor is never
/// applied to another log. Three lines of text:
///
/// ```
/// patchlog follow cursor 1
/// log: 7090c2c6106f20a7615fa8db3c016080
/// sequence: 1234
/// ```
///
/// Saved with write, fsync and rename after each batch is printed: a follower
/// stopped by a signal resumes with nothing lost or repeated; one killed between
/// printing a batch and saving may print that batch again.
struct FollowCursor {
    let path: String
    let logID: String

    /// A cursor file for the log with this id; refuses a file that is not a cursor.
    init(path: String, logID: String) throws {
        self.path = path
        self.logID = logID
    }

    /// The saved sequence, or nil if the file does not exist yet.
    func load() throws -> UInt64? {
        guard FileSystem.exists(path) else { return nil }
        let text = String(decoding: try FileSystem.read(path), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count == 3, lines[0] == "patchlog follow cursor 1", lines[1].hasPrefix("log: "), lines[2].hasPrefix("sequence: "),
              let sequence = UInt64(lines[2].dropFirst("sequence: ".count))
        else { throw CommandFailure("--cursor-file \(path) is not a follow cursor (expected the three lines patchlog writes)") }
        let id = String(lines[1].dropFirst("log: ".count))
        guard id == logID else { throw CommandFailure("--cursor-file \(path) is the cursor of another log (\(id)); this log is \(logID)") }
        return sequence
    }

    /// Saves `sequence`, atomically.
    func save(_ sequence: UInt64) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let text = "patchlog follow cursor 1\nlog: \(logID)\nsequence: \(sequence)\n"
        do { try FileSystem.writeAtomically(Array(text.utf8), to: path, directory: directory.isEmpty ? "/" : directory) } catch {
            throw CommandFailure("cannot save the cursor --cursor-file \(path): \(error)")
        }
    }
}

/// SIGINT and SIGTERM ask a long-running command to stop between two batches: the
/// handler only sets a flag, and interrupts the wait it is in (installed without
/// `SA_RESTART`, so `poll` returns).
enum StopSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Whether a stop was asked for.
    static var requested: Bool { flag != 0 }

    /// Installs the handlers.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in StopSignal.flag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have started us with them blocked (a test runner's thread did).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
