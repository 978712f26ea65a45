import ArgumentParser
import Events
import Evidence
import LogStore
import SystemIO

extension Patchlog {
    /// `patchlog checkpoint`: a signed statement of what the log holds now.
    struct CheckpointCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Write a signed checkpoint: log id, sequence, tree size, Merkle root, time.",
            discussion: "Publish it somewhere the log's keepers cannot change. `patchlog verify --checkpoint FILE --key PUB` later proves the log still begins with exactly these records.")

        @OptionGroup var location: LogLocation

        @Option(help: ArgumentHelp("The private key (from `patchlog keygen`).", valueName: "file"))
        var key: String

        @Option(parsing: .unconditional, help: ArgumentHelp("Cover only the first N records (default: all).", valueName: "n"))
        var size: UInt64?

        @Option(help: ArgumentHelp("Write the checkpoint to this file instead of standard output.", valueName: "file"))
        var out: String?

        func validate() throws {
            try Output.validate(out, refuseExisting: true)
        }

        func run() throws {
            let signing = try SigningKey(text: try EvidenceFiles.text(key, what: "private key"), file: key)
            let log = try location.open(.reader)
            let treeSize = size ?? log.count
            guard treeSize <= log.count else { throw CommandFailure("--size \(treeSize): the log has only \(log.count) records") }
            let time = Timestamp(nanoseconds: wallClockNanoseconds()).description
            let cp = try Checkpoint.make(log: log, logID: log.logID, logCreated: Timestamp(nanoseconds: log.createdAt).description,
                                         treeSize: treeSize, time: time, key: signing)
            let file = try Output.open(out)
            try file.writeNext(Array(cp.text.utf8))
            try file.commit()
        }
    }
}
