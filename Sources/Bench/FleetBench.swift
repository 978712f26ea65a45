import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay

/// In-process timings on an existing log (the fleet of tools/bench): one VM's
/// state, every install of one KB (the install events, as the peers' query returns
/// them, and with effective times from a fleet fold), the full replay to the fleet's state, and the CSV
/// export. Printed as `name seconds` lines for tools/bench to read. `only`, when
/// given, names the measurements to make (the others are skipped): `replay` alone is
/// what tools/bench measures on the fleets delivered late.
struct FleetBench {
    let directory: String
    let vm: String?
    let at: Timestamp
    let kb: KB?
    let runs: Int
    var only: Set<String>? = nil

    func run() throws -> String {
        let bench = StoreBench(records: [], runs: runs, scratch: "")
        let store = try FileLog.open(at: directory, access: .reader)
        let log = HotpatchLog(store: store)
        let replayer = Replayer(log: log)
        var out = ""
        func measure(_ name: String, _ body: () throws -> Void) throws {
            guard only?.contains(name) ?? true else { return }
            out += "\(name) \(StoreBench.median(try (0..<runs).map { _ in try bench.time(body) }))\n"
        }
        if let vm { try measure("state") { _ = try replayer.state(ofVM: vm, at: at) } }
        if let kb {
            try measure("kb") { try Exporter(log: log).export(format: .csv, filter: ExportFilter(kb: kb, type: .install)) { _ in } }
            try measure("kb-effective") { _ = try replayer.installs(of: kb) }
        }
        try measure("replay") { _ = try replayer.fleet() }
        try measure("export-csv") { try Exporter(log: log).export(format: .csv, filter: ExportFilter()) { _ in } }
        out += "events \(store.count)\n"
        return out
    }
}
