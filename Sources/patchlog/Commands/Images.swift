import ArgumentParser
import EventLog
import Events
import LogStore
import Replay
import SystemIO

extension Patchlog {
    /// `patchlog images show|set`: the supported image list, kept in the log.
    struct Images: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "images",
            abstract: "The images Hotpatch supports, kept in the log: show the list at a moment, or set a new one.",
            discussion: "Answers about supported images (fleet, state, findings) use the list in force at the moment asked: the latest supported.images event by then, else the list built in. Setting a list appends such an event: it is covered by the hash chain and checkpoints, so an answer at T can be reproduced.",
            subcommands: [ShowList.self, SetList.self])

        /// `patchlog images show [--at T]`.
        struct ShowList: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "The list in force at a moment, and where it comes from.")
            @OptionGroup var location: LogLocation
            @OptionGroup var recorded: AsRecordedOption
            @Option(help: "The moment. Default: now.", transform: parseTime) var at: Timestamp?

            func run() throws {
                let log = HotpatchLog(store: try location.open(.reader))
                let moment = at ?? Timestamp(nanoseconds: wallClockNanoseconds())
                let list = try SupportedImages.inForce(in: log, at: moment, asRecorded: recorded.asRecorded ?? .max)
                let source = try log.imageLists()
                    .filter { $0.sequence <= recorded.asRecorded ?? .max && $0.event.time <= moment }
                    .max { ($0.event.time, $0.sequence) < ($1.event.time, $1.sequence) }
                    .map { "event \"\($0.event.id)\" (sequence \($0.sequence)), in force from \($0.event.time)" } ?? "the list built in"
                print("# supported images at \(moment): \(source)")
                for image in list.references { print("\(image.publisher)/\(image.offer)/\(image.sku)") }
            }
        }

        /// `patchlog images set FILE [--time T] [--id ID]`.
        struct SetList: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set", abstract: "Append a supported.images event: the list in FILE is in force from --time on.")
            @OptionGroup var location: LogLocation
            @OptionGroup var write: WriteOptions
            @Argument(help: "One publisher/offer/sku per line; blank lines and lines starting with # are skipped.") var file: String
            @Option(help: "From when the list holds. Default: now.", transform: parseTime) var time: Timestamp?
            @Option(help: "The event's id. Default: supported-images@TIME (setting the same list again appends nothing).") var id: String?

            func run() throws {
                guard let data = try? FileSystem.read(file) else { throw CommandFailure("cannot read the supported image list \(file)") }
                let list = try SupportedImages(parsing: String(decoding: data, as: UTF8.self), source: file)
                let t = time ?? Timestamp(nanoseconds: wallClockNanoseconds())
                let event = Event(id: id ?? "supported-images@\(t)", time: t, body: .supportedImages(SupportedImageList(images: list.references)))
                let store = try location.open(.writer, options: write.logOptions)
                defer { LogLocation.finish(store) }
                let outcome: AppendOutcome
                do {
                    outcome = try HotpatchLog(store: store).append([event])[0]
                } catch let LogError.idConflict(id, existing) {
                    throw CommandFailure("\"\(id)\" is already in the log (sequence \(existing)) with another list; give another --id or --time")
                }
                switch outcome {
                case let .appended(seq): print("appended \(event.id) as sequence \(seq): \(list.images.count) images from \(t)")
                case let .duplicate(seq): print("\(event.id) is already in the log (sequence \(seq)) with this list: nothing appended")
                }
            }
        }
    }
}
