import ByteCoding
import Crypto
import EventLog
import Events
import LogStore
import Replay

/// Something wrong with a kept payload: its bytes no longer hash to its name, its
/// parts do not fit together, or an event cites it and it is not kept.
public struct PayloadProblem: Sendable, Equatable, CustomStringConvertible {
    /// The payload's name (`sha256:…`), or the record id at fault.
    public var name: String
    /// What is wrong.
    public var reason: String
    /// The sequence numbers, in the event log, of the events whose `source` names it
    /// (filled in by ``RawPayloadStore/verify(events:payloads:)``).
    public var citedBy: [UInt64] = []
    /// The id of the first of those events.
    public var firstCitingID: String?

    /// An account of the problem.
    public init(name: String, reason: String, citedBy: [UInt64] = [], firstCitingID: String? = nil) {
        self.name = name
        self.reason = reason
        self.citedBy = citedBy
        self.firstCitingID = firstCitingID
    }

    /// `NAME: reason; cited by the events at sequences 1, 2 (the first: id)`.
    public var description: String {
        var text = "\(name): \(reason)"
        if !citedBy.isEmpty {
            let shown = citedBy.prefix(10).map(String.init).joined(separator: ", ")
            let more = citedBy.count > 10 ? " and \(citedBy.count - 10) more" : ""
            text += "; cited by \(citedBy.count == 1 ? "the event at sequence" : "the events at sequences") \(shown)\(more)"
            if let firstCitingID { text += " (\(citedBy.count == 1 ? "id" : "the first is") \(firstCitingID))" }
        } else {
            text += "; no event cites it"
        }
        return text
    }
}

/// What checking the kept payloads found.
public struct PayloadCheck: Sendable, Equatable {
    /// Payloads whose parts were joined and hashed.
    public var payloads = 0
    /// Records read from the payload store.
    public var records: UInt64 = 0
    /// Events of the event log whose `source` names a payload.
    public var citingEvents = 0
    /// Records of the event log that are not readable events (written with
    /// `patchlog raw`, or by a newer patchlog): they cite nothing, and `show --raw`
    /// cannot print a payload for them either.
    public var unreadableRecords = 0
    /// Kept payloads that no event cites (not damage: a payload whose facts were all
    /// already in the log is kept too).
    public var uncited = 0
    /// Everything wrong, payload by payload; empty when every payload hashes to its
    /// name and every cited payload is kept.
    public var problems: [PayloadProblem] = []

    /// Nothing wrong.
    public var isIntact: Bool { problems.isEmpty }
}

/// `show --raw` was asked for a payload whose bytes no longer hash to its name.
public struct AlteredPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name the bytes are kept under.
    public var name: String
    /// The SHA-256 the bytes have now, as `sha256:…`.
    public var actual: String

    /// `the bytes kept as NAME now hash to ACTUAL: …`.
    public var description: String {
        "the bytes kept as \(name) now hash to \(actual): the payload store was altered (patchlog verify reports it)"
    }
}

