import TextFormats


/// A value inside a parsed Azure payload, with the JSON path that leads to it
/// (`responses.200.body.availablePatches[1].kbId`) for error messages.
///
/// A thin view over a ``JSONTape`` (the project's strict parser): it copies nothing
/// until a string is asked for. Member names match **case-insensitively**, as Azure
/// treats them (Resource Graph documents `kbId` and `Kbid` for the same property).
struct JSONNode {
    let tape: JSONTape
    let index: Int
    let path: String

    var kind: JSONTape.Kind { tape.tokens[index].kind }
    var isNull: Bool { kind == .null }
    var isObject: Bool { kind == .object }
    var isArray: Bool { kind == .array }

    /// The exact bytes of this value as they stand in the input (strings with quotes).
    var rawBytes: ArraySlice<UInt8> {
        let t = tape.tokens[index]
        return t.kind == .string ? tape.line[(t.start - 1)..<(t.end + 1)] : tape.line[t.start..<t.end]
    }

    /// The member `name` (any case) of an object, nil when absent, null, or this is not an object.
    subscript(_ name: String) -> JSONNode? {
        guard kind == .object else { return nil }
        var i = index + 1
        for _ in 0..<tape.tokens[index].count {
            if keyMatches(i, name), let key = tape.string(i) {
                let node = JSONNode(tape: tape, index: i + 1, path: path.isEmpty ? key : path + "." + key)
                return node.isNull ? nil : node
            }
            i = tape.tokens[i + 1].next
        }
        return nil
    }

    /// Whether member name token `i` is `name` in any case, compared byte by byte
    /// (ASCII case folding) without decoding, unless the name has escapes.
    private func keyMatches(_ i: Int, _ name: String) -> Bool {
        let token = tape.tokens[i]
        if token.escaped { return tape.string(i)?.lowercased() == name.lowercased() }
        guard token.end - token.start == name.utf8.count else { return false }
        var at = token.start
        for b in name.utf8 {
            guard Self.lowerASCII(tape.line[at]) == Self.lowerASCII(b) else { return false }
            at += 1
        }
        return true
    }

    private static func lowerASCII(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    /// Follows members one after the other: `node[path: "properties", "osProfile"]`.
    subscript(path names: String...) -> JSONNode? {
        var node: JSONNode? = self
        for name in names { node = node?[name] }
        return node
    }

    /// The member names of an object, in order.
    var memberNames: [String] {
        guard kind == .object else { return [] }
        var names: [String] = []
        var i = index + 1
        for _ in 0..<tape.tokens[index].count {
            names.append(tape.string(i) ?? "?")
            i = tape.tokens[i + 1].next
        }
        return names
    }

    /// The elements of an array (empty when this is not an array).
    var elements: [JSONNode] {
        guard kind == .array else { return [] }
        var out: [JSONNode] = []
        var i = index + 1
        for n in 0..<tape.tokens[index].count {
            out.append(JSONNode(tape: tape, index: i, path: path + "[\(n)]"))
            i = tape.tokens[i].next
        }
        return out
    }

    /// The text of a string value, nil for anything else.
    var string: String? { kind == .string ? tape.string(index) : nil }

    /// A boolean value, nil for anything else.
    var bool: Bool? {
        switch kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// An integer value, nil for anything else.
    var int: Int? { kind == .number ? Int(String(decoding: tape.rawBytes(index), as: UTF8.self)) : nil }

    /// A short description of the value, for "got …" in messages.
    var described: String { tape.describe(index) }

    /// An error about this value.
    func error(_ message: String) -> ItemError { ItemError(path: path, message: message) }

    /// An error about member `name` of this object.
    func error(member name: String, _ message: String) -> ItemError {
        ItemError(path: path.isEmpty ? name : path + "." + name, message: message)
    }

    /// The non-empty string member `name`; an error naming it if missing or not a string.
    func requiredString(_ name: String, _ why: String) throws(ItemError) -> String {
        guard let v = self[name] else { throw error(member: name, "missing (\(why))") }
        guard let s = v.string, !s.isEmpty else { throw v.error("expected a non-empty string, got \(v.described)") }
        return s
    }

    /// The string member `name` if present; an error if present and not a string.
    func optionalString(_ name: String) throws(ItemError) -> String? {
        guard let v = self[name] else { return nil }
        guard let s = v.string else { throw v.error("expected a string, got \(v.described)") }
        return s.isEmpty ? nil : s
    }

    /// The boolean member `name` if present; an error if present and not a boolean.
    func optionalBool(_ name: String) throws(ItemError) -> Bool? {
        guard let v = self[name] else { return nil }
        guard let b = v.bool else { throw v.error("expected true or false, got \(v.described)") }
        return b
    }

    /// The whole-number member `name` if present; an error naming it if present and
    /// anything else (a count given as a string, `"3"`, is refused, not dropped).
    func optionalCount(_ name: String) throws(ItemError) -> Int? {
        guard let v = self[name] else { return nil }
        guard let n = v.int, n >= 0 else { throw v.error("expected a whole number, got \(v.described)") }
        return n
    }

    /// The strings of array member `name` (empty when absent); an error if it is not an array of strings.
    func strings(_ name: String) throws(ItemError) -> [String] {
        guard let v = self[name] else { return [] }
        guard v.isArray else { throw v.error("expected an array of strings, got \(v.described)") }
        var out: [String] = []
        for e in v.elements {
            guard let s = e.string else { throw e.error("expected a string, got \(e.described)") }
            out.append(s)
        }
        return out
    }
}

/// Why one item of a payload could not be converted: where (a JSON path) and what
/// was expected. The importer adds the file name.
public struct ItemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON path of the value at fault (`data[3].properties.kbId`); empty for the whole document.
    public var path: String
    /// What was expected, and what was found.
    public var message: String

    /// An error at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
