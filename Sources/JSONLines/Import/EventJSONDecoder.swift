import Events
import TextFormats

/// Reads one JSON Lines line into an ``Event``, checking it against docs/events.md:
/// every required field present and of the right type, enums from their lists,
/// times in RFC 3339, KBs as `KB` + digits or digits alone. Errors name the field
/// and say what was expected.
///
/// Members docs/events.md does not list for the event's type are kept as the event's
/// ``Event/extra`` (top level only; unlisted members inside patch entries are
/// ignored). Reuses its parser between lines; not thread-safe. Error texts are built
/// only when there is an error: the path of the field being read is carried as
/// static names and indexes, never as strings.
public final class EventJSONDecoder {
    private let tape = JSONTape()

    /// A decoder.
    public init() {}

    /// Decodes the event in `bytes[range]` (one line, without its newline).
    public func decode(_ bytes: [UInt8], range: Range<Int>) throws(EventInputError) -> Event {
        do {
            try tape.parse(bytes, range: range)
        } catch {
            throw EventInputError(field: nil, message: "not valid JSON: \(error)")
        }
        guard tape.tokens[0].kind == .object else { throw EventInputError(field: nil, message: "expected a JSON object") }
        var reader = try ObjectReader(tape: tape, object: 0, path: .root)
        return try reader.event()
    }
}

/// Where an object sits in the event, for error messages.
enum ObjectPath {
    case root
    case member(StaticString)
    case element(StaticString, Int)

    func field(_ name: String) -> String {
        switch self {
        case .root: name
        case let .member(p): "\(p).\(name)"
        case let .element(p, i): "\(p)[\(i)].\(name)"
        }
    }
}

/// Why a field is required, for "missing (…)" messages.
enum Requirement {
    case everyEvent
    case eventType(EventType)
    case image
    case patch

    var text: String {
        switch self {
        case .everyEvent: "every event has one"
        case let .eventType(t): "\(t.name) events have one"
        case .image: "an image has one"
        case .patch: "a patch has one"
        }
    }
}

/// Reads the members of one JSON object on a tape.
struct ObjectReader {
    let tape: JSONTape
    let object: Int
    let path: ObjectPath
    /// Which members were read (bit k = member k), to find the unlisted ones.
    var used: UInt64 = 0
    static let maxMembers = 64

    init(tape: JSONTape, object: Int, path: ObjectPath) throws(EventInputError) {
        self.tape = tape
        self.object = object
        self.path = path
        guard tape.tokens[object].count <= Self.maxMembers else {
            throw EventInputError(field: path.field("").isEmpty ? nil : String(path.field("").dropLast()),
                                  message: "an object has at most \(Self.maxMembers) members, this one has \(tape.tokens[object].count)")
        }
    }

    func error(_ name: StaticString, _ message: String) -> EventInputError {
        EventInputError(field: path.field("\(name)"), message: message)
    }

    func error(_ name: StaticString, index: Int, _ message: String) -> EventInputError {
        EventInputError(field: path.field("\(name)[\(index)]"), message: message)
    }

    /// The value token of member `name`, if present and not null.
    mutating func find(_ name: StaticString) throws(EventInputError) -> Int? {
        var found: Int?
        var i = object + 1
        for k in 0..<tape.tokens[object].count {
            if tape.stringEquals(i, name) {
                guard found == nil else { throw error(name, "appears more than once") }
                found = i + 1
                used |= 1 << UInt64(k)
            }
            i = tape.tokens[i + 1].next
        }
        if let f = found, tape.tokens[f].kind == .null { return nil }
        return found
    }

    mutating func require(_ name: StaticString, _ why: Requirement) throws(EventInputError) -> Int {
        guard let v = try find(name) else { throw error(name, "missing (\(why.text))") }
        return v
    }

    func describe(_ token: Int) -> String { tape.describe(token) }

    // MARK: scalar values; `fail` makes the error for the field being read

    func string(_ token: Int, maxLength: Int = 4096, _ fail: (String) -> EventInputError) throws(EventInputError) -> String {
        guard tape.tokens[token].kind == .string else { throw fail("expected a string, got \(describe(token))") }
        guard let s = tape.string(token) else { throw fail("is not valid UTF-8 text") }
        guard !s.isEmpty else { throw fail("expected a non-empty string") }
        guard s.utf8.count <= maxLength || s.count <= maxLength else { throw fail("expected at most \(maxLength) characters, got \(s.count)") }
        return s
    }

    func bool(_ token: Int, _ fail: (String) -> EventInputError) throws(EventInputError) -> Bool {
        switch tape.tokens[token].kind {
        case .true: return true
        case .false: return false
        default: throw fail("expected true or false, got \(describe(token))")
        }
    }

    func vocabulary<V: Vocabulary>(_ token: Int, _: V.Type, _ fail: (String) -> EventInputError) throws(EventInputError) -> V {
        if tape.tokens[token].kind == .string, !tape.tokens[token].escaped, let v = V(name: tape.rawBytes(token)) { return v }
        throw fail("expected one of \(V.names.joined(separator: ", ")), got \(describe(token))")
    }

    func kb(_ token: Int, _ fail: (String) -> EventInputError) throws(EventInputError) -> KB {
        if tape.tokens[token].kind == .string, !tape.tokens[token].escaped, let kb = KB(utf8: tape.rawBytes(token)) { return kb }
        throw fail("expected \"KB\" followed by digits, or digits alone, got \(describe(token))")
    }

