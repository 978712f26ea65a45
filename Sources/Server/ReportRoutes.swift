import Audit
import Events
import Hummingbird
import Replay
import Report

/// The HTML audit report, rendered live from the newest committed view by the same
/// code as `patchlog report` (``AuditReport/render(_:_:)``): `GET /` for the fleet,
/// `GET /vm?vm=` for one VM.
enum ReportRoutes {
    /// The most timelines `GET /?timelines=` draws (each is a pass over a VM's events).
    static let maxTimelines: UInt64 = 200

    /// `GET /?at=&asRecorded=&since=&until=&timelines=`: `patchlog report --fleet`.
    static func fleet(_ q: Query, _ view: LogView) throws -> Response {
        let timelines = try q.sequence("timelines") ?? 12
        guard timelines <= maxTimelines else { throw Problem.bad("timelines", "timelines \(timelines) is more than \(maxTimelines)") }
        return try page(q, view, vm: nil, timelines: Int(timelines))
    }

    /// `GET /vm?vm=&at=&asRecorded=&since=&until=`: `patchlog report --vm V`.
    static func vm(_ q: Query, _ view: LogView) throws -> Response {
        try page(q, view, vm: try q.required("vm"), timelines: 12)
    }

    /// The page, audited at `at=` (default, as the command's: the time of the log's
    /// last event, else now).
    private static func page(_ q: Query, _ view: LogView, vm: String?, timelines: Int) throws -> Response {
        let since = try q.time("since"), until = try q.time("until")
        if let since, let until, since > until { throw Problem.bad("until", "until \(until) is before since \(since)") }
        let asRecorded = try q.sequence("asRecorded", from1: true)
        let snapshot = view.snapshot
        let last = try snapshot.store.statistics().timeRange.map { Timestamp(nanoseconds: $0.upperBound) }
        let moment = try q.time("at") ?? last ?? QueryRoutes.now()
        let html = try snapshot.run(at: moment, asRecorded: asRecorded ?? .max) { r -> String in
            let resolved = try vm.map { try QueryRoutes.resolve($0, r) }
            let request = ReportRequest(vm: resolved, at: moment, asRecorded: asRecorded, timelines: timelines,
                                        since: since, until: until, policy: QueryRoutes.policy(r))
            do { return try AuditReport.render(r, request).html } catch let unknown as AuditReport.UnknownVM {
                throw Problem(.notFound, "the log has no events of VM \(unknown.vm)", parameter: "vm")
            }
        }
        return PatchlogServer.text(html, "text/html; charset=utf-8")
    }
}
