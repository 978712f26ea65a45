import EventLog
import Events
import Replay

/// Leaves out the observations timed by the clock (a VM snapshot, a feature or
/// provider state, with no time of their own) that tell the log nothing new: the
/// log (or an earlier event of the same import) already has that state at that
/// moment. Importing `az feature show` after the dated registration it confirms, or
/// `az vm show` of settings the log has, appends nothing. Observations with a time of
/// their own are always kept (their ids make them idempotent): skipping them could
/// make the answers depend on the order files are imported in.
struct ObservationFilter {
    let log: HotpatchLog

    /// `events` less those left out, which are listed in ``AzureImportReport/alreadyKnown``.
    func newFacts(_ events: [Event], _ report: inout AzureImportReport) throws -> [Event] {
        var kept: [Event] = []
        var registrations: [(sequence: UInt64, event: Event)]?
        for event in events {
            guard FactComparison.isClockTimed(event) else { kept.append(event); continue }
            let earlier = kept.last { sameSubject($0, event) }
            let known: Bool
            if let earlier {
                known = earlier.body == event.body
            } else {
                switch event.body {
                case let .vmRegistered(r):
                    let state = try Replayer(log: log).state(ofVM: event.vm ?? "", at: event.time)
                    known = state.registered && state.registration == r && state.hotpatchEnabled == r.hotpatch
                case .featureRegistration, .providerRegistration:
                    if registrations == nil { registrations = try log.registrations() }
                    let latest = registrations!.filter { sameSubject($0.event, event) && $0.event.time <= event.time }
                        .max { ($0.event.time, $0.sequence) < ($1.event.time, $1.sequence) }
                    known = latest?.event.body == event.body
                default:
                    known = false
                }
            }
            if known { report.alreadyKnown.append(event.id) } else { kept.append(event) }
        }
        return kept
    }

    /// Whether two events are observations of the same thing.
    private func sameSubject(_ a: Event, _ b: Event) -> Bool {
        switch (a.body, b.body) {
        case (.vmRegistered, .vmRegistered): return a.vm?.lowercased() == b.vm?.lowercased()
        case let (.featureRegistration(x), .featureRegistration(y)):
            return x.subscription.lowercased() == y.subscription.lowercased() && x.feature.lowercased() == y.feature.lowercased()
        case let (.providerRegistration(x), .providerRegistration(y)):
            return x.subscription.lowercased() == y.subscription.lowercased() && x.namespace.lowercased() == y.namespace.lowercased()
        default: return false
        }
    }
}
