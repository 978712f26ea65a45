import ArgumentParser
import LogStore

extension Patchlog {
    /// `patchlog init`: makes a new, empty log.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a new, empty log directory.")

        @OptionGroup var location: LogLocation

        func run() throws {
            let log = try FileLog.create(at: location.directory)
            print("created log \(location.directory) (id \(log.logID))")
        }
    }
}
