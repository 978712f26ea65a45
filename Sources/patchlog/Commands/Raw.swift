import ArgumentParser
import Events
import LogStore
import SystemIO

extension Patchlog {
    /// `patchlog raw`: records as the store sees them, for testing the store itself.
    struct Raw: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "raw",
            abstract: "Append and read raw records (time, stream, id, payload), below the event model.",
            subcommands: [RawAppend.self, RawRead.self])
    }

    /// `patchlog raw append FILE|-`.
    struct RawAppend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "append",
            abstract: "Append records from lines of TIME<TAB>STREAM<TAB>ID<TAB>PAYLOAD.",
            discussion: "TIME is RFC 3339 (any offset) or a plain date; PAYLOAD is the rest of the line, stored as its UTF-8 bytes. The whole file is appended or, on the first bad line, nothing.")

        @OptionGroup var location: LogLocation
        @OptionGroup var write: WriteOptions

        @Argument(help: ArgumentHelp("The file to read, or - for standard input.", valueName: "file"))
        var file: String

        func run() throws {
            let name = file == "-" ? "<stdin>" : file
            var bytes: [UInt8] = []
            do {
                if file == "-" {
                    var chunk = [UInt8](repeating: 0, count: 1 << 16)
                    while case let n = try SystemFile.standardInput.readNext(into: &chunk, count: chunk.count), n > 0 {
                        bytes.append(contentsOf: chunk[0..<n])
                    }
                } else {
                    bytes = try FileSystem.read(file)
                }
            } catch {
                throw CommandFailure("cannot read \(name): \(error)")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            var records: [NewRecord] = []
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count == 4 else {
                    throw CommandFailure("\(name):\(n + 1): expected 4 tab-separated fields (time, stream, id, payload), found \(fields.count)")
                }
                let time: Timestamp
                do { time = try Timestamp(parsing: String(fields[0])) } catch {
                    throw CommandFailure("\(name):\(n + 1): field time: \(error)")
                }
                records.append(NewRecord(time: time.nanoseconds, stream: String(fields[1]), id: String(fields[2]), payload: Array(fields[3].utf8)))
            }
            let log = try location.open(.writer, options: write.logOptions)
            let outcomes: [AppendOutcome]
            do { outcomes = try log.append(records) } catch let LogError.invalidRecord(index, reason) {
                throw CommandFailure("\(name): record \(index + 1): \(reason)")
            }
            let appended = outcomes.filter { if case .appended = $0 { true } else { false } }.count
            LogLocation.finish(log)
            print("appended \(appended) records, \(outcomes.count - appended) already in the log; last sequence \(log.count)")
        }
    }

    /// `patchlog raw read`.
    struct RawRead: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Print records as SEQUENCE<TAB>TIME<TAB>STREAM<TAB>ID<TAB>PAYLOAD lines.")

        @OptionGroup var location: LogLocation

        @Option(parsing: .unconditional, help: "First sequence number.") var from: UInt64 = 1
        @Option(parsing: .unconditional, help: "Last sequence number.") var to: UInt64?
        @Option(help: "Only this stream.") var stream: String?

        func validate() throws {
            if from == 0 { throw ValidationError("--from counts from 1") }
            if let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
            if stream != nil && (from != 1 || to != nil) { throw ValidationError("--stream reads a whole stream; it does not combine with --from/--to") }
        }

        func run() throws {
            let log = try location.open(.reader)
            let records = try stream.map { try log.read(stream: $0) } ?? log.read(from...(to ?? .max))
            var out = ""
            for r in records {
                out += "\(r.sequence)\t\(Timestamp(nanoseconds: r.time))\t\(r.stream)\t\(r.id)\t\(String(decoding: r.payload, as: UTF8.self))\n"
                if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
            }
            print(out, terminator: "")
        }
    }
}
