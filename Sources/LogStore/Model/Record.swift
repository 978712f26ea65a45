/// A record to append: the store assigns its sequence number.
///
/// The store knows nothing of what the payload means: a stream key is any string
/// (patchlog uses one per VM, and one for the catalog), the time is the event's
/// valid time, and the id makes appends idempotent.
public struct NewRecord: Sendable, Equatable {
    /// Valid time: nanoseconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    /// The stream the record belongs to; compared byte for byte.
    public var stream: String
    /// The event's unique id, 1...1024 UTF-8 bytes.
    public var id: String
    /// The encoded event.
    public var payload: [UInt8]
    /// Numbers the record can be found by besides its stream (``LogStore/read(key:)``),
    /// sorted, each once; what they mean is the caller's business. At most 255.
    public private(set) var keys: [UInt32]
    /// A part of the payload that is random (a GUID, a digest), if any: a hint, not
    /// content. ``FileLog`` keeps these bytes of a block's records in a column of
    /// their own, where they do not break up what the rest of the payloads have in
    /// common; the payload reads back whole either way, and the hint takes no part in
    /// comparing records. It must lie within the payload.
    public var randomBytes: Range<Int>?

    /// A record with these fields.
    public init(time: Int64, stream: String, id: String, payload: [UInt8], keys: [UInt32] = [], randomBytes: Range<Int>? = nil) {
        self.time = time
        self.stream = stream
        self.id = id
        self.payload = payload
        self.keys = keys.count > 1 ? Array(Set(keys)).sorted() : keys
        self.randomBytes = randomBytes
    }

    /// Whether two records have the same content (``randomBytes`` is not content).
    public static func == (a: NewRecord, b: NewRecord) -> Bool {
        a.time == b.time && a.stream == b.stream && a.id == b.id && a.payload == b.payload && a.keys == b.keys
    }
}

/// A record as read back from the log, with the sequence number it was given.
public struct StoredRecord: Sendable, Equatable {
    /// Its position in the log's global append order, from 1.
    public var sequence: UInt64
    /// Valid time: nanoseconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    /// Its stream key.
    public var stream: String
    /// Its event id.
    public var id: String
    /// The payload bytes exactly as appended.
    public var payload: [UInt8]
    /// Its keys (see ``NewRecord/keys``).
    public var keys: [UInt32]

    /// A record with these fields.
    public init(sequence: UInt64, time: Int64, stream: String, id: String, payload: [UInt8], keys: [UInt32] = []) {
        self.sequence = sequence
        self.time = time
        self.stream = stream
        self.id = id
        self.payload = payload
        self.keys = keys
    }

    /// The same record without its sequence number.
    public var unsequenced: NewRecord { NewRecord(time: time, stream: stream, id: id, payload: payload, keys: keys) }
}

/// A small number that stands for a stream key within one log, for hot loops that
/// should not compare strings. Numbers are given in order of first appearance.
public struct StreamID: Hashable, Sendable, Comparable {
    /// The number, from 0.
    public let rawValue: UInt32
    /// Wraps a number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Orders by number, i.e. by first appearance.
    public static func < (a: StreamID, b: StreamID) -> Bool { a.rawValue < b.rawValue }
}

/// A record seen during a scan, without copying it: its id and payload are slices of
/// the decoded block, valid for as long as the caller keeps them.
///
/// Scanning hands out views so that a full replay allocates per block, not per record.
public struct RecordView {
    /// Its position in the log's global append order, from 1.
    public let sequence: UInt64
    /// Valid time: nanoseconds since 1970-01-01T00:00:00Z.
    public let time: Int64
    /// Its stream, as a number (see ``LogStore/streamKey(_:)``).
    public let stream: StreamID
    /// The id's UTF-8 bytes.
    public let idBytes: ArraySlice<UInt8>
    /// The payload bytes.
    public let payload: ArraySlice<UInt8>

    /// A view of these parts.
    public init(sequence: UInt64, time: Int64, stream: StreamID, idBytes: ArraySlice<UInt8>, payload: ArraySlice<UInt8>) {
        self.sequence = sequence
        self.time = time
        self.stream = stream
        self.idBytes = idBytes
        self.payload = payload
    }

    /// The id as a string (allocates).
    public var id: String { String(decoding: idBytes, as: UTF8.self) }
}

/// What one append did with each record of its batch.
public enum AppendOutcome: Sendable, Equatable {
    /// Appended with this sequence number.
    case appended(UInt64)
    /// Its id was already in the log (or earlier in the batch) with identical content:
    /// nothing was appended; this is the sequence number it already has.
    case duplicate(UInt64)

    /// The sequence number the record has in the log either way.
    public var sequence: UInt64 {
        switch self {
        case let .appended(s), let .duplicate(s): return s
        }
    }
}
