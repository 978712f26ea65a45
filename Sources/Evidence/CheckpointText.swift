import ByteCoding

extension Checkpoint {
    /// Parses a checkpoint file's text; `file` names it in errors, with the line.
    public init(text: String, file: String) throws(EvidenceError) {
        var lines = TextLines(text: text, file: file)
        try lines.expect(Self.header)
        logID = try lines.field("log") { hexText($0) }
        logCreated = try lines.optionalField(ifNamed: "log-created") { $0.isEmpty ? nil : String($0) }
        let sequence = try lines.field("sequence") { UInt64($0) }
        treeSize = try lines.field("tree-size") { UInt64($0) }
        guard sequence == treeSize else { throw lines.error("sequence and tree-size differ") }
        root = try lines.field("root") { Hash32(hex: $0) }
        time = try lines.field("time") { $0.isEmpty ? nil : String($0) }
        keyID = try lines.field("key") { hexText($0) }
        signature = try lines.field("signature") { Hex.decode($0).flatMap { $0.count == 64 ? $0 : nil } }
        groupBits = 0
        groups = []
        if let header = try lines.optionalField("groups", { (text: Substring) -> (Int, UInt64)? in
            let p = text.split(separator: " ")
            guard p.count == 2, let k = Int(p[0]), let n = UInt64(p[1]) else { return nil }
            return (k, n)
        }) {
            // The groups must be those this tree size has: anything else is not a
            // checkpoint patchlog wrote (the section is not signed, only checked).
            let bits = Self.groupBits(forSize: treeSize)
            guard header.0 == bits, header.1 == Self.groupCount(size: treeSize, bits: bits) else {
                throw lines.error("groups: expected \(bits) \(Self.groupCount(size: treeSize, bits: bits)) for a tree of \(treeSize) records, got \(header.0) \(header.1)")
            }
            groupBits = header.0
            for _ in 0..<header.1 {
                groups.append(try lines.value("a subtree root (64 hex digits)") { Hash32(hex: $0) })
            }
        }
        try lines.expectEnd()
    }
}

/// Reads a line-oriented `name: value` file, naming the file and line in every
/// error. Lines starting with `#` are comments.
struct TextLines {
    private let lines: [Substring]
    private var next = 0
    let file: String

    init(text: String, file: String) {
        self.file = file
        var all = text.split(separator: "\n", omittingEmptySubsequences: false)
        if all.last == "" { all.removeLast() }
        lines = all
    }

    private mutating func skipComments() {
        while next < lines.count, lines[next].hasPrefix("#") { next += 1 }
    }

    func error(_ reason: String) -> EvidenceError {
        .malformed(file: file, line: min(next, max(lines.count, 1)), reason: reason)
    }

    mutating func expect(_ line: String) throws(EvidenceError) {
        skipComments()
        guard next < lines.count, lines[next] == line else {
            next += 1
            throw error("expected \"\(line)\"")
        }
        next += 1
    }

    /// The value of the next line, which must be `name: value` with a value `parse`
    /// accepts.
    mutating func field<T>(_ name: String, _ parse: (Substring) -> T?) throws(EvidenceError) -> T {
        skipComments()
        next += 1
        guard next <= lines.count else { throw error("expected \"\(name): …\", found the end of the file") }
        let line = lines[next - 1]
        guard line.hasPrefix(name + ": ") else { throw error("expected \"\(name): …\", got \"\(line.prefix(60))\"") }
        guard let v = parse(line.dropFirst(name.count + 2)) else { throw error("\(name): \"\(line.dropFirst(name.count + 2).prefix(80))\" is not valid") }
        return v
    }

    /// Like ``field(_:_:)``, or nil at the end of the file.
    mutating func optionalField<T>(_ name: String, _ parse: (Substring) -> T?) throws(EvidenceError) -> T? {
        skipComments()
        guard next < lines.count else { return nil }
        return try field(name, parse)
    }

    /// Like ``field(_:_:)`` when the next line is `name: …`, else nil (nothing read).
    mutating func optionalField<T>(ifNamed name: String, _ parse: (Substring) -> T?) throws(EvidenceError) -> T? {
        skipComments()
        guard next < lines.count, lines[next].hasPrefix(name + ": ") else { return nil }
        return try field(name, parse)
    }

    /// A bare value line.
    mutating func value<T>(_ what: String, _ parse: (Substring) -> T?) throws(EvidenceError) -> T {
        skipComments()
        next += 1
        guard next <= lines.count else { throw error("expected \(what), found the end of the file") }
        guard let v = parse(lines[next - 1]) else { throw error("expected \(what), got \"\(lines[next - 1].prefix(80))\"") }
        return v
    }

    mutating func expectEnd() throws(EvidenceError) {
        skipComments()
        guard next >= lines.count else {
            next += 1
            throw error("unexpected line \"\(lines[next - 1].prefix(60))\"")
        }
    }
}

/// `text` when it is hex digits (a log id, a key id), else nil.
func hexText(_ text: Substring) -> String? {
    Hex.decode(text) == nil || text.isEmpty ? nil : String(text)
}
