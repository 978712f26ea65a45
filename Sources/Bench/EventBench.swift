import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import TextFormats

/// The event benchmarks: JSON parsing, import, bytes per event with the binary codec,
/// replay and export, on docs/events.md JSON Lines shaped like a fleet's history.
struct EventBench {
    let events: Int
    let vms: Int
    let runs: Int
    let scratch: String

    func run() throws -> String {
        let bench = StoreBench(records: [], runs: runs, scratch: scratch)
        var shapes = EventShapes(vms: vms, seed: 42)
        var text = ""
        text.reserveCapacity(events * 600)
        for _ in 0..<events { text += String(decoding: shapes.next().payload, as: UTF8.self) + "\n" }
        let path = scratch + "/events.jsonl"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let bytes = Array(text.utf8)
        let mb = Double(bytes.count) / 1e6
        var lines: [Range<Int>] = []
        var s = 0
        for (i, b) in bytes.enumerated() where b == 0x0A { lines.append(s..<i); s = i + 1 }

        var out = "### Event benchmarks\n\n\(events) events (\(String(format: "%.1f", mb)) MB of JSON Lines, \(vms) VMs), median of \(runs) runs.\n\n"
        out += "| step | seconds | MB/s | events/s |\n|---|---|---|---|\n"
        func row(_ name: String, _ seconds: Double) {
            out += "| \(name) | \(String(format: "%.3f", seconds)) | \(String(format: "%.0f", mb / seconds)) | \(Int(Double(events) / seconds)) |\n"
        }

        let foundation = StoreBench.median(try (0..<runs).map { _ in
            try bench.time { for r in lines { _ = try JSONSerialization.jsonObject(with: Data(bytes[r])) } }
        })
        row("Foundation JSONSerialization, parse only (for comparison)", foundation)
        let tape = JSONTape()
        let parse = StoreBench.median(try (0..<runs).map { _ in try bench.time { for r in lines { try tape.parse(bytes, range: r) } } })
        row("JSONTape, parse only", parse)
        let decoder = EventJSONDecoder()
        let decode = StoreBench.median(try (0..<runs).map { _ in try bench.time { for r in lines { _ = try decoder.decode(bytes, range: r) } } })
        row("parse + validate into events", decode)
        var logDir = ""
        let importSeconds = StoreBench.median(try (0..<runs).map { _ in
            logDir = bench.freshDirectory("events-log")
            let store = try FileLog.create(at: logDir)
            let t = try bench.time { _ = try Importer(log: HotpatchLog(store: store)).importFile(path) }
            store.close()
            return t
        })
        row("patchlog import (parse, validate, encode, compress, write, fsync per batch)", importSeconds)

        let store = try FileLog.open(at: logDir, access: .reader)
        let log = HotpatchLog(store: store)
        let replayer = Replayer(log: log)
        let replay = StoreBench.median(try (0..<runs).map { _ in try bench.time { _ = try replayer.fleet() } })
        row("full replay to the fleet's state", replay)
        let jsonl = StoreBench.median(try (0..<runs).map { _ in try bench.time { try Exporter(log: log).export(format: .jsonl, filter: ExportFilter()) { _ in } } })
        row("export jsonl", jsonl)
        let csv = StoreBench.median(try (0..<runs).map { _ in try bench.time { try Exporter(log: log).export(format: .csv, filter: ExportFilter()) { _ in } } })
        row("export csv", csv)
        let vm = log.vms[vms / 2]
        let at = Timestamp(nanoseconds: .max)
        let one = StoreBench.median(try (0..<runs).map { _ in try bench.time { _ = try replayer.state(ofVM: vm, at: at) } })
        out += "\nOne VM's state in process: \(String(format: "%.2f", one * 1e3)) ms (\(try log.events(ofVM: vm).count) events).\n"
        let disk = bench.diskBytes(logDir)
        out += "\nOn disk: \(disk) bytes, \(String(format: "%.1f", Double(disk) / Double(events))) bytes/event (JSON: \(bytes.count / events) bytes/event).\n"
        return out
    }
}