extension RawPayloadStore {
    /// Whether `name` has the form of a payload name: `sha256:` and 64 lower-case hex digits.
    public static func isPayloadName(_ name: some StringProtocol) -> Bool {
        let utf8 = Array(name.utf8)
        guard utf8.count == 71, name.hasPrefix("sha256:") else { return false }
        return utf8[7...].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The payload name and part number a record id stands for (`NAME` is part 0,
    /// `NAME#k` part k), or nil if it is not a payload record id.
    static func part(ofRecordID id: String) -> (name: String, part: Int)? {
        guard let hash = id.firstIndex(of: "#") else { return isPayloadName(id) ? (id, 0) : nil }
        let name = String(id[..<hash])
        guard isPayloadName(name), let k = Int(id[id.index(after: hash)...]), k >= 1, String(k) == id[id.index(after: hash)...] else {
            return nil
        }
        return (name, k)
    }

    /// The bytes kept under `name`, joined exactly as ``payload(_:)`` joins them, after
    /// checking that they still hash to the name; nil if there are none.
    /// - Throws: ``AlteredPayloadError`` when they do not.
    public func checkedPayload(_ name: String) throws -> [UInt8]? {
        guard let bytes = try payload(name) else { return nil }
        let actual = Self.name(of: bytes)
        guard actual == name else { throw AlteredPayloadError(name: name, actual: actual) }
        return bytes
    }

    /// Checks every payload in the store: that each record id is a payload name or
    /// one of its parts, that each payload's parts run `NAME`, `NAME#1`… with none
    /// missing or kept twice, and that the joined bytes (what ``payload(_:)`` and
    /// `show --raw` give) hash to the name. Reads the store once, hashing parts as
    /// they come; a payload whose parts are out of order is read again whole.
    public func verifyPayloads() throws -> PayloadCheck { try checkPayloads().check }

    /// ``verifyPayloads()``, and the names of the payloads whose first part is kept.
    private func checkPayloads() throws -> (check: PayloadCheck, kept: Set<String>) {
        struct Tally {
            var hasher = SHA256()
            var next = 0
            var inOrder = true
            var parts: [Int: Int] = [:]
        }
        var tallies: [String: Tally] = [:]
        var order: [String] = []
        var check = PayloadCheck()
        var kept = Set<String>()
        let streamID = store.streamID(Self.stream)
        try store.scan { view in
            check.records += 1
            let id = view.id
            guard view.stream == streamID, let (name, k) = Self.part(ofRecordID: id) else {
                check.problems.append(PayloadProblem(
                    name: id, reason: "record \(view.sequence) of the payload store is not a payload part (stream \(store.streamKey(view.stream) ?? "?"), id \"\(id)\")"))
                return true
            }
            if tallies[name] == nil { order.append(name) }
            tallies[name, default: Tally()].parts[k, default: 0] += 1
            if tallies[name]!.inOrder && k == tallies[name]!.next {
                view.payload.withUnsafeBytes { tallies[name]!.hasher.update(bufferPointer: $0) }
                tallies[name]!.next += 1
            } else {
                tallies[name]!.inOrder = false
            }
            return true
        }
        for name in order {
            let tally = tallies[name]!
            let twice = tally.parts.filter { $0.value > 1 }.keys.sorted()
            if !twice.isEmpty {
                check.problems.append(PayloadProblem(name: name, reason: "part(s) \(twice.map(String.init).joined(separator: ", ")) kept more than once"))
            }
            guard tally.parts[0] != nil else {
                check.problems.append(PayloadProblem(name: name, reason: "parts \(tally.parts.keys.sorted().map(String.init).joined(separator: ", ")) are kept without the first part"))
                continue
            }
            kept.insert(name)
            var joined = 0
            while tally.parts[joined] != nil { joined += 1 }
            let stray = tally.parts.keys.filter { $0 > joined }.sorted()
            if !stray.isEmpty {
                check.problems.append(PayloadProblem(name: name, reason: "part(s) \(stray.map(String.init).joined(separator: ", ")) follow a missing part \(joined)"))
            }
            check.payloads += 1
            let actual: String
            if tally.inOrder && twice.isEmpty {
                actual = "sha256:" + Digest.hex(tally.hasher.finalize())
            } else {
                actual = Self.name(of: try payload(name) ?? [])
            }
            if actual != name {
                check.problems.append(PayloadProblem(name: name, reason: "its bytes (\(joined) part\(joined == 1 ? "" : "s")) now hash to \(actual), not to its name: the payload was altered"))
            }
        }
        return (check, kept)
    }

    /// Checks the kept payloads against the event log: every payload as
    /// ``verifyPayloads()`` does, and that every event whose `source` member is a
    /// payload name (`sha256:…`) cites a payload that is kept. The event log's
    /// checkpoints cover each event's `source`, and a payload's name is the SHA-256
    /// of its bytes, so this is what makes the payloads tamper-evident. Problems name
    /// the events that cite the payload. `payloads` is nil when the log has no store.
    /// Records that are not readable events cite nothing; they are counted.
    public static func verify(events: HotpatchLog, payloads: RawPayloadStore?) throws -> PayloadCheck {
        var citations: [String: (sequences: [UInt64], firstID: String)] = [:]
        var order: [String] = []
        var citing = 0, unreadable = 0
        try events.store.scan { view in
            guard let hasExtra = try? EventCodec.header(view.payload).hasExtra else {
                unreadable += 1
                return true
            }
            guard hasExtra else { return true }
            guard let event = try? HotpatchLog.event(from: view, streamKey: events.store.streamKey(view.stream) ?? "") else {
                unreadable += 1
                return true
            }
            guard let name = sourceName(of: event), isPayloadName(name) else { return true }
            citing += 1
            if citations[name] == nil {
                order.append(name)
                citations[name] = ([], event.id)
            }
            citations[name]!.sequences.append(view.sequence)
            return true
        }
        var (check, kept) = try payloads?.checkPayloads() ?? (PayloadCheck(), [])
        check.citingEvents = citing
        check.unreadableRecords = unreadable
        check.uncited = kept.filter { citations[$0] == nil }.count
        for i in check.problems.indices {
            guard let cited = citations[check.problems[i].name] else { continue }
            check.problems[i].citedBy = cited.sequences
            check.problems[i].firstCitingID = cited.firstID
        }
        for name in order where !kept.contains(name) && !check.problems.contains(where: { $0.name == name }) {
            let cited = citations[name]!
            check.problems.append(PayloadProblem(name: name, reason: "not kept in \(directoryName)/", citedBy: cited.sequences, firstCitingID: cited.firstID))
        }
        return check
    }
}
