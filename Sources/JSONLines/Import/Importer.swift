import EventLog
import Events
import LogStore
import SystemIO

/// What an import did.
public struct ImportReport: Sendable, Equatable {
    /// Lines read, blank ones included.
    public var lines = 0
    /// Events appended.
    public var appended = 0
    /// Events whose id was already in the log with the same content (or earlier in
    /// the file): nothing was appended for them.
    public var duplicates = 0
    /// Bytes read.
    public var bytes = 0
    /// With ``Importer/collectSequences``: each event's sequence number, in input
    /// order (a duplicate's is the one the log already gave it).
    public var sequences: [UInt64] = []

    /// Nothing yet.
    public init() {}
}

/// Imports JSON Lines (docs/events.md) into a log, all or nothing: every line is checked
/// and appended in batches inside one transaction, and the first bad line (or id
/// conflict) takes back everything this import appended, so the log is as it was
/// before. Until it commits, readers see none of it (``LogStore/transaction(_:)``),
/// and a writer opening the log after a crash in the middle takes it back; importing
/// the file again appends only what is missing, since re-imported events are no-ops.
public struct Importer {
    /// The log to append to.
    public let log: HotpatchLog
    /// Events per append call.
    public var batchSize = 4096
    /// A check of each event beyond events.md, made before anything is appended: the
    /// field at fault and why, or nil when the event may go in. The CLI refuses an
    /// event whose `source` names a kept Azure payload the log does not keep (a JSON
    /// Lines file brings no payload, and such a claim would make `verify` fail). Runs
    /// on the appending thread, so it may read the log.
    public var vet: ((Event) throws -> (field: String, message: String)?)?
    /// Whether the report lists each event's sequence number (``ImportReport/sequences``;
    /// 8 bytes an event: for a request's answer, not a file of millions).
    public var collectSequences = false

    /// An importer into `log`.
    public init(log: HotpatchLog) { self.log = log }

    /// Imports `path` (`-` for standard input). `progress` is called now and then
    /// with the report so far. On a machine with two processors or more, one thread
    /// reads, decodes and encodes the lines while the calling thread appends.
    public func importFile(_ path: String, progress: ((ImportReport) -> Void)? = nil) throws -> ImportReport {
        try run(.file(path), name: path == "-" ? "<stdin>" : path, progress: progress)
    }

    /// Imports the JSON Lines in `bytes` (a request's body, a fuzz input), all or
    /// nothing as ``importFile(_:progress:)``, with the same line splitting, decoding
    /// and checks; `name` names them in errors. Everything runs on the calling thread
    /// (there is no reading to overlap with appending).
    public func importBytes(_ bytes: [UInt8], name: String, progress: ((ImportReport) -> Void)? = nil) throws -> ImportReport {
        try run(.bytes(bytes), name: name, progress: progress)
    }

    /// Where the lines come from.
    enum Input: Sendable {
        case file(String)
        case bytes([UInt8])
    }

    private func run(_ input: Input, name: String, progress: ((ImportReport) -> Void)?) throws -> ImportReport {
        var report = ImportReport()
        let countBefore = log.store.count
        let batchSize = self.batchSize
        let vetting = vet != nil

        func append(_ batch: PreparedBatch) throws {
            report.lines = batch.lineCount
            report.bytes = batch.bytesRead
            guard !batch.events.isEmpty else { return }
            if let vet {
                for (event, line) in zip(batch.decoded, batch.lines) {
                    if let (field, message) = try vet(event) { throw EventInputError(line: line, field: field, message: message, file: name) }
                }
            }
            do {
                for outcome in try log.append(prepared: batch.events) {
                    switch outcome {
                    case let .appended(sequence):
                        report.appended += 1
                        if collectSequences { report.sequences.append(sequence) }
                    case let .duplicate(sequence):
                        report.duplicates += 1
                        if collectSequences { report.sequences.append(sequence) }
                    }
                }
            } catch let LogError.idConflict(id, existing) {
                // Against the log: the first line with that id; within this input: the last.
                let inInput = existing > countBefore
                let index = inInput ? batch.events.lastIndex { $0.id == id } : batch.events.firstIndex { $0.id == id }
                let line = batch.lines[index ?? 0]
                let message = inInput
                    ? "\"\(id)\" appears earlier in this input with different content"
                    : "\"\(id)\" is already in the log (sequence \(existing)) with different content"
                throw EventInputError(line: line, field: "id", message: message, file: name)
            } catch let LogError.invalidRecord(index, reason) {
                throw EventInputError(line: batch.lines[index], field: nil, message: reason, file: name)
            }
            progress?(report)
        }

        try log.store.transaction {
            if case .file = input, SystemInfo.processorCount >= 2 {
                try HandOff<PreparedBatch>.run(producer: { put in try Self.prepare(input, name: name, batchSize: batchSize, keepDecoded: vetting, put) },
                                               consumer: append)
            } else {
                try Self.prepare(input, name: name, batchSize: batchSize, keepDecoded: vetting, append)
            }
        }
        return report
    }

    /// Lines decoded and prepared, ready to append, with where they came from.
    public struct PreparedBatch: Sendable {
        /// The events, in file order.
        public var events: [HotpatchLog.PreparedEvent] = []
        /// The events as decoded, when the importer vets them (else empty).
        public var decoded: [Event] = []
        /// The line of each event.
        public var lines: [Int] = []
        /// Lines read so far, blank ones included.
        public var lineCount = 0
        /// Bytes read so far.
        public var bytesRead = 0
    }

    /// Reads, decodes and prepares the lines of `path` in batches of `batchSize`
    /// events, handing each to `put`; the last batch (maybe empty) carries the final
    /// counts. Touches no log (the shared log's import uses it too).
    public static func prepare(_ path: String, name: String, batchSize: Int, keepDecoded: Bool, _ put: (PreparedBatch) throws -> Void) throws {
        try prepare(.file(path), name: name, batchSize: batchSize, keepDecoded: keepDecoded, put)
    }

    /// ``prepare(_:name:batchSize:keepDecoded:_:)`` of a file or of bytes in memory.
    static func prepare(_ input: Input, name: String, batchSize: Int, keepDecoded: Bool, _ put: (PreparedBatch) throws -> Void) throws {
        let reader: LineReader
        switch input {
        case let .file(path): reader = try LineReader(path: path)
        case let .bytes(bytes): reader = LineReader(bytes: bytes)
        }
        let decoder = EventJSONDecoder()
        var batch = PreparedBatch()
        batch.events.reserveCapacity(batchSize)
        while let range = try reader.next() {
            let buffer = reader.lineBuffer
            if buffer[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let event = try decode(decoder, buffer, range, line: reader.lineNumber, file: name)
            batch.events.append(HotpatchLog.prepare(event))
            if keepDecoded { batch.decoded.append(event) }
            batch.lines.append(reader.lineNumber)
            if batch.events.count >= batchSize {
                batch.lineCount = reader.lineNumber
                batch.bytesRead = reader.bytesRead
                try put(batch)
                batch = PreparedBatch()
                batch.events.reserveCapacity(batchSize)
            }
        }
        batch.lineCount = reader.lineNumber
        batch.bytesRead = reader.bytesRead
        try put(batch)
    }

    /// One line's event; an error names the line and the file.
    private static func decode(_ decoder: EventJSONDecoder, _ buffer: [UInt8], _ range: Range<Int>, line: Int, file: String) throws -> Event {
        do {
            return try decoder.decode(buffer, range: range)
        } catch var error {
            error.line = line
            error.file = file
            throw error
        }
    }
}
