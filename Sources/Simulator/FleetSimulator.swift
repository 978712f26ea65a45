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
    /// The fraction of events delivered late: each is written out a delay after its
    /// own time (log-uniform between one hour and four weeks), after events that
    /// happened later, as when an export arrives late.
    public var late: Double
    /// How events are named.
    public var ids: SimulatedEventIDs

    /// A configuration.
    public init(vms: Int, months: Int, seed: UInt64, late: Double = 0, ids: SimulatedEventIDs = .opaque) {
        self.vms = vms
        self.months = months
        self.seed = seed
        self.late = late
        self.ids = ids
    }
}

/// A deterministic history of a fleet under Hotpatch, following docs/domain.md: the
/// release calendar, subscriptions registering the preview features, VMs registered
/// with their images, periodic and on-demand assessments, automatic installs of
/// Critical and Security updates within 30 days in the VM's off-peak hours
/// (hotpatches only on the matching baseline, the cumulative update for VMs not
/// enrolled), reboots (some late, some failed and retried), failed installs
/// retried, rollbacks to the last good baseline, power-off periods, and enrolment
/// turned off and on. Every assessment and install has its own random GUID activity
/// id, as Azure gives.
///
/// Events come out in delivery order: an event on time is delivered at its own
/// time, a late one (the `late` fraction) a delay after it. The fleet is simulated in
/// slices of six hours (every VM's events of the slice, sorted by time, with the late
/// events still on their way in a queue), so memory stays bounded however many
/// months: about the VMs' state, one slice of events, and the late ones in flight.
public struct FleetSimulator {
    /// The configuration.
    public let config: SimulationConfig
    /// The release calendar.
    public let calendar: ReleaseCalendar

    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 24 * hour
    /// The length of a slice.
    static let slice: Int64 = 6 * hour

    /// A simulator; the calendar is fixed by the seed.
    public init(_ config: SimulationConfig) {
        self.config = config
        var g = SplitMix64(seed: config.seed)
        calendar = ReleaseCalendar(year: 2025, firstMonth: 1, count: config.months, random: &g)
    }

    /// Generates the history, calling `emit` with each event in output (delivery) order.
    public func run(_ emit: (Event) throws -> Void) rethrows {
        try run(withDeliveryTimes: { event, _ in try emit(event) })
    }

    /// Generates the history, calling `emit` with each event in output order and the
    /// time it is delivered: its own time, or later for a late one. Delivery times
    /// never decrease.
    public func run(withDeliveryTimes emit: (_ event: Event, _ deliveredAt: Timestamp) throws -> Void) rethrows {
        let start = Int64(Timestamp.daysFromCivilPublic(year: 2025, month: 1, day: 1)) * Self.day
        let monthStarts: [Int64] = (0...config.months).map { i in
            Int64(Timestamp.daysFromCivilPublic(year: 2025 + i / 12, month: i % 12 + 1, day: 1)) * Self.day
        }
        let end = monthStarts[config.months]
        // Subscriptions register from 20 days before the first month, VMs from 15 days before.
        let firstSlice = start - 21 * Self.day

        // What no VM makes: releases, and subscriptions registering the preview
        // features. Few; in time order (the order written on ties).
        var fixed: [Event] = calendar.releases
        for s in 0..<max(1, (config.vms + 499) / 500) {
            let sub = VMProfile.subscription(s)
            let t = start - 20 * Self.day + Int64(s) * Self.hour
            for feature in ["InGuestHotPatchVMPreview", "InGuestAutoPatchVMPreview", "InGuestPatchVMPreview"] {
                fixed.append(Event(id: "", time: Timestamp(nanoseconds: t), body: .featureRegistration(FeatureRegistration(
                    subscription: sub, feature: "Microsoft.Compute/\(feature)", state: .registering))))
                fixed.append(Event(id: "", time: Timestamp(nanoseconds: t + 12 * 60_000_000_000), body: .featureRegistration(FeatureRegistration(
                    subscription: sub, feature: "Microsoft.Compute/\(feature)", state: .registered))))
            }
            fixed.append(Event(id: "", time: Timestamp(nanoseconds: t + 20 * 60_000_000_000), body: .providerRegistration(ProviderRegistration(
                subscription: sub, namespace: "Microsoft.Compute", state: .registered))))
        }
        fixed = fixed.enumerated().sorted { ($0.element.time.nanoseconds, $0.offset) < ($1.element.time.nanoseconds, $1.offset) }.map(\.element)

        var vms: [SimulatedVM] = (0..<config.vms).map { i in
            SimulatedVM(index: i, seed: config.seed, calendar: calendar, registeredAt: start - 15 * Self.day + Int64(i % 1440) * 60_000_000_000)
        }
        let machineKeys: [String] = config.ids == .activity ? vms.map { SimulatedIDs.fnv1a64Hex($0.profile.id.lowercased()) } : []
        for i in vms.indices { vms[i].plan(month: 0, from: monthStarts[0], until: monthStarts[1]) }

        var names = EventNamer(ids: config.ids)
        var delivery = Delivery(late: config.late, seed: config.seed)
        var made: [Event] = []
        var slice: [(time: Int64, n: UInt64, event: Event)] = []
        var nextFixed = 0
        func addFixed(before sliceEnd: Int64) {
            while nextFixed < fixed.count && fixed[nextFixed].time.nanoseconds < sliceEnd {
                let n = names.counter
                slice.append((fixed[nextFixed].time.nanoseconds, n, names.name(fixed[nextFixed], machineKey: nil)))
                nextFixed += 1
            }
        }
        func deliverSlice() throws {
            slice.sort { ($0.time, $0.n) < ($1.time, $1.n) }
            for k in slice { try delivery.offer(k.event, sequence: k.n, emit) }
            slice.removeAll(keepingCapacity: true)
        }

        // Releases before the first slice (the baseline of the October before).
        addFixed(before: firstSlice)
        try deliverSlice()
        var month = 1
        var t = firstSlice
        while t < end {
            if month < config.months && t == monthStarts[month] {
                for i in vms.indices { vms[i].plan(month: month, from: monthStarts[month], until: monthStarts[month + 1]) }
                month += 1
            }
            let sliceEnd = min(t + Self.slice, monthStarts[month])
            addFixed(before: sliceEnd)
            for i in vms.indices {
                vms[i].advance(until: sliceEnd, into: &made)
                for e in made {
                    let n = names.counter
                    slice.append((e.time.nanoseconds, n, names.name(e, machineKey: machineKeys.isEmpty ? nil : machineKeys[i])))
                }
                made.removeAll(keepingCapacity: true)
            }
            try deliverSlice()
            t = sliceEnd
        }
        try delivery.finish(emit)
    }
}

