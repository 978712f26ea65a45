import ByteCoding

/// The building blocks of the binary event format (docs/event-codec.md), shared by
/// the encoder, the decoder and the replay cursor.
enum CodecPrimitives {
    static let unknownClassification: UInt8 = 0xFF

    // MARK: strings

    static func write(_ s: String, into w: inout ByteWriter) {
        var s = s
        s.withUTF8 { w.varint($0.count); w.bytes.append(contentsOf: $0) }
    }

    static func readString(_ r: inout ByteReader) throws(ByteReader.Truncated) -> String {
        String(decoding: try r.lengthPrefixed(atMost: 1 << 24), as: UTF8.self)
    }

    static func skipString(_ r: inout ByteReader) throws(ByteReader.Truncated) {
        _ = try r.lengthPrefixed(atMost: 1 << 24)
    }

    // MARK: classifications

    /// A list of classification names: a bit set when the names are known ones in
    /// the canonical order without repeats, else the list as given.
    static func write(classifications: [String], into w: inout ByteWriter) {
        var mask: UInt64 = 0
        var lastCode = -1
        var canonical = true
        for name in classifications {
            guard let known = knownCode(name), Int(known) > lastCode else { canonical = false; break }
            lastCode = Int(known)
            mask |= 1 << UInt64(known)
        }
        if canonical {
            w.varint(mask << 1)
            return
        }
        w.varint(UInt64(classifications.count) << 1 | 1)
        for name in classifications {
            if let code = knownCode(name) {
                w.u8(code)
            } else {
                w.u8(unknownClassification)
                write(name, into: &w)
            }
        }
    }

    static func readClassifications(_ r: inout ByteReader) throws(ByteReader.Truncated) -> [String] {
        let header = try r.varint()
        if header & 1 == 0 {
            let mask = header >> 1
            guard mask >> UInt64(KnownClassification.names.count) == 0 else { throw ByteReader.Truncated() }
            var names: [String] = []
            for (i, name) in KnownClassification.names.enumerated() where mask & (1 << UInt64(i)) != 0 { names.append(name) }
            return names
        }
        let count = Int(header >> 1)
        guard count <= r.remaining else { throw ByteReader.Truncated() }
        var names: [String] = []
        names.reserveCapacity(count)
        for _ in 0..<count {
            let code = try r.u8()
            if code == unknownClassification {
                names.append(try readString(&r))
            } else {
                guard let known = KnownClassification(rawValue: code) else { throw ByteReader.Truncated() }
                names.append(known.name)
            }
        }
        return names
    }

    /// Skips a classification list, returning the bit set of the known names in it.
    static func skipClassifications(_ r: inout ByteReader) throws(ByteReader.Truncated) -> UInt64 {
        let header = try r.varint()
        if header & 1 == 0 { return header >> 1 }
        var mask: UInt64 = 0
        for _ in 0..<Int(min(header >> 1, UInt64(r.remaining))) {
            let code = try r.u8()
            if code == unknownClassification { try skipString(&r) } else { mask |= 1 << UInt64(code & 63) }
        }
        return mask
    }

    static func knownCode(_ name: String) -> UInt8? {
        KnownClassification.names.firstIndex(of: name).map(UInt8.init)
    }

    // MARK: KBs

    static func write(_ kb: KB, into w: inout ByteWriter) { w.varint(kb.packed) }
    /// A KB as ``write(_:into:)`` writes it. A number of more than 18 digits is refused
    /// (no KB text has one): the largest varints would otherwise collide with the
    /// empty and removed markers of ``KBMap``, whose probes then never end (a fuzzed
    /// rollback hung replay).
    static func readKB(_ r: inout ByteReader) throws(ByteReader.Truncated) -> KB {
        let packed = try r.varint()
        guard packed >> 4 < 1_000_000_000_000_000_000 else { throw ByteReader.Truncated() }
        return KB(packed: packed)
    }

    static func write(kbs: [KB], into w: inout ByteWriter) {
        w.varint(kbs.count)
        for kb in kbs { write(kb, into: &w) }
    }

    static func readKBs(_ r: inout ByteReader) throws(ByteReader.Truncated) -> [KB] {
        let n = try r.count(atMost: r.remaining)
        var out: [KB] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readKB(&r)) }
        return out
    }

    // MARK: activity ids

    /// How an activity id is stored: 0 = same as the event id; 1 = a GUID in lower
    /// case, 2 = in upper case (16 bytes); 3 = any other text.
    static func activityMode(_ activityId: String, eventID: String) -> UInt8 {
        if activityId == eventID { return 0 }
        guard let bytes = guidBytes(activityId) else { return 3 }
        _ = bytes
        if activityId == activityId.lowercased() { return 1 }
        if activityId == activityId.uppercased() { return 2 }
        return 3
    }

    static func write(activityId: String, mode: UInt8, into w: inout ByteWriter) {
        switch mode {
        case 0: break
        case 1, 2: w.raw(guidBytes(activityId)!)
        default: write(activityId, into: &w)
        }
    }

    static func readActivityId(_ r: inout ByteReader, mode: UInt8, eventID: String) throws(ByteReader.Truncated) -> String {
        switch mode {
        case 0: return eventID
        case 1, 2: return guidText(Array(try r.raw(16)), upper: mode == 2)
        default: return try readString(&r)
        }
    }

    static func skipActivityId(_ r: inout ByteReader, mode: UInt8) throws(ByteReader.Truncated) {
        switch mode {
        case 0: break
        case 1, 2: _ = try r.raw(16)
        default: try skipString(&r)
        }
    }

    /// The 16 bytes of a GUID written `8-4-4-4-12` in hex, else nil.
    ///
    /// Dashes at those four places and hex digits everywhere else: a fifth dash once
    /// made the scan read past the end (`…-1906-fadccb8`, found by fuzzing JSON Lines
    /// import; Fixtures/fuzz/jsonl-import/activity-id-fifth-dash-read-past-end).
    static func guidBytes(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count == 36 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(16)
        var high: UInt8?
        for (i, c) in u.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == 45 else { return nil }
                continue
            }
            guard let digit = hex(c) else { return nil }
            if let h = high {
                out.append(h << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }

    static func guidText(_ b: [UInt8], upper: Bool) -> String {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(45) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: optionals packed in bits

    /// nil → 0, false → 1, true → 2.
    static func tri(_ b: Bool?) -> UInt8 { b.map { $0 ? 2 : 1 } ?? 0 }
    static func untri(_ v: UInt8) -> Bool? { v == 0 ? nil : v == 2 }
    /// nil → 0, value → raw + 1.
    static func opt<V: Vocabulary>(_ v: V?) -> UInt8 { v.map { $0.rawValue + 1 } ?? 0 }
    static func unopt<V: Vocabulary>(_ v: UInt8, _: V.Type) throws(ByteReader.Truncated) -> V? {
        if v == 0 { return nil }
        guard let value = V(rawValue: v - 1) else { throw ByteReader.Truncated() }
        return value
    }
    static func value<V: Vocabulary>(_ v: UInt8, _: V.Type) throws(ByteReader.Truncated) -> V {
        guard let value = V(rawValue: v) else { throw ByteReader.Truncated() }
        return value
    }
}
