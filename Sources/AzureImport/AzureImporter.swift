import EventLog
import Events
import LogStore
import Replay
import SystemIO
import TextFormats

/// What an Azure import did.
public struct AzureImportReport: Sendable {
    /// The name the original payload is kept under (`sha256:…`), nil when nothing was kept.
    public var source: String?
    /// The items that went in (a JSON path in the payload, `$` for the whole of it)
    /// and the ids of the events each produced.
    public var items: [(label: String, eventIDs: [String])] = []
    /// The items that did not, and why.
    public var rejected: [ItemError] = []
    /// What was left out on purpose (Linux patches, counts without lists, 202s…).
    public var notes: [String] = []
    /// Events appended.
    public var appended = 0
    /// Events already in the log with the same content.
    public var duplicates = 0
    /// Events whose id is already in the log with other content: the same Azure
    /// operation said differently (a real conflict). The event in the log stays; both
    /// values are given.
    public var conflicts: [FactConflict] = []
    /// Events not appended because the log already has their facts: the same fact with
    /// other provenance (`source`, `sourceItem`), a snapshot timed by the clock whose
    /// settings the log already has at that time, or a record with less detail.
    public var alreadyKnown: [String] = []
    /// With ``AzureImporter/dryRun``: the events that would be appended, in order.
    public var wouldAppend: [Event] = []
}

/// A whole payload that could not be imported: what and where. Nothing was appended.
public struct AzureImportError: Error, Sendable, CustomStringConvertible {
    /// The file, as named by the user (`<stdin>` for standard input).
    public var file: String
    /// What went wrong, with the JSON path or the line and column.
    public var message: String

    /// An error about `file`.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}

/// Imports what Azure says about patching (REST payloads, Resource Graph rows) into
/// a log, as docs/events.md events (docs/azure-import.md has the mapping).
///
/// - Every event id derives from Azure's own ids (activity ids, resource ids), so
///   importing the same payload twice, or overlapping exports, appends nothing new.
/// - The payload is kept byte for byte in a ``RawPayloadStore``, and every event
///   it produced names it in its added `source` member (and the item in `sourceItem`).
/// - Items are independent: the items that convert go in, each one that does not is
///   reported (``AzureImportReport/rejected``). A payload of which nothing is
///   recognised is an ``AzureImportError`` and appends nothing.
/// - The payload is kept in a transaction of the payload store that commits first,
///   then the events are appended in a transaction of the event log: a crash or an
///   I/O error while appending the events takes them back and leaves the payload
///   kept, cited by nothing (which `verify` counts, not damage); a crash never leaves
///   an event citing a payload that is not kept.
public struct AzureImporter {
    /// The event log.
    public let log: HotpatchLog
    /// Where payloads are kept.
    public let sources: RawPayloadStore
    /// The time given to facts whose payload has none (when they were observed).
    public var observedAt: Timestamp
    /// The VM (an Azure resource id) for bare result bodies that do not name theirs.
    public var vm: String?
    /// Whether ``observedAt`` was given by the user (`--observed-at`), not the clock.
    public var observedAtGiven = false
    /// Convert and compare with the log, but append and keep nothing
    /// (``AzureImportReport/wouldAppend`` lists what would go in).
    public var dryRun = false

    /// An importer into `log`, keeping payloads in `sources`.
    public init(log: HotpatchLog, sources: RawPayloadStore, observedAt: Timestamp, vm: String? = nil) {
        self.log = log
        self.sources = sources
        self.observedAt = observedAt
        self.vm = vm
    }

    /// Imports the file at `path` (`-`: standard input).
    public func importFile(_ path: String) throws -> AzureImportReport {
        let name = path == "-" ? "<stdin>" : path
        let bytes: [UInt8]
        do { bytes = path == "-" ? try Self.readAll(.standardInput) : try FileSystem.read(path) } catch {
            throw AzureImportError(file: name, message: "cannot be read: \(error)")
        }
        return try importBytes(bytes, name: name)
    }

    /// Imports one payload; `name` names it in errors.
    public func importBytes(_ bytes: [UInt8], name: String) throws -> AzureImportReport {
        var machine: MachineID?
        if let vm {
            guard let m = AzureResourceID(vm)?.machine else {
                throw AzureImportError(file: name, message: "--vm: expected a VM or Arc machine resource id (/subscriptions/…/providers/Microsoft.Compute/virtualMachines/NAME), got \"\(vm)\"")
            }
            machine = m
        }
        guard let (text, encodingNote) = PayloadText.utf8(bytes) else {
            throw AzureImportError(file: name, message: "starts with a UTF-16 byte order mark but is not valid UTF-16 text")
        }
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw AzureImportError(file: name, message: "is empty: there is nothing to import")
        }
        let tape = JSONTape()
        do { try tape.parse(text, range: 0..<text.count) } catch {
            let hint = PayloadText.nonJSONHint(text).map { ": \($0)" } ?? ""
            throw AzureImportError(file: name, message: "not valid JSON: \(Self.place(error.offset, in: text)): \(error.message)\(hint)")
        }
        let source = RawPayloadStore.name(of: bytes)
        var context = ConversionContext(source: source, observedAt: observedAt, vmOverride: machine)
        context.observedAtGiven = observedAtGiven
        var payload = AzurePayload(context: context)
        let outcomes = payload.convert(JSONNode(tape: tape, index: 0, path: ""))