    // MARK: members by name

    mutating func requiredString(_ name: StaticString, _ why: Requirement, maxLength: Int = 4096) throws(EventInputError) -> String {
        let t = try require(name, why)
        return try string(t, maxLength: maxLength) { error(name, $0) }
    }

    mutating func optionalString(_ name: StaticString) throws(EventInputError) -> String? {
        guard let t = try find(name) else { return nil }
        return try string(t) { error(name, $0) }
    }

    mutating func requiredBool(_ name: StaticString, _ why: Requirement) throws(EventInputError) -> Bool {
        let t = try require(name, why)
        return try bool(t) { error(name, $0) }
    }

    mutating func optionalBool(_ name: StaticString) throws(EventInputError) -> Bool? {
        guard let t = try find(name) else { return nil }
        return try bool(t) { error(name, $0) }
    }

    mutating func requiredVocabulary<V: Vocabulary>(_ name: StaticString, _ why: Requirement, _ type: V.Type) throws(EventInputError) -> V {
        let t = try require(name, why)
        return try vocabulary(t, type) { error(name, $0) }
    }

    mutating func optionalVocabulary<V: Vocabulary>(_ name: StaticString, _ type: V.Type) throws(EventInputError) -> V? {
        guard let t = try find(name) else { return nil }
        return try vocabulary(t, type) { error(name, $0) }
    }

    mutating func requiredKB(_ name: StaticString, _ why: Requirement) throws(EventInputError) -> KB {
        let t = try require(name, why)
        return try kb(t) { error(name, $0) }
    }

    mutating func optionalKB(_ name: StaticString) throws(EventInputError) -> KB? {
        guard let t = try find(name) else { return nil }
        return try kb(t) { error(name, $0) }
    }

    /// The element tokens of array member `name`.
    func elements(_ token: Int, _ name: StaticString) throws(EventInputError) -> ArrayElements {
        guard tape.tokens[token].kind == .array else { throw error(name, "expected an array, got \(describe(token))") }
        return ArrayElements(tape: tape, array: token)
    }

    mutating func strings(_ name: StaticString, _ why: Requirement?) throws(EventInputError) -> [String] {
        guard let t = try (why == nil ? find(name) : require(name, why!)) else { return [] }
        var out: [String] = []
        out.reserveCapacity(tape.tokens[t].count)
        for (n, e) in try elements(t, name).enumerated() { out.append(try string(e) { error(name, index: n, $0) }) }
        return out
    }

    mutating func kbs(_ name: StaticString, _ why: Requirement?) throws(EventInputError) -> [KB] {
        guard let t = try (why == nil ? find(name) : require(name, why!)) else { return [] }
        var out: [KB] = []
        out.reserveCapacity(tape.tokens[t].count)
        for (n, e) in try elements(t, name).enumerated() { out.append(try kb(e) { error(name, index: n, $0) }) }
        return out
    }

    func nested(_ token: Int, _ path: ObjectPath, _ name: StaticString) throws(EventInputError) -> ObjectReader {
        guard tape.tokens[token].kind == .object else {
            switch path {
            case let .element(p, i): throw error(p, index: i, "expected an object, got \(describe(token))")
            default: throw error(name, "expected an object, got \(describe(token))")
            }
        }
        return try ObjectReader(tape: tape, object: token, path: path)
    }

    /// The members not read, as the text of a JSON object; nil if none. They are kept
    /// as written, so they must be valid UTF-8: a member that is not is refused,
    /// named, never stored with replacement characters (evidence silently changed).
    func unusedMembers() throws(EventInputError) -> String? {
        let count = tape.tokens[object].count
        guard used != (count == 64 ? UInt64.max : (1 << UInt64(count)) - 1) else { return nil }
        var parts: [String] = []
        var i = object + 1
        for k in 0..<count {
            if used & (1 << UInt64(k)) == 0 {
                let key = tape.tokens[i]
                let value = tape.tokens[i + 1]
                let keyBytes = tape.line[(key.start - 1)..<(key.end + 1)]
                let valueRange = value.kind == .string ? (value.start - 1)..<(value.end + 1) : value.start..<value.end
                guard let keyText = String(validating: keyBytes, as: UTF8.self),
                      let valueText = String(validating: tape.line[valueRange], as: UTF8.self) else {
                    let name = String(decoding: tape.line[key.start..<key.end], as: UTF8.self)
                    throw EventInputError(field: path.field(name), message: "is not valid UTF-8 text (kept members are stored as written, so they must be)")
                }
                parts.append(keyText + ":" + valueText)
            }
            i = tape.tokens[i + 1].next
        }
        return parts.isEmpty ? nil : "{" + parts.joined(separator: ",") + "}"
    }
}

/// The element tokens of an array, in order, without allocating.
struct ArrayElements: Sequence, IteratorProtocol {
    let tape: JSONTape
    var cursor: Int
    var remaining: Int

    init(tape: JSONTape, array: Int) {
        self.tape = tape
        cursor = array + 1
        remaining = tape.tokens[array].count
    }

    mutating func next() -> Int? {
        guard remaining > 0 else { return nil }
        let current = cursor
        cursor = tape.tokens[current].next
        remaining -= 1
        return current
    }
}
