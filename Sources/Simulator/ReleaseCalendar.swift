import Events

/// The release calendar of docs/domain.md for a run of months: on each Patch Tuesday
/// (the second Tuesday, 18:00 UTC) a baseline (planned in January, April, July and
/// October; unplanned ones replace some hotpatch months) or a hotpatch built on the
/// current baseline; in hotpatch months the cumulative update for VMs outside the
/// program; every third month a .NET update; every month a definition update that
/// is never installed automatically.
public struct ReleaseCalendar: Sendable {
    /// What one month released.
    public struct Month: Sendable {
        /// Patch Tuesday, 18:00 UTC.
        public var patchTuesday: Timestamp
        /// The baseline in force after this month's releases.
        public var baseline: KB
        /// This month's baseline, if it is a baseline month.
        public var newBaseline: KB?
        /// This month's hotpatch, if it is a hotpatch month.
        public var hotpatch: KB?
        /// The cumulative update for VMs not enrolled (the baseline itself in baseline months).
        public var cumulative: KB
        /// A .NET update (needs a reboot), some months.
        public var dotnet: KB?
        /// The definition update (not installed automatically).
        public var definition: KB
    }

    /// The months, in order.
    public let months: [Month]
    /// The release events, in time order.
    public let releases: [Event]
    /// The baseline before the first month (released the October before).
    public let initialBaseline: KB

    /// The calendar of `count` months from `year`-`firstMonth`, with unplanned
    /// baselines chosen by `random`.
    public init(year: Int, firstMonth: Int, count: Int, random: inout some RandomNumberGenerator) {
        var months: [Month] = []
        var releases: [Event] = []
        var nextKB: UInt64 = 5_040_000
        func newKB() -> KB { nextKB += 17; return KB(nextKB) }
        let initial = newKB()
        initialBaseline = initial
        let start = Self.patchTuesday(year: year, month: firstMonth == 1 ? 10 : firstMonth, yearOffset: firstMonth == 1 ? -1 : 0)
        releases.append(Event(id: "rel-\(initial)", time: Timestamp(nanoseconds: start.nanoseconds - 90 * 86_400_000_000_000), body: .release(Release(
            kb: initial, kind: .baseline, planned: true, classifications: ["Critical", "Security"], title: "Cumulative Update (baseline)"))))
        var baseline = initial
        for i in 0..<count {
            let m0 = firstMonth - 1 + i
            let (y, m) = (year + m0 / 12, m0 % 12 + 1)
            let tuesday = Self.patchTuesday(year: y, month: m, yearOffset: 0)
            let label = "\(y)-\(m < 10 ? "0" : "")\(m)"
            let planned = (m - 1) % 3 == 0
            let unplanned = !planned && Int.random(in: 0..<6, using: &random) == 0
            var month = Month(patchTuesday: tuesday, baseline: baseline, newBaseline: nil, hotpatch: nil, cumulative: baseline, dotnet: nil, definition: newKB())
            if planned || unplanned {
                let kb = newKB()
                baseline = kb
                month.newBaseline = kb
                month.baseline = kb
                month.cumulative = kb
                releases.append(Event(id: "rel-\(kb)", time: tuesday, body: .release(Release(
                    kb: kb, kind: .baseline, planned: planned, classifications: ["Critical", "Security"],
                    title: "\(label) Cumulative Update (\(planned ? "planned" : "unplanned") baseline)"))))
            } else {
                let hp = newKB()
                month.hotpatch = hp
                releases.append(Event(id: "rel-\(hp)", time: tuesday, body: .release(Release(
                    kb: hp, kind: .hotpatch, baseline: baseline, classifications: ["Security"], title: "\(label) Hotpatch"))))
                let cu = newKB()
                month.cumulative = cu
                releases.append(Event(id: "rel-\(cu)", time: tuesday, body: .release(Release(
                    kb: cu, kind: .other, classifications: ["Critical", "Security"], title: "\(label) Cumulative Update (not enrolled)"))))
            }
            if i % 3 == 1 {
                let kb = newKB()
                month.dotnet = kb
                releases.append(Event(id: "rel-\(kb)", time: tuesday, body: .release(Release(
                    kb: kb, kind: .other, classifications: ["Security"], title: "\(label) .NET Framework update"))))
            }
            releases.append(Event(id: "rel-\(month.definition)", time: Timestamp(nanoseconds: tuesday.nanoseconds + 3_600_000_000_000), body: .release(Release(
                kb: month.definition, kind: .other, classifications: ["Definition"], title: "\(label) Defender definitions"))))
            months.append(month)
        }
        self.months = months
        self.releases = releases
    }

    /// 18:00 UTC on the second Tuesday of a month.
    static func patchTuesday(year: Int, month: Int, yearOffset: Int) -> Timestamp {
        let first = Timestamp.daysFromCivilPublic(year: year + yearOffset, month: month, day: 1)
        let weekday = ((first % 7) + 7 + 3) % 7 // 0 = Monday; 1970-01-01 was a Thursday
        let firstTuesday = 1 + (1 - weekday + 7) % 7
        let day = firstTuesday + 7
        return Timestamp(nanoseconds: (Int64(Timestamp.daysFromCivilPublic(year: year + yearOffset, month: month, day: day)) * 86_400 + 18 * 3600) * 1_000_000_000)
    }
}
