import ArgumentParser
import LogStore
import SystemIO

/// `--log DIR`, shared by every command that opens a log.
struct LogLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The log directory.", discussion: "Defaults to $PATCHLOG_DIR, else ./patchlog.log.", valueName: "dir"))
    var log: String?

    /// The directory to use, after the defaults.
    var directory: String {
        if let log { return log }
        if let env = FileSystem.environment("PATCHLOG_DIR"), !env.isEmpty { return env }
        return "./patchlog.log"
    }

    /// Opens the log, turning a ``LogError`` into the command's error.
    func open(_ access: FileLog.Access, options: LogOptions = LogOptions()) throws -> FileLog {
        let log = try FileLog.open(at: directory, options: options, access: access)
        if !log.recovery.isClean && access == .writer {
            Terminal.note("recovered \(directory): \(log.recovery)")
        }
        return log
    }

    /// Closes a log opened as the writer; if the index of its last segment cannot be
    /// written (a full disk), says so as a warning: the records are durable, and the
    /// index is rebuilt when the log is next opened.
    static func finish(_ log: FileLog) {
        do { try log.finish() } catch {
            Terminal.note("warning: \(log.directory): the index could not be written at close (\(error)); the records are durable and the index is rebuilt when the log is next opened")
        }
    }
}

/// Options of commands that append.
struct WriteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("When an append is acknowledged: always (fsync each append), batch (group commit), none.", valueName: "mode"))
    var sync: SyncMode = .batch

    /// Store settings with this sync mode.
    var logOptions: LogOptions { LogOptions(sync: sync) }
}

extension SyncMode: ExpressibleByArgument {}
