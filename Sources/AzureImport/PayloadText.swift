/// The bytes of a payload as the JSON parser needs them: UTF-8 without a byte order
/// mark. Windows PowerShell 5.1 writes UTF-16 with a BOM when output is redirected
/// with `>`, and `Out-File -Encoding utf8` writes a UTF-8 BOM; both are read. The
/// kept payload is always the file's own bytes.
enum PayloadText {
    /// The UTF-8 text to parse, and a note when it was converted; nil when the bytes
    /// are UTF-16 that does not decode.
    static func utf8(_ bytes: [UInt8]) -> (bytes: [UInt8], note: String?)? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (Array(bytes.dropFirst(3)), "read as UTF-8 after its byte order mark")
        }
        let little = bytes.starts(with: [0xFF, 0xFE]), big = bytes.starts(with: [0xFE, 0xFF])
        guard little || big else { return (bytes, nil) }
        let body = bytes.dropFirst(2)
        guard body.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        var i = body.startIndex
        while i < body.endIndex {
            let a = UInt16(body[i]), b = UInt16(body[i + 1])
            units.append(little ? a | b << 8 : a << 8 | b)
            i += 2
        }
        var out: [UInt8] = []
        var decoder = UTF16()
        var iterator = units.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): out += Array(String(scalar).utf8)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return (out, "read as UTF-16 (\(little ? "little" : "big")-endian, with a byte order mark, as Windows PowerShell 5.1 writes with >)")
    }

    /// What the text looks like when it is not JSON at all: `az … -o table` or
    /// `-o tsv` output, which hold no ids to import from.
    static func nonJSONHint(_ bytes: [UInt8]) -> String? {
        guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return nil }
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingSuffix("\r") }
        if lines.count >= 2, !lines[1].isEmpty, lines[1].allSatisfy({ $0 == "-" || $0 == " " }) {
            return "this is a table (az … -o table, or PowerShell's Format-Table), not JSON: export with -o json (or ConvertTo-Json -Depth 10)"
        }
        if lines.first?.contains("\t") == true {
            return "this is tab-separated text (az … -o tsv), not JSON: it has no member names to read; export with -o json"
        }
        return "this is not JSON (it starts with \"\(String(decoding: [first], as: UTF8.self))\"): export with -o json (az) or ConvertTo-Json -Depth 10 (PowerShell)"
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: Character) -> Substring { last == suffix ? dropLast() : self }
}
