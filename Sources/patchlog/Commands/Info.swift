import ArgumentParser
import Events
import LogStore

extension Patchlog {
    /// `patchlog info`: what a log holds and how small it is.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show a log's segments, records, size on disk, compression ratio and time range.")

        @OptionGroup var location: LogLocation

        func run() throws {
            let log = try location.open(.reader)
            let stats = try log.statistics()
            // The records' own size: what they would take uncompressed, one field after another.
            var recordBytes = 0
            try log.scan { view in
                recordBytes += view.payload.count + view.idBytes.count + 8 + 4
                return true
            }
            print("log          \(location.directory)")
            print("id           \(log.logID)")
            print("created      \(Timestamp(nanoseconds: log.createdAt))")
            print("segments     \(stats.segments) (\(stats.blocks) blocks)")
            print("records      \(Terminal.grouped(stats.records)) in \(Terminal.grouped(stats.streams)) streams")
            print("on disk      \(Terminal.bytes(stats.diskBytes)) (segments \(Terminal.bytes(stats.segmentBytes)), indexes \(Terminal.bytes(stats.indexBytes)))")
            if stats.records > 0 {
                let perRecord = Double(stats.diskBytes) / Double(stats.records)
                let ratio = Double(recordBytes) / Double(max(stats.diskBytes, 1))
                print("per record   \(Terminal.fixed(perRecord, 1)) bytes on disk; records \(Terminal.bytes(recordBytes)) uncompressed, ratio \(Terminal.fixed(ratio, 1)):1")
            }
            if let range = stats.timeRange {
                print("time range   \(Timestamp(nanoseconds: range.lowerBound)) .. \(Timestamp(nanoseconds: range.upperBound))")
            } else {
                print("time range   (empty)")
            }
            if !log.recovery.isClean { print("note         \(log.recovery)") }
        }
    }
}
