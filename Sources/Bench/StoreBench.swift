import Foundation
import Randomness
import LogStore

/// The store's benchmarks: append throughput per sync mode, scan throughput, point
/// and stream reads, and bytes per record for the block and dictionary settings that
/// were weighed. Each figure is the median of `runs` runs.
struct StoreBench {
    let records: [NewRecord]
    let runs: Int
    let scratch: String

    var payloadBytes: Int { records.reduce(0) { $0 + $1.payload.count } }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    func time(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let d = try clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    func freshDirectory(_ name: String) -> String {
        let path = scratch + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    func diskBytes(_ dir: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size] as? Int) ?? 0)
        }
    }

    /// Appends `records` in batches of `batch` under `options`; returns seconds and
    /// the directory.
    func append(_ records: [NewRecord], batch: Int, options: LogOptions, name: String) throws -> (Double, String) {
        let dir = freshDirectory(name)
        let log = try FileLog.create(at: dir, options: options)
        let seconds = try time {
            var i = 0
            while i < records.count {
                _ = try log.append(Array(records[i..<min(i + batch, records.count)]))
                i += batch
            }
            log.close()
        }
        return (seconds, dir)
    }

    func run() throws -> String {
        var out = "### Store benchmarks\n\n"
        let n = records.count
        out += "\(n) records shaped like events.md events (70% assessments with 1-6 available patches, installs, reboots, power), JSON payloads averaging \(payloadBytes / n) bytes; \(Set(records.map(\.stream)).count) streams. Median of \(runs) runs.\n\n"

        out += "#### Append throughput\n\n| sync mode | batch (records per append) | records/s | payload MB/s |\n|---|---|---|---|\n"
        for mode in SyncMode.allCases {
            for batch in [1_000, 1] {
                let slice = batch == 1 ? Array(records.prefix(mode == .none ? 20_000 : 2_000)) : records
                let bytes = slice.reduce(0) { $0 + $1.payload.count }
                let secs = Self.median(try (0..<runs).map { _ in try append(slice, batch: batch, options: LogOptions(sync: mode), name: "append").0 })
                out += "| \(mode) | \(batch) | \(Int(Double(slice.count) / secs)) | \(String(format: "%.1f", Double(bytes) / secs / 1e6)) |\n"
            }
        }

        out += "\n#### Size and read speed by block size, dictionary and compression level\n\n"
        out += "Appends of 1,000 records (`sync none`); bytes/record counts every file in the log directory.\n\n"
        out += "| block bytes | dictionary | level | bytes/record | append records/s | scan records/s | point read µs | one stream read ms |\n|---|---|---|---|---|---|---|---|\n"
        let configurations: [(Int, Int, Int)] = [
            (4 << 10, 0, 0), (4 << 10, 32 << 10, 0), (16 << 10, 32 << 10, 0), (32 << 10, 0, 0), (32 << 10, 32 << 10, 0),
            (64 << 10, 32 << 10, 0), (32 << 10, 32 << 10, 4), (32 << 10, 32 << 10, 9),
        ]
        for (blockBytes, dictionaryBytes, level) in configurations {
            let options = LogOptions(segmentBytes: 8 << 20, blockBytes: blockBytes, sync: .none, compressionLevel: level, dictionaryBytes: dictionaryBytes)
            let appendSeconds = Self.median(try (0..<runs).map { _ in try append(records, batch: 1_000, options: options, name: "size").0 })
            let dir = scratch + "/size"
            let perRecord = Double(diskBytes(dir)) / Double(n)
            let log = try FileLog.open(at: dir, access: .reader)
            let scan = Self.median(try (0..<runs).map { _ in
                try time { var c = 0; try log.scan { _ in c += 1; return true }; precondition(c == n) }
            })
            var g = SplitMix64(seed: 7)
            let point = Self.median(try (0..<runs).map { _ in
                try time { for _ in 0..<200 { let s = UInt64(1 + g.next(upTo: n)); _ = try log.read(s...s) } } / 200
            })
            let stream = records[n / 2].stream
            let streamRead = Self.median(try (0..<runs).map { _ in try time { _ = try log.read(stream: stream) } })
            out += "| \(blockBytes >> 10) KiB | \(dictionaryBytes >> 10) KiB | \(level == 0 ? "fast" : "HC \(level)") | \(String(format: "%.1f", perRecord)) | \(Int(Double(n) / appendSeconds)) | \(Int(Double(n) / scan)) | \(String(format: "%.0f", point * 1e6)) | \(String(format: "%.2f", streamRead * 1e3)) |\n"
        }

        out += "\n#### One record per append: what the segment dictionary buys\n\n| dictionary | bytes/record |\n|---|---|\n"
        let few = Array(records.prefix(5_000))
        for dictionaryBytes in [0, 32 << 10] {
            // Segments of 256 KiB so that most segments have a dictionary from their predecessor.
            let (_, dir) = try append(few, batch: 1, options: LogOptions(segmentBytes: 256 << 10, sync: .none, dictionaryBytes: dictionaryBytes), name: "single")
            out += "| \(dictionaryBytes >> 10) KiB | \(String(format: "%.1f", Double(diskBytes(dir)) / Double(few.count))) |\n"
        }
        return out
    }
}