        var report = AzureImportReport()
        if let encodingNote { report.notes.append("the payload was \(encodingNote); it is kept as it was") }
        var events: [Event] = []
        for outcome in outcomes {
            switch outcome {
            case let .converted(label, converted):
                report.items.append((label, converted.events.map(\.id)))
                report.notes += converted.notes
                events += converted.events
            case let .rejected(error):
                report.rejected.append(error)
            }
        }
        if report.items.isEmpty {
            let first = report.rejected.first ?? ItemError(path: "", message: "expected \(AzurePayload.expected)")
            let more = report.rejected.count > 1 ? " (and \(report.rejected.count - 1) more items like it)" : ""
            throw AzureImportError(file: name, message: first.description + more)
        }
        guard !events.isEmpty else { return report }
        do { events = try ObservationFilter(log: log).newFacts(events, &report) } catch {
            throw AzureImportError(file: name, message: "cannot compare its snapshots with what the log says: the log's history does not read (\(error)); nothing was appended")
        }
        if dryRun {
            try plan(events, &report)
            return report
        }
        guard !events.isEmpty else { return report }
        // The payload commits before the events that cite it: a crash in between
        // leaves a kept payload no event cites (not damage), never an event citing a
        // payload that the next writer of sources/ takes back.
        try log.store.transaction {
            report.source = try sources.store.transaction { try sources.keep(bytes) }
            try append(events[...], &report)
        }
        return report
    }

    /// What ``append(_:_:)`` would do, found by reading the log: each event's id looked
    /// up (one scan of the ids), then compared as an append would compare it.
    private func plan(_ events: [Event], _ report: inout AzureImportReport) throws {
        var wanted = Set(events.map(\.id))
        var found: [String: UInt64] = [:]
        try log.store.scan(from: 1, includingIDs: true) { view in
            let id = view.id
            if wanted.remove(id) != nil { found[id] = view.sequence }
            return !wanted.isEmpty
        }
        var batch: [String: Event] = [:]
        for event in events {
            let earlier: Event?
            if let seq = found[event.id], let stored = try log.store.read(seq...seq).first {
                earlier = try HotpatchLog.event(from: stored)
            } else {
                earlier = batch[event.id]
            }
            guard let earlier else {
                batch[event.id] = event
                report.wouldAppend.append(event)
                continue
            }
            record(FactComparison.compare(earlier, event), earlier, event, &report)
        }
    }

    /// Counts an event whose id was already taken by `earlier`.
    private func record(_ verdict: FactComparison.Verdict, _ earlier: Event, _ event: Event, _ report: inout AzureImportReport) {
        switch verdict {
        case .same: report.duplicates += 1
        case .known: report.alreadyKnown.append(event.id)
        case let .conflict(field): report.conflicts.append(FactConflict(id: event.id, field: field, inLog: earlier, imported: event))
        }
    }

    /// Appends `events` in order; one whose id the log (or an earlier event of this
    /// batch) already holds with other content is left out and compared with it
    /// (``FactComparison``): the same facts, or facts the log already has, count as
    /// already in the log; anything else is a conflict, listed with both values in
    /// ``AzureImportReport/conflicts``. A batch that conflicts is split in halves
    /// until the conflicting events stand alone (a failed append appends nothing), so
    /// k conflicts cost about k·log n appends, not k·n.
    private func append(_ events: ArraySlice<Event>, _ report: inout AzureImportReport) throws {
        guard !events.isEmpty else { return }
        do {
            for outcome in try log.append(Array(events)) {
                if case .appended = outcome { report.appended += 1 } else { report.duplicates += 1 }
            }
        } catch let LogError.idConflict(id, existing) {
            if events.count == 1 {
                let event = events[events.startIndex]
                guard let stored = try log.store.read(existing...existing).first, stored.id == id else {
                    throw AzureImportError(file: "", message: "the log reported id \(id) at sequence \(existing), which does not hold it")
                }
                let earlier = try HotpatchLog.event(from: stored)
                record(FactComparison.compare(earlier, event), earlier, event, &report)
                return
            }
            let middle = events.startIndex + events.count / 2
            try append(events[..<middle], &report)
            try append(events[middle...], &report)
        }
    }

    /// `line L, column C` of a byte offset.
    static func place(_ offset: Int, in bytes: [UInt8]) -> String {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return "line \(line), column \(offset - lineStart + 1)"
    }

    /// Every byte of `file` (standard input), read to its end.
    public static func readAll(_ file: SystemFile) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try file.readNext(into: &buffer, count: 1 << 16)
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }
}