/// Names events in generation order: a fleet-wide counter (`evt-` and 10 hex
/// digits), or the Azure importer's id for assessments and installs.
struct EventNamer {
    let ids: SimulatedEventIDs
    /// Events named so far; the next one's number.
    var counter: UInt64 = 0

    /// `event` with its id.
    mutating func name(_ event: Event, machineKey: String?) -> Event {
        var e = event
        defer { counter += 1 }
        if ids == .activity, let machineKey {
            switch e.body {
            case .assessment: e.id = SimulatedIDs.azureAssessment(machineKey: machineKey, start: e.time); return e
            case let .install(i): e.id = SimulatedIDs.azure("install", activity: i.activityId, machineKey: machineKey); return e
            default: break
            }
        }
        e.id = SimulatedIDs.opaque(counter)
        return e
    }
}

/// Delivery order: events on time go out at their own time; a late one waits in a
/// queue (a binary heap by delivery time) until the events delivered before it have
/// gone out. Which events are late, and by how much, is drawn in time order from a
/// generator of its own.
struct Delivery {
    let late: Double
    var random: SplitMix64
    var waiting: [(at: Int64, n: UInt64, event: Event)] = []

    init(late: Double, seed: UInt64) {
        self.late = late
        random = SplitMix64(seed: seed ^ 0x1A7E)
    }

    /// Takes the next event in time order: emits it now, after the late ones due by
    /// its time, or queues it if it is late.
    mutating func offer(_ event: Event, sequence n: UInt64, _ emit: (Event, Timestamp) throws -> Void) rethrows {
        let t = event.time.nanoseconds
        if late > 0, Double(random.next() >> 11) * 0x1p-53 < late {
            push((t + DeliveryDelay.seconds(random.next()) * 1_000_000_000, n, event))
            return
        }
        while let first = waiting.first, first.at <= t {
            let e = pop()
            try emit(e.event, Timestamp(nanoseconds: e.at))
        }
        try emit(event, event.time)
    }

    /// Emits every late event still waiting, in delivery order.
    mutating func finish(_ emit: (Event, Timestamp) throws -> Void) rethrows {
        while !waiting.isEmpty {
            let e = pop()
            try emit(e.event, Timestamp(nanoseconds: e.at))
        }
    }

    static func before(_ a: (at: Int64, n: UInt64, event: Event), _ b: (at: Int64, n: UInt64, event: Event)) -> Bool {
        (a.at, a.n) < (b.at, b.n)
    }

    mutating func push(_ e: (at: Int64, n: UInt64, event: Event)) {
        waiting.append(e)
        var i = waiting.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(waiting[i], waiting[parent]) else { break }
            waiting.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (at: Int64, n: UInt64, event: Event) {
        waiting.swapAt(0, waiting.count - 1)
        let top = waiting.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < waiting.count && Self.before(waiting[l], waiting[m]) { m = l }
            if r < waiting.count && Self.before(waiting[r], waiting[m]) { m = r }
            if m == i { break }
            waiting.swapAt(i, m)
            i = m
        }
        return top
    }
}
