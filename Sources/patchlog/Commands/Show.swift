import ArgumentParser
import AzureImport
import EventLog
import JSONLines
import LogStore
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog show --seq N [--raw]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the event at a sequence number, or with --raw the original payload it was imported from.",
            discussion: """
                Without --raw: the event as one line of JSON (docs/events.md). With --raw: the exact bytes \
                of the Azure payload that produced it (patchlog import --from azure keeps them), after \
                checking that they still hash to their sha256: name; an error if the event was not \
                imported from one, or if the bytes no longer match their name.
                """)

        @OptionGroup var location: LogLocation

        @Option(parsing: .unconditional, help: ArgumentHelp("The event's sequence number (from 1).", valueName: "n"))
        var seq: UInt64

        @Flag(help: "Print the original payload, byte for byte, instead of the event.")
        var raw = false

        func validate() throws {
            if seq == 0 { throw ValidationError("--seq counts from 1") }
        }

        func run() throws {
            let store = try location.open(.reader)
            guard seq <= store.count, let record = try store.read(seq...seq).first else {
                throw CommandFailure(store.count == 0 ? "--seq \(seq): the log is empty"
                                     : "--seq \(seq) is past the end of the log: it has \(store.count) events (1...\(store.count))")
            }
            let event = try HotpatchLog.event(from: record)
            guard raw else { return emit(EventJSONEncoder.encode(event) + "\n") }
            guard let name = RawPayloadStore.sourceName(of: event) else {
                throw ShowError(message: "event \(seq) (id \"\(event.id)\") names no source payload: it was not imported with --from azure")
            }
            let directory = RawPayloadStore.path(logDirectory: location.directory)
            let bytes: [UInt8]?
            do { bytes = try RawPayloadStore.open(logDirectory: location.directory, access: .reader, create: false)?.checkedPayload(name) } catch let altered as AlteredPayloadError {
                throw ShowError(message: "event \(seq) came from payload \(name) in \(directory), but \(altered): not printed")
            }
            guard let bytes else {
                throw ShowError(message: "event \(seq) came from payload \(name), which is not in \(directory)")
            }
            try SystemFile.standardOutput.writeNext(bytes)
        }
    }
}

/// Why `show --raw` has nothing to print (exit status 1).
struct ShowError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
