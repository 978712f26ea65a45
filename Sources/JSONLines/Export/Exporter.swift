import Dispatch
import EventLog
import Events
import LogStore
import TextFormats

/// Which events an export includes.
public struct ExportFilter: Sendable {
    /// Only this VM's events (any case).
    public var vm: String?
    /// Only events that name this KB (installs, assessments, releases, rollbacks).
    public var kb: KB?
    /// Only events of this type.
    public var type: EventType?
    /// Only events at or after this time.
    public var since: Timestamp?
    /// Only events at or before this time.
    public var until: Timestamp?
    /// Only events appended after this sequence number (`follow`, `GET /v1/events`).
    public var after: UInt64?
    /// Only events appended up to this sequence number (a stream sent in steps).
    public var through: UInt64?

    /// Everything, narrowed by what is given.
    public init(vm: String? = nil, kb: KB? = nil, type: EventType? = nil, since: Timestamp? = nil, until: Timestamp? = nil, after: UInt64? = nil) {
        self.vm = vm
        self.kb = kb
        self.type = type
        self.since = since
        self.until = until
        self.after = after
    }
}

/// Export formats.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// The interchange format: importing it answers every query the same.
    case jsonl
    /// A timeline: one row per (event, patch).
    case csv
}

/// Streams a log's events out, in append order, as JSON Lines or a CSV timeline.
/// Memory stays flat however large the log: records are decoded one block at a time
/// and output is written in chunks.
public struct Exporter {
    /// The log.
    public let log: HotpatchLog

    /// Records formatted per task, two tasks at a time.
    var chunkSize: UInt64 = 16_384
    /// Records after ``ExportFilter/after`` beyond which one VM's events are read
    /// through its stream rather than by a scan from there (`follow` asks again after
    /// each commit, for the few records it added).
    var vmScanLimit: UInt64 = 1 << 16
    /// Bytes of output gathered before they are handed on, where the records are read
    /// through the index (a KB's key, a VM's stream).
    var flushBytes = 1 << 20

    /// An exporter of `log`.
    public init(log: HotpatchLog) { self.log = log }

    /// The CSV timeline's header row.
    public static let csvHeader = [
        "sequence", "time", "type", "vm", "event_id", "kb", "patch_kind", "patch_state", "classifications",
        "reboot_behavior", "status", "reboot_status", "trigger", "activity_id", "detail",
    ]

    /// Writes the events that pass `filter` to `output` (called with chunks of text);
    /// returns how many events were written.
    @discardableResult
    public func export(format: ExportFormat, filter: ExportFilter, to output: (String) throws -> Void) throws -> Int {
        try exportBytes(format: format, filter: filter) { try output(String(decoding: $0, as: UTF8.self)) }
    }

