import Audit
import Events
import Replay

/// What a report covers: the fleet or one VM, at a moment, as the log knew it then;
/// what `patchlog report` and `patchlog serve`'s `GET /` and `GET /vm` are asked.
public struct ReportRequest: Sendable {
    /// The VM (its id as the log knows it); nil: the fleet.
    public var vm: String?
    /// The moment audited.
    public var at: Timestamp
    /// Fold only the events appended up to this sequence number.
    public var asRecorded: UInt64?
    /// With the fleet: how many VM timelines to draw (those with the most findings).
    public var timelines: Int
    /// The range shown (findings, charts); nil: as ``ReportInput`` says.
    public var since: Timestamp?
    public var until: Timestamp?
    /// The audit's thresholds (with the supported image list in force).
    public var policy: AuditPolicy

    /// A request; `timelines` defaults to 12, as `patchlog report`'s does.
    public init(vm: String? = nil, at: Timestamp, asRecorded: UInt64? = nil, timelines: Int = 12,
                since: Timestamp? = nil, until: Timestamp? = nil, policy: AuditPolicy) {
        self.vm = vm
        self.at = at
        self.asRecorded = asRecorded
        self.timelines = timelines
        self.since = since
        self.until = until
        self.policy = policy
    }
}

/// A report made: the HTML page, and what it holds (for the command's note).
public struct RenderedReport: Sendable {
    /// The self-contained HTML page.
    public let html: String
    /// Findings in the range shown.
    public let findings: Int
    /// VM timelines drawn.
    public let timelines: Int
}

extension AuditReport {
    /// A VM the log has no events of: there is nothing to report on.
    public struct UnknownVM: Error, Sendable {
        /// The VM asked for.
        public let vm: String
    }

    /// Audits the log `replayer` reads as `request` says and renders the page: the one
    /// path `patchlog report` and `patchlog serve` share, so that both give the same
    /// bytes for the same question.
    /// - Throws: ``UnknownVM`` when `request.vm` is a VM the log has no events of; the
    ///   log's errors.
    public static func render(_ replayer: Replayer, _ request: ReportRequest) throws -> RenderedReport {
        let asRecorded = request.asRecorded ?? .max
        let result: AuditResult
        var drawn: [String]
        var chosen: String?
        if let vm = request.vm {
            guard let known = replayer.log.knownVM(vm) else { throw UnknownVM(vm: vm) }
            // One VM's audit reads its stream only, not the whole log.
            result = try Audit.run(replayer, vm: known, at: request.at, asRecorded: asRecorded, policy: request.policy)
            drawn = [known]
        } else {
            result = try Audit.run(replayer, at: request.at, asRecorded: asRecorded, policy: request.policy)
            var counts: [String: Int] = [:]
            for f in result.findings(since: request.since, until: request.until) { counts[f.vm, default: 0] += 1 }
            drawn = result.vms.map(\.vm).sorted { (-(counts[$0] ?? 0), $0) < (-(counts[$1] ?? 0), $1) }
            if drawn.count > request.timelines {
                drawn = Array(drawn.prefix(request.timelines))
                chosen = "The \(request.timelines) VMs with the most findings (of \(result.vms.count)); patchlog report --vm V draws any other."
            }
        }
        let lines = try drawn.map { try VMTimeline(replayer, vm: $0, at: request.at, asRecorded: asRecorded) }
        let releases = try replayer.catalog(asRecorded: asRecorded).entries.values.sorted { ($0.publishedAt, $0.sequence) < ($1.publishedAt, $1.sequence) }
        let html = Self.html(ReportInput(scope: request.vm.flatMap { replayer.log.knownVM($0) } ?? "fleet", result: result, releases: releases,
                                         timelines: lines, timelinesChosen: chosen, since: request.since, until: request.until))
        return RenderedReport(html: html, findings: result.findings(since: request.since, until: request.until).count, timelines: lines.count)
    }
}
