import Audit
import Events
import Hummingbird
import Answers
import Replay
import Report
import SystemIO

/// The replay queries over HTTP: each answers with exactly the bytes its command
/// prints with `--format json` (the same functions make them).
enum QueryRoutes {
    /// `GET /v1/state?vm=&at=&asRecorded=`.
    static func state(_ q: Query, _ view: LogView) throws -> String {
        let vm = try q.required("vm")
        let moment = try q.time("at") ?? now()
        let asRecorded = try q.sequence("asRecorded", from1: true)
        let snapshot = view.snapshot
        // Asked at or after the log's last event, as the log is now: every event of the VM.
        let complete = moment.nanoseconds >= snapshot.lastTime ?? .min && asRecorded ?? .max >= snapshot.count
        let key = complete ? StateCache.Key.complete : StateCache.Key(at: moment.nanoseconds, asRecorded: asRecorded ?? .max)
        return try snapshot.run(at: moment, asRecorded: asRecorded ?? .max) { r in
            let resolved = try resolve(vm, r)
            let known = r.log.knownVM(resolved)
            let state: VMState
            if let known, let kept = view.cache.lookup(known, key, generation: snapshot.count) {
                state = kept
            } else {
                state = try r.state(ofVM: resolved, at: moment, asRecorded: asRecorded ?? .max)
                if let known { view.cache.store(state, known, key, generation: snapshot.count) }
            }
            return QueryOutput.stateJSON(state, at: moment, supportedImage: r.supportedImage(state), asRecorded: asRecorded) + "\n"
        }
    }

    /// `GET /v1/when?kb=&at=&asRecorded=`.
    static func when(_ q: Query, _ view: LogView) throws -> String {
        guard let kb = try q.kb("kb") else { throw Problem.bad("kb", "parameter kb is required") }
        let at = try q.time("at")
        let asRecorded = try q.sequence("asRecorded", from1: true)
        return try view.snapshot.run(at: at ?? Timestamp(nanoseconds: .max), asRecorded: asRecorded ?? .max) { r in QueryOutput.whenJSON(try r.installs(of: kb, at: at, asRecorded: asRecorded ?? .max)) + "\n" }
    }

    /// `GET /v1/history?vm=&since=&until=`.
    static func history(_ q: Query, _ view: LogView) throws -> String {
        let vm = try q.required("vm")
        let since = try q.time("since"), until = try q.time("until")
        if let since, let until, until < since { throw Problem.bad("until", "until \(until) is before since \(since)") }
        return try view.snapshot.run { r in
            let vm = try resolve(vm, r)
            let entries = QueryOutput.history(try r.events(ofVM: vm, at: until ?? Timestamp(nanoseconds: .max)), since: since)
            return QueryOutput.historyJSON(vm: r.log.knownVM(vm) ?? vm, since: since, until: until, entries) + "\n"
        }
    }

    /// `GET /v1/diff?vm=&from=&to=&asRecorded=`.
    static func diff(_ q: Query, _ view: LogView) throws -> String {
        let vm = try q.required("vm")
        guard let from = try q.time("from") else { throw Problem.bad("from", "parameter from is required") }
        guard let to = try q.time("to") else { throw Problem.bad("to", "parameter to is required") }
        if to < from { throw Problem.bad("to", "to \(to) is before from \(from)") }
        let asRecorded = try q.sequence("asRecorded", from1: true)
        return try view.snapshot.run { r in
            let (_, after, d) = try r.diff(vm: try resolve(vm, r), from: from, to: to, asRecorded: asRecorded ?? .max)
            return QueryOutput.diffJSON(vm: after.vm, from: from, to: to, d, asRecorded: asRecorded) + "\n"
        }
    }

    /// The VM `vm=` means, as `--vm` does: its id, or its name if no other VM has it.
    static func resolve(_ vm: String, _ replayer: Replayer) throws -> String {
        do { return try VMLookup.resolve(vm, in: replayer) } catch {
            throw Problem.bad("vm", "vm \(vm) is the name of \(error.candidates.count) VMs in the log; give one's whole resource id: \(error.candidates.joined(separator: ", "))")
        }
    }

    /// `GET /v1/fleet?at=&asRecorded=`.
    static func fleet(_ q: Query, _ view: LogView) throws -> String {
        let moment = try q.time("at") ?? now()
        let asRecorded = try q.sequence("asRecorded", from1: true)
        return try view.snapshot.run(at: moment, asRecorded: asRecorded ?? .max) { r in
            let rows = try r.fleet(at: moment, asRecorded: asRecorded ?? .max).map { QueryOutput.fleetRow($0, supportedImage: r.supportedImage($0)) }
            return QueryOutput.fleetJSON(rows, at: moment) + "\n"
        }
    }

    /// `GET /v1/findings?at=&since=&until=&asRecorded=`.
    static func findings(_ q: Query, _ view: LogView) throws -> String {
        let moment = try q.time("at") ?? now()
        let since = try q.time("since"), until = try q.time("until")
        if let since, let until, since > until { throw Problem.bad("until", "until \(until) is before since \(since)") }
        let asRecorded = try q.sequence("asRecorded", from1: true)
        return try view.snapshot.run(at: moment, asRecorded: asRecorded ?? .max) { r in
            let result = try Audit.run(r, at: moment, asRecorded: asRecorded ?? .max, policy: policy(r))
            return AuditOutput.findingsJSON(result.findings(since: since, until: until)) + "\n"
        }
    }

    /// `GET /v1/exposure?at=&by=&asRecorded=`.
    static func exposure(_ q: Query, _ view: LogView) throws -> String {
        let moment = try q.time("at") ?? now()
        var by = ExposureSummary.Grouping.kind
        if let text = q["by"] {
            guard let g = ExposureSummary.Grouping(rawValue: text) else {
                throw Problem.bad("by", "by: \"\(text)\" is not a grouping; expected \(ExposureSummary.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            by = g
        }
        let asRecorded = try q.sequence("asRecorded", from1: true)
        return try view.snapshot.run(at: moment, asRecorded: asRecorded ?? .max) { r in
            let result = try Audit.run(r, at: moment, asRecorded: asRecorded ?? .max, policy: policy(r))
            return AuditOutput.exposureJSON(ExposureSummary(result, by: by), at: moment, by: by) + "\n"
        }
    }

    /// The audit policy of the commands' defaults, with the image list in force.
    static func policy(_ replayer: Replayer) -> AuditPolicy {
        var p = AuditPolicy()
        p.supportedImages = replayer.supportedImages
        return p
    }

    static func now() -> Timestamp { Timestamp(nanoseconds: wallClockNanoseconds()) }
}
