import ArgumentParser
import Audit
import Events
import Replay
import Report
import SystemIO

extension Patchlog {
    /// `patchlog report --out FILE.html`.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write the audit as one self-contained HTML file: release calendar, VM timelines, findings, exposure charts.",
            discussion: "The file loads nothing from the network (no script, font or image URL) and prints readably. With --fleet, timelines are drawn for the VMs with the most findings (--timelines).")

        @OptionGroup var options: ReplayOptions
        @OptionGroup var policy: AuditPolicyOptions
        @OptionGroup var recorded: AsRecordedOption
        @OptionGroup var span: SpanOptions

        @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file")) var out: String
        @Option(help: "Report on this VM only: its name, if no other VM in the log has it, else its resource id.") var vm: String?
        @Flag(help: "Report on the whole fleet (the default).") var fleet = false
        @Option(parsing: .unconditional, help: "With --fleet: how many VM timelines to draw.") var timelines = 12
        @Option(help: "The moment audited. Default: the time of the log's last event.", transform: parseTime) var at: Timestamp?

        func validate() throws {
            try validateVM(vm)
            if vm != nil && fleet { throw ValidationError("--vm and --fleet contradict each other: give one") }
            if timelines < 0 { throw ValidationError("--timelines cannot be negative") }
            try Output.validate(out)
        }

        func run() throws {
            let opened = try options.replayer()
            warnIfPastEnd(recorded.asRecorded, in: opened.log)
            let vm = try self.vm.map { try resolveVM($0, in: opened.log) }
            let moment = try at ?? lastEventTime(opened.log) ?? Timestamp(nanoseconds: wallClockNanoseconds())
            // The supported image list in force at the moment, now that it is known.
            let replayer = Replayer(log: opened.log, supportedImages: try options.supportedImages(in: opened.log, at: moment, asRecorded: recorded.asRecorded))
            var result = try Audit.run(replayer, at: moment, asRecorded: recorded.asRecorded ?? .max, policy: policy.policy(replayer))
            var drawn: [String]
            var chosen: String?
            if let vm {
                guard let known = replayer.log.knownVM(vm) else { throw CommandFailure("the log has no events of VM \(vm)" + suggestion(for: vm, in: replayer.log)) }
                result = result.only(vm: known)
                drawn = [known]
            } else {
                var counts: [String: Int] = [:]
                for f in result.findings(since: span.since, until: span.until) { counts[f.vm, default: 0] += 1 }
                drawn = result.vms.map(\.vm).sorted { (-(counts[$0] ?? 0), $0) < (-(counts[$1] ?? 0), $1) }
                if drawn.count > timelines {
                    drawn = Array(drawn.prefix(timelines))
                    chosen = "The \(timelines) VMs with the most findings (of \(result.vms.count)); patchlog report --vm V draws any other."
                }
            }
            let lines = try drawn.map { try VMTimeline(replayer, vm: $0, at: moment, asRecorded: recorded.asRecorded ?? .max) }
            let releases = try replayer.catalog(asRecorded: recorded.asRecorded ?? .max).entries.values.sorted { ($0.publishedAt, $0.sequence) < ($1.publishedAt, $1.sequence) }
            let html = AuditReport.html(ReportInput(scope: vm.flatMap { replayer.log.knownVM($0) } ?? "fleet", result: result, releases: releases,
                                                    timelines: lines, timelinesChosen: chosen, since: span.since, until: span.until))
            let file = try Output.open(out)
            try file.writeNext(Array(html.utf8))
            try file.commit()
            Terminal.note("wrote \(out): \(result.findings(since: span.since, until: span.until).count) findings, \(lines.count) timelines")
        }
    }
}