    /// Like ``export(format:filter:to:)``, but hands `output` the chunks' UTF-8 bytes
    /// (what a file or socket takes, without making a string of each chunk first).
    @discardableResult
    public func exportBytes(format: ExportFormat, filter: ExportFilter, to output: ([UInt8]) throws -> Void) throws -> Int {
        let store = log.store
        guard let rules = rules(format, filter) else { return 0 } // no such VM: nothing to export
        var header = CSVWriter()
        if format == .csv {
            header.row(Self.csvHeader)
            try output(header.bytes)
        }
        if let kb = filter.kb, let type = filter.type, type == .install || type == .rollback, let key = HotpatchLog.key(for: kb) {
            // The installs and rollbacks that name a KB are found by their record key:
            // only the blocks holding them are read.
            return try emit(try store.read(key: key), rules: rules, to: output)
        }
        if let records = try rules.vmRecords(store) {
            return try emit(records, rules: rules, to: output)
        }
        // Everything else is one pass in sequence order, in chunks of records formatted
        // two at a time (one per core) and written in order: the output is the same as
        // a single pass, and memory stays two chunks whatever the log's size.
        // Each worker keeps its buffer and its streams' VMs from one chunk to the next.
        let total = min(store.count, filter.through ?? .max)
        let chunk = chunkSize
        var count = 0
        var next: UInt64 = (filter.after ?? 0) &+ 1
        let workers = [Worker(format), Worker(format)]
        while next <= total && next > 0 {
            let ranges = (0..<UInt64(2)).map { i in min(next + i * chunk, total + 1)..<min(next + (i + 1) * chunk, total + 1) }.filter { !$0.isEmpty }
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                let worker = workers[i]
                worker.part.clear()
                worker.failure = nil
                do { try rules.format(store, ranges[i], into: &worker.part, vms: &worker.vms) } catch { worker.failure = error }
            }
            for worker in workers.prefix(ranges.count) {
                if let failure = worker.failure { throw failure }
                count += worker.part.count
                try output(worker.part.bytes)
            }
            next = ranges.last!.upperBound
        }
        return count
    }

    /// The rules of an export; nil when `filter` names a VM the log has no events of.
    func rules(_ format: ExportFormat, _ filter: ExportFilter) -> Rules? {
        guard let vm = filter.vm else { return Rules(format: format, filter: filter, vmStream: nil, vmKey: nil, vmScanLimit: vmScanLimit) }
        let key = log.streamKey(forVM: vm)
        guard let stream = log.store.streamID(key) else { return nil }
        return Rules(format: format, filter: filter, vmStream: stream, vmKey: key, vmScanLimit: vmScanLimit)
    }

    /// Writes those of `records` (in sequence order) that pass the filters, a chunk at
    /// a time; returns how many events were written.
    private func emit(_ records: [StoredRecord], rules: Rules, to output: ([UInt8]) throws -> Void) throws -> Int {
        var part = Part(format: rules.format)
        var written = 0
        for record in records where rules.passes(record) {
            try rules.emit(try HotpatchLog.event(from: record), sequence: record.sequence, into: &part)
            if part.bytes.count >= flushBytes {
                try output(part.bytes)
                written += part.count
                part.clear()
            }
        }
        try output(part.bytes)
        return written + part.count
    }

    /// What an export writes, and how: the filters and the format.
    struct Rules: Sendable {
        let format: ExportFormat
        let filter: ExportFilter
        let vmStream: StreamID?
        /// The stream key of ``vmStream``.
        let vmKey: String?

        /// See ``Exporter/vmScanLimit``.
        let vmScanLimit: UInt64

        /// The records of the VM asked for, read through its stream (only the blocks
        /// holding them: at 100,000 VMs a few hundred blocks instead of every one), in
        /// sequence order; nil when no VM is asked for or a scan reads less.
        func vmRecords(_ store: any LogStore) throws -> [StoredRecord]? {
            let end = min(store.count, filter.through ?? .max), after = filter.after ?? 0
            guard let vmKey, end > after, end - after > vmScanLimit else { return nil }
            return try store.read(stream: vmKey, timeAtMost: filter.until?.nanoseconds ?? .max)
        }

        /// Whether a record read through the index passes (its sequence number too). A
        /// record's stream is told by its key: numbering every key of a large log to
        /// compare numbers cost more than the export.
        func passes(_ record: StoredRecord) -> Bool {
            record.sequence > filter.after ?? 0 && record.sequence <= filter.through ?? .max
                && passes(stream: record.stream == vmKey ? vmStream : nil, time: record.time, payload: record.payload[...])
        }

        func passes(stream: StreamID?, time: Int64, payload: ArraySlice<UInt8>) -> Bool {
            if let vmStream, stream != vmStream { return false }
            if let since = filter.since, time < since.nanoseconds { return false }
            if let until = filter.until, time > until.nanoseconds { return false }
            if let type = filter.type, (try? EventCodec.header(payload).type) != type { return false }
            return true
        }

        /// Writes one event that passed the filters on the stream and times.
        fileprivate func emit(_ event: Event, sequence: UInt64, into part: inout Part) throws {
            if let kb = filter.kb, !Exporter.names(event, kb) { return }
            part.count += 1
            switch format {
            case .jsonl:
                EventJSONEncoder.write(event, into: &part.json)
                part.json.newline()
            case .csv:
                Exporter.writeTimeline(event, sequence: sequence, only: filter.kb, lead: &part.lead, into: &part.csv)
            }
        }

        /// Appends the records of `range` that pass, formatted, to `part`.
        fileprivate func format(_ store: any LogStore, _ range: Range<UInt64>, into part: inout Part, vms: inout StreamVMs) throws {
            var failure: (any Error)?
            try store.scan(from: range.lowerBound) { view in
                guard view.sequence < range.upperBound else { return false }
                guard passes(stream: view.stream, time: view.time, payload: view.payload) else { return true }
                do {
                    try emit(try HotpatchLog.event(from: view, vm: vms.vm(of: view.stream, in: store)), sequence: view.sequence, into: &part)
                } catch {
                    failure = error
                    return false
                }
                return true
            }
            if let failure { throw failure }
        }
    }

    /// Formatted output of some records.
    fileprivate struct Part {
        let format: ExportFormat
        var csv = CSVWriter()
        var json = JSONText()
        /// Scratch: the cells every row of one event begins with.
        var lead = CSVWriter()
        var count = 0

        init(format: ExportFormat) { self.format = format }

        /// The output so far.
        var bytes: [UInt8] { format == .csv ? csv.bytes : json.bytes }

        /// Empties it, keeping its buffers.
        mutating func clear() {
            csv.clear()
            json.clear()
            count = 0
        }
    }

    /// One of the concurrent tasks of an export: its output buffer and its streams'
    /// VMs, kept from one chunk to the next. Each is written by its task only, and read
    /// after `concurrentPerform` has returned (which orders the write before the
    /// read), so sharing it across threads is safe.
    private final class Worker: @unchecked Sendable {
        var part: Part
        var vms = StreamVMs()
        var failure: (any Error)?

        init(_ format: ExportFormat) { part = Part(format: format) }
    }

    /// Whether an event names `kb`.
    static func names(_ event: Event, _ kb: KB) -> Bool {
        switch event.body {
        case let .release(r): return r.kb == kb || r.baseline == kb
        case let .assessment(a): return a.available.contains { $0.kb == kb }
        case let .install(i): return i.patches.contains { $0.kb == kb }
        case let .rollback(r): return r.restoredBaseline == kb || r.uninstalled.contains(kb)
        default: return false
        }
    }

    /// Writes the timeline rows of one event to `csv`: one per patch it names (only
    /// `kb`'s, when given), or one. Cells go straight into the writer's bytes; the
    /// cells all its rows begin with are formatted once, in `lead` (scratch).
    static func writeTimeline(_ event: Event, sequence: UInt64, only kb: KB?, lead: inout CSVWriter, into csv: inout CSVWriter) {
        lead.clear()
        lead.cell(sequence)
        lead.cell(plain: { event.time.write(into: &$0) })
        lead.cell(event.type.name)
        lead.cell(event.vm ?? "")
        lead.cell(event.id)
        let lead = lead
        func row(kb: KB? = nil, kind: PatchKind? = nil, state: String = "", classifications: [String] = [],
                 rebootBehavior: RebootBehavior? = nil, status: String = "", rebootStatus: String = "",
                 trigger: String = "", activity: String = "", detail: String = "") {
            csv.cells(of: lead)
            if let kb { csv.cell(plain: { kb.write(into: &$0) }) } else { csv.cell("") }
            csv.cell(kind?.name ?? "")
            csv.cell(state)
            csv.cell(classifications.count == 1 ? classifications[0] : classifications.joined(separator: ";"))
            csv.cell(rebootBehavior?.name ?? "")
            csv.cell(status)
            csv.cell(rebootStatus)
            csv.cell(trigger)
            csv.cell(activity)
            csv.cell(detail)
            csv.endRow()
        }
        switch event.body {
        case let .featureRegistration(f):
            row(status: f.state.name, detail: "\(f.subscription) \(f.feature)")
        case let .providerRegistration(p):
            row(status: p.state.name, detail: "\(p.subscription) \(p.namespace)")
        case let .release(r):
            var detail = r.title ?? ""
            if let b = r.baseline { detail += (detail.isEmpty ? "" : "; ") + "baseline \(b)" }
            if let planned = r.planned { detail += (detail.isEmpty ? "" : "; ") + (planned ? "planned" : "unplanned") }
            row(kb: r.kb, kind: r.kind, state: "Released", classifications: r.classifications, detail: detail)
        case let .vmRegistered(v):
            row(detail: "\(v.image.publisher)/\(v.image.offer)/\(v.image.sku); \(v.platform.name); \(v.patchMode.name); hotpatch \(v.hotpatch ? "on" : "off")")
        case let .vmHotpatch(enabled):
            row(detail: "hotpatch \(enabled ? "enabled" : "disabled")")
        case let .vmPower(state):
            row(status: state.name)
        case let .assessment(a):
            for p in a.available where kb == nil || p.kb == kb {
                row(kb: p.kb, kind: p.kind, state: "Available", classifications: p.classifications, rebootBehavior: p.rebootBehavior,
                    status: a.status.name, trigger: a.trigger.name, activity: a.activityId, detail: a.rebootPending ? "reboot pending" : "")
            }
            if a.available.isEmpty {
                row(status: a.status.name, trigger: a.trigger.name, activity: a.activityId, detail: a.rebootPending ? "reboot pending" : "nothing available")
            }
        case let .install(i):
            for p in i.patches where kb == nil || p.kb == kb {
                row(kb: p.kb, kind: p.kind, state: p.state.name, classifications: p.classifications, rebootBehavior: p.rebootBehavior,
                    status: i.status.name, rebootStatus: i.rebootStatus.name, trigger: i.trigger.name, activity: i.activityId,
                    detail: i.maintenanceWindowExceeded == true ? "maintenance window exceeded" : "")
            }
            if i.patches.isEmpty {
                row(status: i.status.name, rebootStatus: i.rebootStatus.name, trigger: i.trigger.name, activity: i.activityId)
            }
        case let .reboot(r):
            row(status: r.status.name, detail: "reason \(r.reason.name)")
        case let .rollback(r):
            for u in r.uninstalled where kb == nil || u == kb { row(kb: u, state: "Uninstalled") }
            if kb == nil || r.restoredBaseline == kb { row(kb: r.restoredBaseline, kind: .baseline, state: "Restored") }
        case let .supportedImages(list):
            row(detail: list.images.map { "\($0.publisher)/\($0.offer)/\($0.sku)" }.joined(separator: "; "))
        }
    }
}
