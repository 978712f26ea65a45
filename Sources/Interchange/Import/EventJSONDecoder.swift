import Events

/// Reads one JSON Lines line into an ``Event``, checking it against events.md:
/// every required field present and of the right type, enums from their lists,
/// times in RFC 3339, KBs as `KB` + digits or digits alone. Errors name the field
/// and say what was expected.
///
/// Members events.md does not list for the event's type are kept as the event's
/// ``Event/extra`` (top level only; unlisted members inside patch entries are
/// ignored). Reuses its parser between lines; not thread-safe.
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
        var reader = ObjectReader(tape: tape, object: 0, path: "")
        return try reader.event()
    }
}

/// Reads the members of one JSON object on a tape, tracking the path for errors.
struct ObjectReader {
    let tape: JSONTape
    let object: Int
    let path: String
    var members: [(name: String?, key: Int, value: Int)] = []
    var used: Set<Int> = []

    init(tape: JSONTape, object: Int, path: String) {
        self.tape = tape
        self.object = object
        self.path = path
        var i = object + 1
        for _ in 0..<tape.tokens[object].count {
            let key = i
            let value = i + 1
            members.append((nil, key, value))
            i = tape.tokens[value].next
        }
    }

    func fieldPath(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    func error(_ name: String, _ message: String) -> EventInputError {
        EventInputError(field: fieldPath(name), message: message)
    }

    /// The value token of member `name`, if present (and not null).
    mutating func find(_ name: StaticString) throws(EventInputError) -> Int? {
        var found: Int?
        for (k, m) in members.enumerated() where tape.stringEquals(m.key, name) {
            guard found == nil else { throw error("\(name)", "appears more than once") }
            found = m.value
            used.insert(k)
        }
        if let f = found, tape.tokens[f].kind == .null { return nil }
        return found
    }

    mutating func require(_ name: StaticString, _ why: String) throws(EventInputError) -> Int {
        guard let v = try find(name) else { throw error("\(name)", "missing (\(why))") }
        return v
    }

    func describe(_ token: Int) -> String {
        let t = tape.tokens[token]
        switch t.kind {
        case .string:
            let s = tape.string(token) ?? "?"
            return "\"" + (s.count > 60 ? String(s.prefix(60)) + "…" : s) + "\""
        case .object: return "an object"
        case .array: return "an array"
        case .number: return String(decoding: tape.rawBytes(token), as: UTF8.self)
        case .true: return "true"
        case .false: return "false"
        case .null: return "null"
        }
    }

    func string(_ token: Int, _ name: String, maxLength: Int = 4096) throws(EventInputError) -> String {
        guard tape.tokens[token].kind == .string else { throw error(name, "expected a string, got \(describe(token))") }
        guard let s = tape.string(token) else { throw error(name, "is not valid UTF-8 text") }
        guard !s.isEmpty else { throw error(name, "expected a non-empty string") }
        guard s.count <= maxLength else { throw error(name, "expected at most \(maxLength) characters, got \(s.count)") }
        return s
    }

    mutating func requiredString(_ name: StaticString, _ why: String, maxLength: Int = 4096) throws(EventInputError) -> String {
        try string(try require(name, why), "\(name)", maxLength: maxLength)
    }

    mutating func optionalString(_ name: StaticString) throws(EventInputError) -> String? {
        guard let t = try find(name) else { return nil }
        return try string(t, "\(name)")
    }

    func bool(_ token: Int, _ name: String) throws(EventInputError) -> Bool {
        switch tape.tokens[token].kind {
        case .true: return true
        case .false: return false
        default: throw error(name, "expected true or false, got \(describe(token))")
        }
    }

    mutating func requiredBool(_ name: StaticString, _ why: String) throws(EventInputError) -> Bool {
        try bool(try require(name, why), "\(name)")
    }

    mutating func optionalBool(_ name: StaticString) throws(EventInputError) -> Bool? {
        guard let t = try find(name) else { return nil }
        return try bool(t, "\(name)")
    }

    func vocabulary<V: Vocabulary>(_ token: Int, _ name: String, _: V.Type) throws(EventInputError) -> V {
        if tape.tokens[token].kind == .string, let v = V(name: tape.rawBytes(token)), !tape.tokens[token].escaped { return v }
        throw error(name, "expected one of \(V.names.joined(separator: ", ")), got \(describe(token))")
    }

    mutating func requiredVocabulary<V: Vocabulary>(_ name: StaticString, _ why: String, _ type: V.Type) throws(EventInputError) -> V {
        try vocabulary(try require(name, why), "\(name)", type)
    }

    mutating func optionalVocabulary<V: Vocabulary>(_ name: StaticString, _ type: V.Type) throws(EventInputError) -> V? {
        guard let t = try find(name) else { return nil }
        return try vocabulary(t, "\(name)", type)
    }

    func kb(_ token: Int, _ name: String) throws(EventInputError) -> KB {
        if tape.tokens[token].kind == .string, !tape.tokens[token].escaped, let kb = KB(utf8: tape.rawBytes(token)) { return kb }
        throw error(name, "expected \"KB\" followed by digits, or digits alone, got \(describe(token))")
    }

    mutating func requiredKB(_ name: StaticString, _ why: String) throws(EventInputError) -> KB {
        try kb(try require(name, why), "\(name)")
    }

    func array(_ token: Int, _ name: String) throws(EventInputError) -> [Int] {
        guard tape.tokens[token].kind == .array else { throw error(name, "expected an array, got \(describe(token))") }
        var out: [Int] = []
        out.reserveCapacity(tape.tokens[token].count)
        var i = token + 1
        for _ in 0..<tape.tokens[token].count {
            out.append(i)
            i = tape.tokens[i].next
        }
        return out
    }

    func strings(_ token: Int, _ name: String) throws(EventInputError) -> [String] {
        var out: [String] = []
        for (n, e) in try array(token, name).enumerated() { out.append(try string(e, "\(name)[\(n)]")) }
        return out
    }

    func kbs(_ token: Int, _ name: String) throws(EventInputError) -> [KB] {
        var out: [KB] = []
        for (n, e) in try array(token, name).enumerated() { out.append(try kb(e, "\(name)[\(n)]")) }
        return out
    }

    func nested(_ token: Int, _ name: String) throws(EventInputError) -> ObjectReader {
        guard tape.tokens[token].kind == .object else { throw error(name, "expected an object, got \(describe(token))") }
        return ObjectReader(tape: tape, object: token, path: fieldPath(name))
    }

    /// The members not used so far, as the text of a JSON object; nil if none.
    func unusedMembers() -> String? {
        var parts: [String] = []
        for (k, m) in members.enumerated() where !used.contains(k) {
            let key = tape.tokens[m.key]
            let value = tape.tokens[m.value]
            let keyText = String(decoding: tape.line[(key.start - 1)..<(key.end + 1)], as: UTF8.self)
            let valueRange = value.kind == .string ? (value.start - 1)..<(value.end + 1) : value.start..<value.end
            parts.append(keyText + ":" + String(decoding: tape.line[valueRange], as: UTF8.self))
        }
        return parts.isEmpty ? nil : "{" + parts.joined(separator: ",") + "}"
    }
}
