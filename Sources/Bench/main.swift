import Events
import Foundation
import LogStore

// patchlog-bench: the benchmarks behind docs/benchmarks.md. Run through tools/bench.
//   patchlog-bench store [--records N] [--vms N] [--runs N] [--scratch DIR]
//   patchlog-bench events [--events N] [--vms N] [--runs N] [--scratch DIR]
//   patchlog-bench fleet --log DIR [--vm VM --at T --kb KB] [--runs N] [--only replay,export-csv,...]
//   patchlog-bench columns --log DIR [--level N] [--only columns,alone,ids,guid,streams,dictionary,levels]
let arguments = Array(CommandLine.arguments.dropFirst())
let suite = arguments.first ?? "store"
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let scratch: String = {
    if let i = arguments.firstIndex(of: "--scratch"), i + 1 < arguments.count { return arguments[i + 1] }
    return NSTemporaryDirectory() + "patchlog-bench-\(getpid())"
}()
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

switch suite {
case "store":
    var shapes = EventShapes(vms: option("--vms", 2_000), seed: 42)
    let records = (0..<option("--records", 200_000)).map { _ in
        let e = shapes.next()
        return NewRecord(time: e.time, stream: e.stream, id: e.id, payload: e.payload)
    }
    print(try StoreBench(records: records, runs: option("--runs", 5), scratch: scratch).run())
case "events":
    print(try EventBench(events: option("--events", 200_000), vms: option("--vms", 2_000), runs: option("--runs", 3), scratch: scratch).run())
case "fleet":
    func text(_ name: String) -> String? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
    guard let log = text("--log") else { fatalError("fleet needs --log") }
    let only = text("--only").map { Set($0.split(separator: ",").map(String.init)) }
    let needsQuery = only.map { !$0.isDisjoint(with: ["state", "kb", "kb-effective"]) } ?? true
    if needsQuery && (text("--vm") == nil || text("--at") == nil || text("--kb") == nil) { fatalError("fleet needs --vm, --at and --kb (or --only replay,export-csv)") }
    print(try FleetBench(directory: log, vm: text("--vm"), at: try Timestamp(parsing: text("--at") ?? "2026-01-01"),
                         kb: text("--kb").flatMap { KB($0) }, runs: option("--runs", 5), only: only).run(), terminator: "")
case "columns":
    guard let i = arguments.firstIndex(of: "--log"), i + 1 < arguments.count else { fatalError("columns needs --log") }
    let only = arguments.firstIndex(of: "--only").map { Set(arguments[$0 + 1].split(separator: ",").map(String.init)) } ?? ["all"]
    print(try ColumnStudy(directory: arguments[i + 1], level: option("--level", 4), experiments: only).run(), terminator: "")
default:
    FileHandle.standardError.write(Data("unknown suite \(suite); known: store, events, fleet, columns\n".utf8))
    exit(64)
}
