import EventLog
import Events
import LogStore
import Replay
import SystemIO

/// The record reader's fuzz target: the input becomes a segment file of a log whose
/// identity file (`LOG`) is valid, and the record reader runs on it: the log opened
/// as a reader (segment header, dictionary, index or block scan, every block's
/// checksums and decoding) and every record read and decoded into its event.
///
/// The other readers decode the same blocks with the same code, and cost several
/// times the record reader together, so they run on a sample of the inputs, chosen
/// by the input's CRC (so a replay does what the fuzzer did): one input in
/// ``othersEvery`` also reads by stream, by record key and by sequence range, scans,
/// and runs `FileLog.verify` and `FileLog.salvage`; one in ``writerEvery`` also
/// opens the log as the writer (which repairs a torn tail and holds every index
/// list), reads, appends and closes it (writing the index), and verifies again.
/// The regression tests run everything for every input.
///
/// An input that begins with `PLOGIDX` is instead the index file (`.idx`) of a valid
/// segment (the template's), so the index loader is fuzzed too.
///
/// The file is named after the base sequence in the input's header (bytes 12..<20),
/// so inputs are not all refused for a name that does not match.
enum RecordReaderTarget {
    /// A small valid log made once per process: its files are the seeds, and its
    /// identity file and segment are copied next to each input.
    struct Template {
        let identity: [UInt8]
        let segment: [UInt8]
        let index: [UInt8]
        let work: String
    }

    static let options = LogOptions(blockBytes: 256, sync: .none, dictionaryBytes: 1024)

    static let template: Template = {
        let directory = FuzzScratch.root + "/template"
        try? FuzzScratch.removeTree(directory)
        let log = try! FileLog.create(at: directory, options: options)
        let events = SampleEvents.events
        let hotpatch = HotpatchLog(store: log)
        // Three appends, so the segment holds several blocks of different sizes.
        _ = try! hotpatch.append(Array(events.prefix(4)))
        _ = try! hotpatch.append(Array(events.dropFirst(4).prefix(1)))
        _ = try! hotpatch.append(Array(events.dropFirst(5)))
        log.close()
        let segment = directory + "/" + segmentName(base: 1)
        let template = Template(
            identity: try! FileSystem.read(directory + "/LOG"),
            segment: try! FileSystem.read(segment),
            index: try! FileSystem.read(segment.dropLast(4) + ".idx"),
            work: FuzzScratch.directory("record-reader"))
        FuzzScratch.write(template.identity, to: template.work + "/LOG")
        return template
    }()

    /// `NNNNNNNNNNNNNNNNNNNN.seg`: the base zero-padded to 20 digits (docs/log-format.md).
    static func segmentName(base: UInt64) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".seg"
    }

    /// One input in this many also runs the other readers (see the type's comment).
    static let othersEvery: UInt32 = 8

    /// One input in this many also runs the writer's path (see the type's comment).
    static let writerEvery: UInt32 = 32

    /// Which paths beyond the record reader an input runs.
    struct Paths {
        var others: Bool
        var writer: Bool
        static let everything = Paths(others: true, writer: true)
    }

    /// The paths `bytes` runs, chosen by its CRC (the writer's inputs are among the
    /// others' inputs, since `othersEvery` divides `writerEvery`).
    static func paths(_ bytes: [UInt8]) -> Paths {
        let crc = CRC32C.checksum(bytes)
        return Paths(others: crc % othersEvery == 0, writer: crc % writerEvery == 0)
    }

    /// Runs the input as it is, then (if that changes it) with its checksums fixed
    /// (see ``ChecksumFixup``), so that mutations reach what the checksums guard.
    /// With `everything`, every input runs every path.
    static func run(_ bytes: [UInt8], everything: Bool = false) {
        let paths = everything ? .everything : paths(bytes)
        runAsIs(bytes, paths)
        let isIndex = bytes.starts(with: Array("PLOGIDX".utf8))
        let fixed = isIndex ? ChecksumFixup.index(bytes) : ChecksumFixup.segment(bytes, logID: Array(template.identity[12..<28]))
        if fixed != bytes { runAsIs(fixed, paths) }
    }

    static func runAsIs(_ bytes: [UInt8], _ paths: Paths) {
        let t = template
        let directory = t.work
        for name in (try? FileSystem.list(directory)) ?? [] where name != "LOG" {
            try? FileSystem.remove(directory + "/" + name)
        }
        if bytes.starts(with: Array("PLOGIDX".utf8)) {
            let segment = directory + "/" + segmentName(base: 1)
            FuzzScratch.write(t.segment, to: segment)
            FuzzScratch.write(bytes, to: segment.dropLast(4) + ".idx")
        } else {
            var base: UInt64 = 1
            if bytes.count >= 20 {
                base = bytes[12..<20].reversed().reduce(0) { $0 << 8 | UInt64($1) }
            }
            FuzzScratch.write(bytes, to: directory + "/" + segmentName(base: base))
        }
        read(directory, others: paths.others)
        if paths.writer { write(directory) }
    }

    /// The record reader on the log in `directory`, and with `others` everything else
    /// that reads it; errors are expected and ignored.
    static func read(_ directory: String, others: Bool) {
        if let reader = try? FileLog.open(at: directory, options: options, access: .reader) {
            let records = try? reader.readAll()
            for record in records ?? [] { _ = try? HotpatchLog.event(from: record) }
            if others { readOthers(reader, records ?? []) }
            reader.close()
        }
        guard others else { return }
        _ = try? FileLog.verify(directory: directory)
        _ = try? FileLog.salvage(directory: directory) { record in _ = try? HotpatchLog.event(from: record) }
    }

    /// Reads by stream, key and range, and scans, on an open reader holding `records`.
    private static func readOthers(_ reader: FileLog, _ records: [StoredRecord]) {
        if !records.isEmpty {
            // The stream and key lists of the index (or of the blocks, when it was
            // rebuilt): two of each, the first and the last (each read decodes the
            // blocks listed again, and more lists cover no other code).
            let streams = Set(records.map(\.stream)).sorted()
            for stream in Set([streams.first, streams.last].compactMap { $0 }) {
                _ = try? reader.read(stream: stream)
                _ = try? reader.read(stream: stream, timeAtMost: records[records.count / 2].time)
            }
            let keys = Set(records.flatMap(\.keys)).sorted()
            for key in Set([keys.first, keys.last].compactMap { $0 }) { _ = try? reader.read(key: key) }
            if reader.count > 2 { _ = try? reader.read(2...reader.count - 1) }
        }
        try? reader.scan(from: 1) { view in
            if let key = reader.streamKey(view.stream) { _ = try? HotpatchLog.event(from: view, streamKey: key) }
            return true
        }
    }

    /// The writer's path on the log in `directory`: open (cutting a torn tail), read,
    /// append one event, close (writing the index), verify.
    static func write(_ directory: String) {
        if let writer = try? FileLog.open(at: directory, options: options, access: .writer) {
            _ = try? writer.readAll()
            var event = SampleEvents.events[0]
            event.id = "fuzz-appended"
            _ = try? HotpatchLog(store: writer).append([event])
            writer.close()
            _ = try? FileLog.verify(directory: directory)
        }
    }
}
