import BlockCompression
import ByteCoding
import Events
import Foundation
@_spi(Study) import LogStore

/// `patchlog-bench columns --log DIR`: where the bytes of a log go, per column of the
/// block body and per field of the event payloads, compressed (see ``BlockStudy``);
/// and what other encodings would make of the same records.
struct ColumnStudy {
    let directory: String
    let level: Int
    let experiments: Set<String>

    typealias Columns = BlockStudy.Columns

    /// The fields of an event payload (codec version 1), as labelled byte ranges.
    static func fields(_ p: ArraySlice<UInt8>) -> [(label: String, range: Range<Int>)] {
        var out: [(label: String, range: Range<Int>)] = []
        let base = p.startIndex
        var r = ByteReader(p)
        func mark(_ label: String, _ body: () throws -> Void) throws {
            let start = r.offset
            try body()
            out.append((label, (start - base)..<(r.offset - base)))
        }
        func patches(_ n: Int) throws {
            for _ in 0..<n {
                try mark("kb") { _ = try r.varint() }
                try mark("classifications") { _ = try CodecPrimitives_skipClassifications(&r) }
                try mark("patch bits") { _ = try r.u8() }
            }
        }
        do {
            let first = try r.u8()
            out.append(("type byte", 0..<1))
            let type = first & 0x0F
            switch type {
            case 7, 8:
                let flags = try r.u8()
                if type == 8 { _ = try r.u8() }
                out.append(("flags", 1..<(r.offset - base)))
                switch flags & 3 {
                case 1, 2: try mark("activity guid") { _ = try r.raw(16) }
                case 3: try mark("activity text") { _ = try r.lengthPrefixed(atMost: 1 << 20) }
                default: break
                }
                if type == 8 && flags & 0x80 != 0 {
                    try mark("install request") {
                        for _ in 0..<(try r.count(atMost: r.remaining)) { _ = try r.lengthPrefixed(atMost: 1 << 20) }
                        for _ in 0..<(try r.count(atMost: r.remaining)) { _ = try r.varint() }
                        for _ in 0..<(try r.count(atMost: r.remaining)) { _ = try r.varint() }
                    }
                }
                var n = 0
                try mark("patch count") { n = try r.count(atMost: r.remaining) }
                try patches(n)
            default:
                break
            }
            if r.remaining > 0 {
                let label = type == 7 || type == 8 ? "extra" : "other types"
                out.append((label, (r.offset - base)..<p.count))
            }
        } catch {
            return [("unparsed", 0..<p.count)]
        }
        return out
    }

    static func CodecPrimitives_skipClassifications(_ r: inout ByteReader) throws -> UInt64 {
        let header = try r.varint()
        if header & 1 == 0 { return header >> 1 }
        for _ in 0..<Int(min(header >> 1, UInt64(r.remaining))) {
            if try r.u8() == 0xFF { _ = try r.lengthPrefixed(atMost: 1 << 20) }
        }
        return 0
    }

    /// What a body is made of, in order; each part can be left out.
    enum Part: String, CaseIterable {
        case newStreams = "streams defined", times, streams, ids, keys, lengths = "payload lengths", payloads
    }

    /// The body of `c` with the current encoding, leaving out `without`, and the
    /// payload bytes labelled in `dropLabels` (their lengths shrink to match).
    static func body(_ c: Columns, without: Part? = nil, dropLabels: Set<String> = [], guidColumn: Bool = false,
                     ids idEncoder: (([[UInt8]], inout ByteWriter) -> Void)? = nil,
                     streams streamEncoder: (([UInt32], inout ByteWriter) -> Void)? = nil,
                     times timeEncoder: (([Int64], inout ByteWriter) -> Void)? = nil) -> [UInt8] {
        var payloads: [[UInt8]] = []
        var guids: [UInt8] = []
        payloads.reserveCapacity(c.payloads.count)
        for p in c.payloads {
            if dropLabels.isEmpty && !guidColumn { payloads.append(Array(p)); continue }
            var kept: [UInt8] = []
            for (label, range) in fields(p) {
                let bytes = p[(p.startIndex + range.lowerBound)..<(p.startIndex + range.upperBound)]
                if guidColumn && label == "activity guid" { guids.append(contentsOf: bytes); continue }
                if !dropLabels.contains(label) { kept.append(contentsOf: bytes) }
            }
            payloads.append(kept)
        }
        var w = ByteWriter()
        for part in Part.allCases where part != without {
            switch part {
            case .newStreams: BlockStudy.encodeNewStreams(c, into: &w)
            case .times: if let timeEncoder { timeEncoder(c.times, &w) } else { BlockStudy.encodeTimes(c.times, into: &w) }
            case .streams: if let streamEncoder { streamEncoder(c.streams, &w) } else { BlockStudy.encodeStreams(c.streams, into: &w) }
            case .ids: if let idEncoder { idEncoder(c.ids, &w) } else { BlockStudy.encodeIDs(c.ids, into: &w) }
            case .keys: BlockStudy.encodeKeys(c.keys, into: &w)
            case .lengths:
                for (p, original) in zip(payloads, c.payloads) { w.varint(guidColumn ? original.count : p.count) }
                if guidColumn {
                    for p in c.payloads {
                        if let r = EventCodec.randomBytes(Array(p)) { w.varint(r.lowerBound + 1); w.varint(r.count) } else { w.varint(0) }
                    }
                }
            case .payloads:
                if guidColumn { w.raw(guids) }
                for p in payloads { w.raw(p) }
            }
        }
        return w.bytes
    }

