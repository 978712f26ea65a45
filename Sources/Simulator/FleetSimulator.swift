import Events
import Randomness

/// What to simulate.
public struct SimulationConfig: Sendable {
    /// Number of VMs.
    public var vms: Int
    /// Number of months, from January 2025.
    public var months: Int
    /// The seed: the same seed gives the same history, byte for byte.
    public var seed: UInt64
    /// The fraction of events appended at the end, out of time order.
    public var late: Double

    /// A configuration.
    public init(vms: Int, months: Int, seed: UInt64, late: Double = 0) {
        self.vms = vms
        self.months = months
        self.seed = seed
        self.late = late
    }
}

/// A deterministic history of a fleet under Hotpatch, following domain.md: the
/// release calendar, subscriptions registering the preview features, VMs registered
/// with their images, periodic and on-demand assessments, automatic installs of
/// Critical and Security updates within 30 days in the VM's off-peak hours
/// (hotpatches only on the matching baseline, the cumulative update with a reboot
/// for VMs not enrolled), reboots (some late, some failed and retried), failed
/// installs retried, rollbacks to the last good baseline, power-off periods, and
/// enrolment turned off and on.
///
/// Events come out in time order (month by month), then the `late` fraction.
public struct FleetSimulator {
    /// The configuration.
    public let config: SimulationConfig
    /// The release calendar.
    public let calendar: ReleaseCalendar

    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 24 * hour

    /// A simulator; the calendar is fixed by the seed.
    public init(_ config: SimulationConfig) {
        self.config = config
        var g = SplitMix64(seed: config.seed)
        calendar = ReleaseCalendar(year: 2025, firstMonth: 1, count: config.months, random: &g)
    }

    /// Generates the history, calling `emit` with each event in output order.
    public func run(_ emit: (Event) throws -> Void) rethrows {
        let start = Timestamp.daysFromCivilPublic(year: 2025, month: 1, day: 1)
        let monthStarts: [Int64] = (0...config.months).map { i in
            Int64(Timestamp.daysFromCivilPublic(year: 2025 + i / 12, month: i % 12 + 1, day: 1)) * Self.day
        }
        let startNs = Int64(start) * Self.day
        var lateRandom = SplitMix64(seed: config.seed ^ 0x1A7E)
        var late: [Event] = []
        func out(_ batch: [Event]) throws {
            for e in batch {
                if config.late > 0, Double(lateRandom.next() % 1_000_000) / 1_000_000 < config.late { late.append(e) } else { try emit(e) }
            }
        }

        // Before the first month: releases already out, subscriptions registering the
        // preview features, VMs registered.
        var opening: [(Int64, Int, Event)] = []
        var n = 0
        func add(_ e: Event, into list: inout [(Int64, Int, Event)]) { list.append((e.time.nanoseconds, n, e)); n += 1 }
        for r in calendar.releases where r.time.nanoseconds < startNs { add(r, into: &opening) }
        for s in 0..<max(1, (config.vms + 499) / 500) {
            let sub = VMProfile.subscription(s)
            let t = startNs - 20 * Self.day + Int64(s) * Self.hour
            for (k, feature) in ["InGuestHotPatchVMPreview", "InGuestAutoPatchVMPreview", "InGuestPatchVMPreview"].enumerated() {
                add(Event(id: "feat-\(s)-\(k)-a", time: Timestamp(nanoseconds: t), body: .featureRegistration(FeatureRegistration(
                    subscription: sub, feature: "Microsoft.Compute/\(feature)", state: .registering))), into: &opening)
                add(Event(id: "feat-\(s)-\(k)-b", time: Timestamp(nanoseconds: t + 12 * 60_000_000_000), body: .featureRegistration(FeatureRegistration(
                    subscription: sub, feature: "Microsoft.Compute/\(feature)", state: .registered))), into: &opening)
            }
            add(Event(id: "prov-\(s)", time: Timestamp(nanoseconds: t + 20 * 60_000_000_000), body: .providerRegistration(ProviderRegistration(
                subscription: sub, namespace: "Microsoft.Compute", state: .registered))), into: &opening)
        }
        var vms: [SimulatedVM] = (0..<config.vms).map { i in
            SimulatedVM(index: i, seed: config.seed, calendar: calendar, registeredAt: startNs - 15 * Self.day + Int64(i % 1440) * 60_000_000_000)
        }
        for i in vms.indices { for e in vms[i].opening() { add(e, into: &opening) } }
        try out(opening.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2))

        for m in 0..<config.months {
            var bucket: [(Int64, Int, Event)] = []
            for r in calendar.releases where r.time.nanoseconds >= monthStarts[m] && r.time.nanoseconds < monthStarts[m + 1] { add(r, into: &bucket) }
            for i in vms.indices {
                for e in vms[i].simulate(month: m, from: monthStarts[m], until: monthStarts[m + 1]) { add(e, into: &bucket) }
            }
            try out(bucket.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2))
        }
        for e in late { try emit(e) }
    }
}

