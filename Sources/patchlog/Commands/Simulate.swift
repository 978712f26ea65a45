import ArgumentParser
import EventLog
import Events
import JSONLines
import LogStore
import Replay
import Simulator
import SystemIO
import TextFormats

extension SimulatedEventIDs: ExpressibleByArgument {}

extension Patchlog {
    /// `patchlog simulate`.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Generate a deterministic Hotpatch history of a fleet (docs/events.md JSON Lines), from January 2025.",
            discussion: """
                The same options give the same bytes. Writes JSON Lines to --out (or standard output), or appends straight into the log \
                given by --log, in delivery order: events on time at their own time, late ones (--late) a delay of one hour to four \
                weeks after it. Every assessment and install has its own random GUID activity id.
                """)

        @Option(parsing: .unconditional, help: "Number of VMs.") var vms: Int = 500
        @Option(parsing: .unconditional, help: "Number of months.") var months: Int = 12
        @Option(parsing: .unconditional, help: "The seed.") var seed: UInt64 = 1
        @Option(parsing: .unconditional, help: "Fraction of events delivered late, 1 hour to 4 weeks after their time (log-uniform), after later events (0...1).") var late: Double = 0
        @Option(help: ArgumentHelp("Event ids: opaque (evt- and a counter) or activity (the Azure importer's, from activity ids; others opaque).", valueName: "opaque|activity")) var ids: SimulatedEventIDs = .opaque
        @Option(help: ArgumentHelp("Write JSON Lines to this file.", valueName: "file")) var out: String?
        @Option(help: ArgumentHelp("Append into this log (created if missing).", valueName: "dir")) var log: String?

        func validate() throws {
            guard vms >= 1 else { throw ValidationError("--vms must be at least 1, got \(vms)") }
            guard (1...120).contains(months) else { throw ValidationError("--months must be 1...120, got \(months)") }
            guard (0...1).contains(late) else { throw ValidationError("--late is a fraction, 0...1, got \(late)") }
            try Output.validate(out)
            if out != nil && log != nil { throw ValidationError("--out and --log contradict each other: give one") }
        }

        func run() throws {
            let simulator = FleetSimulator(SimulationConfig(vms: vms, months: months, seed: seed, late: late, ids: ids))
            var count = 0
            if let log {
                let store = FileLog.exists(at: log) ? try FileLog.open(at: log, options: LogOptions(sync: .none)) : try FileLog.create(at: log, options: LogOptions(sync: .none))
                let target = HotpatchLog(store: store)
                var batch: [Event] = []
                try store.transaction {
                    try simulator.run { event in
                        batch.append(event)
                        count += 1
                        if batch.count == 4096 { _ = try target.append(batch); batch.removeAll(keepingCapacity: true) }
                    }
                    _ = try target.append(batch)
                }
                LogLocation.finish(store)
                Terminal.note("simulated \(Terminal.grouped(count)) events into \(log)")
                return
            }
            let handle = try Output.open(out)
            var text = JSONText()
            try simulator.run { event in
                EventJSONEncoder.write(event, into: &text)
                text.newline()
                count += 1
                if text.bytes.count >= 1 << 20 { try handle.writeNext(text.bytes); text.clear() }
            }
            try handle.writeNext(text.bytes)
            try handle.commit()
            if out != nil { Terminal.note("simulated \(Terminal.grouped(count)) events into \(out!)") }
        }
    }
}
