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
            if let vm, replayer.log.knownVM(vm) == nil {
                throw CommandFailure("the log has no events of VM \(vm)" + suggestion(for: vm, in: replayer.log))
            }
            let report = try AuditReport.render(replayer, ReportRequest(vm: vm, at: moment, asRecorded: recorded.asRecorded, timelines: timelines,
                                                                        since: span.since, until: span.until, policy: policy.policy(replayer)))
            let html = report.html
            let file = try Output.open(out)
            try file.writeNext(Array(html.utf8))
            try file.commit()
            Terminal.note("wrote \(out): \(report.findings) findings, \(report.timelines) timelines")
        }
    }
}