    // MARK: stream encodings tried

    static func streamDelta(_ streams: [UInt32], _ w: inout ByteWriter) {
        var previous: Int64 = 0
        for s in streams { w.zigzag(Int64(s) - previous); previous = Int64(s) }
    }

    static func streamTable(_ streams: [UInt32], _ w: inout ByteWriter) {
        let table = Array(Set(streams)).sorted()
        var index: [UInt32: Int] = [:]
        for (i, s) in table.enumerated() { index[s] = i }
        w.varint(table.count)
        var previous: UInt32 = 0
        for s in table { w.varint(UInt64(s - previous)); previous = s }
        for s in streams { w.varint(index[s]!) }
    }

    static func streamFixed16(_ streams: [UInt32], _ w: inout ByteWriter) {
        // low bytes, then high bytes (byte planes): a test of whether LZ4 finds more.
        for s in streams { w.u8(UInt8(truncatingIfNeeded: s)) }
        for s in streams { w.u8(UInt8(truncatingIfNeeded: s >> 8)) }
    }

    // MARK: the run

    func run() throws -> String {
        let log = try FileLog.open(at: directory, access: .reader)
        let compressor = LZ4Compressor(level: level)
        let n = Int(log.count)
        var out = ""
        func line(_ s: String) { out += s + "\n"; FileHandle.standardError.write(Data((s + "\n").utf8)) }
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        func perEvent(_ b: Int) -> String { String(format: "%6.2f", Double(b) / Double(n)) }

        // Files in the directory.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        var byKind: [String: Int] = [:]
        var total = 0
        for name in names {
            let size = (try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0
            let kind = name.contains(".") ? String(name[name.lastIndex(of: ".")!...]) : name
            byKind[kind, default: 0] += size
            total += size
        }
        line("log \(directory): \(n) records, \(total) bytes in files = \(perEvent(total)) bytes/event")
        for (kind, bytes) in byKind.sorted(by: { $0.value > $1.value }) { line("  \(kind.padding(toLength: 10, withPad: " ", startingAt: 0)) \(pad(String(bytes), 10)) \(perEvent(bytes))") }

        // Index sections.
        line("index sections (bytes, bytes/event; compressed alone with LZ4HC 4):")
        for (name, bytes, compressed) in BlockStudy.indexSections(log) {
            line("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(pad(String(bytes), 10)) \(perEvent(bytes))  \(pad(String(compressed), 10)) \(perEvent(compressed))")
        }
        // Stream lists coded as Golomb-Rice (per list, k from the mean gap): bits needed.
        var riceBits = 0
        for (_, lists) in BlockStudy.streamLists(log) {
            for list in lists {
                guard let last = list.last else { continue }
                let mean = max(1, Int(last) / list.count)
                let k = max(0, Int.bitWidth - mean.leadingZeroBitCount - 1)
                var previous: Int64 = -1
                for b in list {
                    let gap = Int(Int64(b) - previous - 1)
                    riceBits += (gap >> k) + 1 + k
                    previous = Int64(b)
                }
                riceBits += 16 // count and k
            }
        }
        line("  stream -> blocks as Golomb-Rice lists: \(riceBits / 8) bytes = \(perEvent(riceBits / 8))")

        // Variants of the block bodies.
        struct Variant {
            let name: String
            let dictionary: Dictionary
            let make: (Columns) -> [UInt8]
            var compressor: LZ4Compressor?
            enum Dictionary { case segment, none, sliding }
        }
        var variants: [Variant] = [
            Variant(name: "as the writer writes now", dictionary: .segment, make: { BlockStudy.writerBody($0, randomBytes: EventCodec.randomBytes) }),
            Variant(name: "format 2 as of 4fd8e6c", dictionary: .segment, make: { Self.body($0, ids: BlockStudy.encodeIDsFrontCoded) }),
            Variant(name: "numeric ids, GUIDs apart (as the writer)", dictionary: .segment, make: { Self.body($0, guidColumn: true) }),
        ]
        let all = experiments.contains("all")
        if all || experiments.contains("columns") {
            for part in Part.allCases {
                variants.append(Variant(name: "without \(part.rawValue)", dictionary: .segment, make: { Self.body($0, without: part, guidColumn: true) }))
            }
            for label in ["type byte", "flags", "activity guid", "activity text", "install request", "patch count", "kb", "classifications", "patch bits", "extra", "other types"] {
                variants.append(Variant(name: "without payload \(label)", dictionary: .segment, make: { Self.body($0, dropLabels: [label], guidColumn: label != "activity guid") }))
            }
        }
        if all || experiments.contains("ids") {
            variants.append(Variant(name: "ids front-coded (before flag bit 1)", dictionary: .segment, make: { Self.body($0, guidColumn: true, ids: BlockStudy.encodeIDsFrontCoded) }))
        }
        if all || experiments.contains("guid") {
            variants.append(Variant(name: "GUIDs in the payloads (before flag bit 2)", dictionary: .segment, make: { Self.body($0) }))
        }
        if all || experiments.contains("streams") {
            variants.append(Variant(name: "streams: delta", dictionary: .segment, make: { Self.body($0, guidColumn: true, streams: Self.streamDelta) }))
            variants.append(Variant(name: "streams: block table", dictionary: .segment, make: { Self.body($0, guidColumn: true, streams: Self.streamTable) }))
            variants.append(Variant(name: "streams: 2 byte planes", dictionary: .segment, make: { Self.body($0, guidColumn: true, streams: Self.streamFixed16) }))
        }
        if all || experiments.contains("dictionary") {
            variants.append(Variant(name: "no dictionary", dictionary: .none, make: { Self.body($0, guidColumn: true) }))
            variants.append(Variant(name: "sliding dictionary (last 32 KiB)", dictionary: .sliding, make: { Self.body($0, guidColumn: true) }))
        }
        if all || experiments.contains("levels") {
            for l in [9, 12] {
                variants.append(Variant(name: "LZ4HC level \(l)", dictionary: .segment, make: { Self.body($0, guidColumn: true) }, compressor: LZ4Compressor(level: l)))
            }
        }
        var sizes = [Int](repeating: 0, count: variants.count)
        var raw = [Int](repeating: 0, count: variants.count)
        var sliding = [[UInt8]](repeating: [], count: variants.count)
        var stored = 0
        var aloneRaw: [String: Int] = [:]
        var aloneCompressed: [String: Int] = [:]
        var blocks = 0
        var distinctStreams = 0
        try BlockStudy.forEachBlock(log) { c in
            blocks += 1
            stored += c.storedLength
            distinctStreams += Set(c.streams).count
            for (i, v) in variants.enumerated() {
                let body = v.make(c)
                raw[i] += body.count
                let dictionary: [UInt8]
                switch v.dictionary {
                case .segment: dictionary = c.dictionary
                case .none: dictionary = []
                case .sliding: dictionary = sliding[i]
                }
                sizes[i] += BlockStudy.compressedSize(body, dictionary: dictionary, compressor: v.compressor ?? compressor)
                if v.dictionary == .sliding {
                    sliding[i].append(contentsOf: body)
                    if sliding[i].count > 32 << 10 { sliding[i].removeFirst(sliding[i].count - (32 << 10)) }
                }
            }
            if all || experiments.contains("alone") {
                var parts: [String: ByteWriter] = [:]
                BlockStudy.encodeNewStreams(c, into: &parts["streams defined", default: ByteWriter()])
                BlockStudy.encodeTimes(c.times, into: &parts["times", default: ByteWriter()])
                BlockStudy.encodeStreams(c.streams, into: &parts["streams", default: ByteWriter()])
                BlockStudy.encodeIDs(c.ids, into: &parts["ids", default: ByteWriter()])
                BlockStudy.encodeKeys(c.keys, into: &parts["keys", default: ByteWriter()])
                for p in c.payloads {
                    parts["payload lengths", default: ByteWriter()].varint(p.count)
                    parts["payloads", default: ByteWriter()].raw(p)
                    for (label, range) in Self.fields(p) {
                        parts["payload " + label, default: ByteWriter()].raw(p[(p.startIndex + range.lowerBound)..<(p.startIndex + range.upperBound)])
                    }
                }
                for (name, w) in parts {
                    aloneRaw[name, default: 0] += w.bytes.count
                    aloneCompressed[name, default: 0] += BlockStudy.compressedSize(w.bytes, dictionary: [], compressor: compressor)
                }
            }
        }
        let blockOverhead = blocks * 60
        line("blocks: \(blocks), \(n / max(blocks, 1)) records each, \(distinctStreams) (stream, block) pairs; headers and CRCs \(blockOverhead) bytes = \(perEvent(blockOverhead))")
        line("stored bodies: \(stored) bytes = \(perEvent(stored)) bytes/event")
        line("variant (LZ4HC \(level) unless named)              raw B/ev  stored B/ev  vs current (B/ev)")
        for (i, v) in variants.enumerated() {
            let delta = Double(sizes[i] - sizes[0]) / Double(n)
            line("  \(v.name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(perEvent(raw[i]))  \(perEvent(sizes[i]))  \(String(format: "%+6.2f", delta))")
        }
        if !aloneRaw.isEmpty {
            line("each part alone (no dictionary)            raw B/ev  compressed B/ev")
            for (name, r) in aloneRaw.sorted(by: { $0.value > $1.value }) {
                line("  \(name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(perEvent(r))  \(perEvent(aloneCompressed[name]!))")
            }
        }
        return out
    }
}
