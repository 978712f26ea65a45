import Events
import LogStore
import TextFormats

/// The original payloads an Azure import read, kept byte for byte (chain of custody).
///
/// They live in a log store of their own, `sources/` inside the log directory (the
/// same format: CRC-32C on every block, LZ4-compressed), not in the event log: the
/// event log's sequence numbers number events only (docs/events.md), and replay and
/// export of the events see nothing new. A payload is named `sha256:` + the
/// SHA-256 of its bytes (anyone can check it with `sha256sum`); every event it
/// produced carries that name as its `source` member, which the event log's
/// checkpoints cover, so ``verify(events:payloads:)`` checking each payload against
/// its name makes the payloads as tamper-evident as the events. The same bytes are stored
/// once. A payload larger than a record may hold is split into parts with ids
/// `NAME`, `NAME#1`, `NAME#2`…, in order.
public final class RawPayloadStore {
    /// The store underneath.
    public let store: any LogStore
    /// The stream every payload record is in.
    public static let stream = "source"
    /// The directory inside a log directory that holds the payloads.
    public static let directoryName = "sources"
    /// The largest part stored in one record (8 MiB; a record may hold up to 32).
    let partBytes: Int

    /// Wraps a store (an in-memory one in tests).
    public convenience init(store: any LogStore) { self.init(store: store, partBytes: 8 << 20) }

    init(store: any LogStore, partBytes: Int) {
        self.store = store
        self.partBytes = partBytes
    }

    /// The directory of the payload store of the log in `logDirectory`
    /// (`logDirectory/sources`), whether or not it exists.
    public static func path(logDirectory: String) -> String { logDirectory + "/" + directoryName }

    /// The payload store of the log in `logDirectory`, created when `create` is set
    /// and it does not exist yet; nil when it does not exist and `create` is not set.
    public static func open(logDirectory: String, access: FileLog.Access, create: Bool) throws -> RawPayloadStore? {
        let directory = path(logDirectory: logDirectory)
        if FileLog.exists(at: directory) { return RawPayloadStore(store: try FileLog.open(at: directory, access: access)) }
        guard create else { return nil }
        return RawPayloadStore(store: try FileLog.create(at: directory))
    }

    /// The name `bytes` are kept under.
    public static func name(of bytes: [UInt8]) -> String { "sha256:" + Digest.sha256Hex(bytes) }

    /// Keeps `bytes` (a no-op when they are already kept); returns their name.
    @discardableResult
    public func keep(_ bytes: [UInt8]) throws -> String {
        let name = Self.name(of: bytes)
        var records: [NewRecord] = []
        var start = 0
        repeat {
            let end = min(bytes.count, start + partBytes)
            let id = records.isEmpty ? name : name + "#\(records.count)"
            records.append(NewRecord(time: 0, stream: Self.stream, id: id, payload: Array(bytes[start..<end])))
            start = end
        } while start < bytes.count
        _ = try store.append(records)
        return name
    }

    /// The bytes kept under `name`, or nil if there are none.
    public func payload(_ name: String) throws -> [UInt8]? {
        var parts: [Int: [UInt8]] = [:]
        for r in try store.read(stream: Self.stream) {
            if r.id == name { parts[0] = r.payload } else if r.id.hasPrefix(name + "#"), let n = Int(r.id.dropFirst(name.count + 1)) {
                parts[n] = r.payload
            }
        }
        guard parts[0] != nil else { return nil }
        var out: [UInt8] = []
        var n = 0
        while let part = parts[n] {
            out += part
            n += 1
        }
        return out
    }

    /// The name of the payload an event came from: its `source` member, if it has one.
    public static func sourceName(of event: Event) -> String? {
        guard let extra = event.extra else { return nil }
        let tape = JSONTape()
        let bytes = Array(extra.utf8)
        guard (try? tape.parse(bytes, range: 0..<bytes.count)) != nil else { return nil }
        return JSONNode(tape: tape, index: 0, path: "")["source"]?.string
    }
}
