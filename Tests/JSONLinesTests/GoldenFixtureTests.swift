import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import TestSupport
import Testing

/// What must never change, pinned by bytes on disk (`Fixtures/golden`, see its
/// README): event payloads of every codec version with the events they decode to,
/// and a log directory written by this format version with what it holds. A change
/// made to an encoder and its decoder together passes every round-trip test; it
/// fails these, because the bytes were written by an earlier build.
///
/// The files were written by ``GoldenFixtureWriter`` (run only with
/// `PATCHLOG_WRITE_GOLDEN=1`), which writes only what is missing: a new codec or
/// format version gets new files beside the old ones, which stay.
@Suite struct GoldenFixtureTests {
    static let directory = TestSupport.fixture("golden")

    /// The `codec-vN` directories.
    static var codecVersions: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("codec-v") }.sorted()
    }

    @Test func everyCodecVersionsPayloadsDecodeToTheirEvents() throws {
        #expect(Self.codecVersions.contains("codec-v\(EventCodec.version)"), "no golden payloads of the codec version this build writes")
        for name in Self.codecVersions {
            let version = UInt8(name.dropFirst("codec-v".count))!
            let lines = try String(contentsOfFile: Self.directory + "/\(name)/payloads.tsv", encoding: .utf8).split(separator: "\n")
            #expect(lines.count >= 36, "\(name)")
            var types = Set<EventType>()
            for (n, line) in lines.enumerated() {
                let parts = line.split(separator: "\t", maxSplits: 1)
                let payload = GoldenFixtureWriter.bytes(hex: parts[0])
                let expected = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as! [String: Any]
                #expect(payload[0] >> 5 == version, "\(name) line \(n + 1): written as version \(payload[0] >> 5)")
                let event = try EventCodec.decode(payload[...], id: expected["id"] as! String,
                                                  time: try Timestamp(parsing: expected["time"] as! String), vm: expected["vm"] as? String)
                types.insert(event.type)
                #expect(try TestSupport.canonical(text: EventJSONEncoder.encode(event)) == TestSupport.canonical(expected), "\(name) line \(n + 1)")
                if version == EventCodec.version {
                    // This build still writes exactly these bytes.
                    #expect(EventCodec.encode(event) == payload, "\(name) line \(n + 1): encodes differently")
                }
            }
            #expect(types == Set(EventType.allCases), "\(name): not every event type")
        }
    }

    @Test func theGoldenLogReadsVerifiesAndExportsAsWritten() throws {
        let golden = Self.directory + "/log-v2"
        let copy = NSTemporaryDirectory() + "patchlog-golden-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: golden + "/log", toPath: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy).filter { $0.hasSuffix(".seg") }.count >= 2)

        let store = try FileLog.open(at: copy, access: .reader)
        #expect(store.recovery.isClean && store.recovery.rebuiltIndexes.isEmpty)
        let records = try store.readAll()
        let listed = try String(contentsOfFile: golden + "/records.tsv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(records.map(GoldenFixtureWriter.line) == listed)
        for stream in Set(records.map(\.stream)) {
            #expect(try store.read(stream: stream) == records.filter { $0.stream == stream }, "\(stream)")
        }
        let report = try FileLog.verify(directory: copy)
        #expect(report.problem == nil && report.records == UInt64(records.count))

        var exported = ""
        try Exporter(log: HotpatchLog(store: store)).export(format: .jsonl, filter: ExportFilter()) { exported += $0 }
        #expect(exported == (try String(contentsOfFile: golden + "/export.jsonl", encoding: .utf8)))
        // The log was imported from events.jsonl: the same events, in the same order.
        let input = try String(contentsOfFile: golden + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(exported.split(separator: "\n").count == input.count)
        for (a, b) in zip(exported.split(separator: "\n"), input) {
            #expect(try TestSupport.canonical(text: String(a)) == TestSupport.canonical(text: String(b)))
        }
    }
}

/// Writes the golden fixtures that are missing (`PATCHLOG_WRITE_GOLDEN=1 swift test
/// --filter GoldenFixtureWriter`); never rewrites one that exists.
@Suite struct GoldenFixtureWriter {
    static let enabled = ProcessInfo.processInfo.environment["PATCHLOG_WRITE_GOLDEN"] == "1"

    /// Segments of a few kilobytes, so the small log has several, each after the
    /// first with a dictionary.
    static let options = LogOptions(segmentBytes: 6 << 10, blockBytes: 1 << 10, sync: .always)

    @Test(.enabled(if: enabled)) func writeMissingGoldenFixtures() throws {
        let root = GoldenFixtureTests.directory
        let codec = root + "/codec-v\(EventCodec.version)"
        if !FileManager.default.fileExists(atPath: codec + "/payloads.tsv") {
            let decoder = EventJSONDecoder()
            var out = ""
            for line in try String(contentsOfFile: codec + "/events.jsonl", encoding: .utf8).split(separator: "\n") {
                let bytes = Array(line.utf8)
                let event = try decoder.decode(bytes, range: 0..<bytes.count)
                out += Self.hex(EventCodec.encode(event)) + "\t" + EventJSONEncoder.encode(event) + "\n"
            }
            try out.write(toFile: codec + "/payloads.tsv", atomically: true, encoding: .utf8)
        }
        let golden = root + "/log-v2"
        if !FileManager.default.fileExists(atPath: golden + "/log") {
            // Two imports (three fifths, then the rest), as a log grows.
            let lines = try String(contentsOfFile: golden + "/events.jsonl", encoding: .utf8).split(separator: "\n")
            let cut = lines.count * 3 / 5
            let store = try FileLog.create(at: golden + "/log", options: Self.options)
            let log = HotpatchLog(store: store)
            for part in [lines[..<cut], lines[cut...]] {
                let path = NSTemporaryDirectory() + "patchlog-golden-\(UUID().uuidString).jsonl"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try (part.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                _ = try Importer(log: log).importFile(path)
            }
            try store.finish()
            try? FileManager.default.removeItem(atPath: golden + "/log/LOCK")
            let reader = try FileLog.open(at: golden + "/log", access: .reader)
            try reader.readAll().map { Self.line($0) + "\n" }.joined().write(toFile: golden + "/records.tsv", atomically: true, encoding: .utf8)
            var exported = ""
            try Exporter(log: HotpatchLog(store: reader)).export(format: .jsonl, filter: ExportFilter()) { exported += $0 }
            try exported.write(toFile: golden + "/export.jsonl", atomically: true, encoding: .utf8)
        }
    }

    /// A record as one line of `records.tsv`: sequence, time in nanoseconds, stream,
    /// id, payload in hex.
    static func line(_ r: StoredRecord) -> String {
        "\(r.sequence)\t\(r.time)\t\(r.stream)\t\(r.id)\t\(hex(r.payload))"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes<S: StringProtocol>(hex text: S) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
