import ArgumentParser

/// The `patchlog` command: an audit log of Windows Server Hotpatch events.
@main
struct Patchlog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patchlog",
        abstract: "An append-only, compressed, tamper-evident audit log of Windows Server Hotpatch events.",
        discussion: """
            Every command works on one log, a directory on local disk: --log DIR, else \
            $PATCHLOG_DIR, else ./patchlog.log.

            Exit codes: 0 success; 1 an error (the message says what and where); \
            3 verify found damage; 4 the log (or a proof) does not match a checkpoint; \
            5 the log is shorter than a checkpoint; 6 a checkpoint is not valid; \
            64 a mistake in the command line.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Import.self, Sync.self, Export.self, State.self, When.self, History.self, Diff.self, Fleet.self, Simulate.self,
            Findings.self, Exposure.self, Report.self, Images.self, Follow.self, Serve.self,
            Info.self, Verify.self, Keygen.self, CheckpointCommand.self, Prove.self, VerifyProof.self, Show.self, Salvage.self, Raw.self,
        ]
    )

    /// Runs the command. Mistakes on the command line (and `ExitCode`s) are reported
    /// by swift-argument-parser, with the usage; any other error is reported as
    /// `patchlog: message` with exit code 1, like the notes.
    static func main() {
        var command: any ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do { try command.run() } catch {
            // swift-argument-parser's own outcomes (help, version, usage mistakes, exit
            // codes) are told apart by the exit code it gives them, not by their types
            // (some are internal to it): anything but a plain failure is its to report.
            if error is ExitCode || exitCode(for: error) != .failure {
                exit(withError: error)
            }
            Terminal.note(message(for: error))
            exit(withError: ExitCode.failure)
        }
    }
}
