import Events
import Hummingbird
import JSONLines
import TextFormats
import EventLog
import LogStore
import Replay
import SystemIO

/// The endpoints that stream: the events (JSON Lines or Server-Sent Events, and
/// following the log as it grows) and the export. Output is made and sent a step of
/// ``step`` records at a time, each step awaiting the client: memory stays flat
/// however large the log, and a client that goes away ends the stream at the next
/// write.
enum StreamRoutes {
    /// Records formatted per step.
    static let step: UInt64 = 8_192
    /// A follower that has sent nothing for this long sends a heartbeat (an empty
    /// line, or an SSE comment), which is also how a client that left is noticed.
    static let heartbeatMilliseconds: Int64 = 5_000

    /// The filters of `export` (and of `follow`), from the query.
    static func filter(_ q: Query) throws(Problem) -> ExportFilter {
        var type: EventType?
        if let text = q["type"] {
            guard let t = EventType(name: text) else {
                throw Problem.bad("type", "type: \"\(text)\" is not an event type; expected one of \(EventType.names.joined(separator: ", "))")
            }
            type = t
        }
        let since = try q.time("since"), until = try q.time("until")
        if let since, let until, until < since { throw Problem.bad("until", "until \(until) is before since \(since)") }
        if let vm = q["vm"], vm.allSatisfy(\.isWhitespace) { throw Problem.bad("vm", "parameter vm is empty") }
        return ExportFilter(vm: q["vm"], kb: try q.kb("kb"), type: type, since: since, until: until)
    }

    /// `GET /v1/export?format=csv|jsonl&vm=&kb=&type=&since=&until=`: export's output.
    static func export(_ q: Query, _ view: LogView, tracker: StreamTracker) throws -> Response {
        let formatText = q["format"] ?? "jsonl"
        guard let format = ExportFormat(rawValue: formatText) else { throw Problem.bad("format", "format: expected csv or jsonl, got \"\(formatText)\"") }
        let filter = try filter(q)
        let snapshot = view.snapshot
        var headers = HTTPFields()
        headers[.contentType] = format == .csv ? "text/csv; charset=utf-8" : "application/jsonl"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            tracker.begin()
            defer { tracker.end() }
            if format == .csv {
                var header = CSVWriter()
                header.row(Exporter.csvHeader)
                try await writer.write(ByteBuffer(bytes: header.bytes))
            }
            var position: UInt64 = 0
            while position < snapshot.count {
                let chunk = try chunk(snapshot, format: format, filter: filter, after: position, withHeader: false)
                position = min(position + step, snapshot.count)
                if !chunk.isEmpty { try await writer.write(ByteBuffer(bytes: chunk)) }
            }
            try await writer.finish(nil)
        })
    }

    /// `GET /v1/events?after=SEQ&follow=true&vm=&kb=&type=&since=&until=`.
    static func events(_ request: Request, _ q: Query, _ view: LogView, tracker: StreamTracker) throws -> Response {
        var filter = try filter(q)
        let follow = try q.flag("follow")
        let sse = request.headers[.accept]?.contains("text/event-stream") ?? false
        var after = try q.sequence("after") ?? 0
        if sse, let last = request.headers.first(where: { $0.name.canonicalName == "last-event-id" })?.value {
            guard let n = UInt64(last) else { throw Problem(.badRequest, "Last-Event-ID: \"\(last)\" is not a sequence number", parameter: "Last-Event-ID") }
            after = max(after, n)
        }
        filter.after = after
        let start = after, filters = filter
        var headers = HTTPFields()
        headers[.contentType] = sse ? "text/event-stream" : "application/jsonl"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            tracker.begin()
            defer { tracker.end() }
            var position = start
            var lastWrite = monotonicMilliseconds()
            while true {
                let snapshot = view.snapshot
                while position < snapshot.count {
                    var f = filters
                    f.after = position
                    f.through = min(position + step, snapshot.count)
                    let bytes = try snapshot.run { r in try sse ? eventStream(r.log, f) : jsonLines(r.log, f) }
                    position = f.through!
                    if !bytes.isEmpty {
                        try await writer.write(ByteBuffer(bytes: bytes))
                        lastWrite = monotonicMilliseconds()
                    }
                }
                guard follow else { break }
                await view.waitForCommit(after: position)
                if Task.isCancelled { break }
                if monotonicMilliseconds() - lastWrite >= heartbeatMilliseconds {
                    try await writer.write(ByteBuffer(string: sse ? ":\n\n" : "\n"))
                    lastWrite = monotonicMilliseconds()
                }
            }
            try await writer.finish(nil)
        })
    }

    /// One step of an export.
    private static func chunk(_ snapshot: Snapshot, format: ExportFormat, filter: ExportFilter, after: UInt64, withHeader: Bool) throws -> [UInt8] {
        var f = filter
        f.after = after
        f.through = min(after + step, snapshot.count)
        return try snapshot.run { r in
            var out: [UInt8] = []
            try Exporter(log: r.log).exportBytes(format: format, filter: f) { out.append(contentsOf: $0) }
            if format == .csv {
                // Each step's export begins with the header row; the stream has it once.
                var header = CSVWriter()
                header.row(Exporter.csvHeader)
                out.removeFirst(min(header.bytes.count, out.count))
            }
            return out
        }
    }

    /// The events `filter` passes as JSON Lines (export's lines).
    static func jsonLines(_ log: HotpatchLog, _ filter: ExportFilter) throws -> [UInt8] {
        var out: [UInt8] = []
        try Exporter(log: log).exportBytes(format: .jsonl, filter: filter) { out.append(contentsOf: $0) }
        return out
    }

    /// The events `filter` passes as Server-Sent Events: `id:` the sequence number,
    /// `data:` the event's JSON line.
    static func eventStream(_ log: HotpatchLog, _ filter: ExportFilter) throws -> [UInt8] {
        var out: [UInt8] = []
        try Exporter(log: log).forEachEvent(filter: filter) { seq, event in
            out.append(contentsOf: "id: \(seq)\nevent: \(event.type.name)\ndata: \(EventJSONEncoder.encode(event))\n\n".utf8)
        }
        return out
    }
}

/// Counts the streams being sent (`GET /v1/health` shows it): a client that
/// disconnects must not leave one behind.
final class StreamTracker: @unchecked Sendable {
    private let lock = Condition()
    private var open = 0
    func begin() { lock.withLock { open += 1 } }
    func end() { lock.withLock { open -= 1 } }
    var count: Int { lock.withLock { open } }
}
