import Events

/// UTC offsets and daylight saving rules of the time zone names a `vm.registered`
/// event may carry (Windows names, as Azure gives them, and common IANA names), so
/// that an install's local time can be judged without a time zone database (the
/// library links no Foundation).
///
/// Zones that observe daylight saving time follow their region's current rule
/// (``DaylightSaving``), applied to every year; the others keep their standard
/// offset all year. A name not in the table is an unknown time zone, and the
/// off-peak rule does not apply to that VM. A VM registered without a time zone is
/// judged in UTC, Azure's default for a VM (docs/audit.md).
public enum TimeZones {
    /// The daylight saving rules of the zones in the table: one hour ahead of
    /// standard time between two transitions each year.
    public enum DaylightSaving: Sendable, Equatable {
        /// European Union (and the UK): from the last Sunday of March at 01:00 UTC
        /// to the last Sunday of October at 01:00 UTC.
        case europe
        /// United States and Canada (since 2007): from the second Sunday of March at
        /// 02:00 local standard time to the first Sunday of November at 02:00 local
        /// daylight time (01:00 standard).
        case northAmerica
        /// South-eastern Australia: from the first Sunday of October at 02:00 local
        /// standard time to the first Sunday of April at 03:00 local daylight time.
        case australia
        /// New Zealand: from the last Sunday of September at 02:00 local standard
        /// time to the first Sunday of April at 03:00 local daylight time.
        case newZealand
    }

    /// A time zone: its standard offset and, if it observes it, its daylight saving rule.
    public struct Zone: Sendable, Equatable {
        /// Minutes east of UTC in standard time.
        public var standardMinutes: Int
        /// The daylight saving rule; nil for a zone that does not observe it.
        public var daylightSaving: DaylightSaving?

        /// UTC itself (the zone of a VM registered without one).
        public static let utc = Zone(standardMinutes: 0, daylightSaving: nil)

        /// Whether daylight saving time is in force at `t`.
        public func isDaylightSaving(at t: Timestamp) -> Bool {
            guard let rule = daylightSaving else { return false }
            let minute = 60_000_000_000 as Int64
            // Minutes since 1970 in UTC, and in local standard time.
            let utcMinutes = Int(t.nanoseconds / minute - (t.nanoseconds % minute < 0 ? 1 : 0))
            let local = utcMinutes + standardMinutes
            let year = TimeZones.year(ofDay: local >= 0 ? local / 1440 : (local - 1439) / 1440)
            switch rule {
            case .europe:
                let start = TimeZones.lastSunday(year, 3) * 1440 + 60, end = TimeZones.lastSunday(year, 10) * 1440 + 60
                return start <= utcMinutes && utcMinutes < end
            case .northAmerica:
                let start = TimeZones.nthSunday(year, 3, 2) * 1440 + 120, end = TimeZones.nthSunday(year, 11, 1) * 1440 + 60
                return start <= local && local < end
            case .australia:
                let end = TimeZones.nthSunday(year, 4, 1) * 1440 + 120, start = TimeZones.nthSunday(year, 10, 1) * 1440 + 120
                return local < end || start <= local
            case .newZealand:
                let end = TimeZones.nthSunday(year, 4, 1) * 1440 + 120, start = TimeZones.lastSunday(year, 9) * 1440 + 120
                return local < end || start <= local
            }
        }

        /// Minutes east of UTC at `t`: the standard offset, plus an hour while
        /// daylight saving time is in force.
        public func offsetMinutes(at t: Timestamp) -> Int {
            standardMinutes + (isDaylightSaving(at: t) ? 60 : 0)
        }
    }

    /// Name (lower case) → zone.
    static let zones: [String: Zone] = {
        let eu = DaylightSaving.europe, na = DaylightSaving.northAmerica, au = DaylightSaving.australia, nz = DaylightSaving.newZealand
        let table: [(String, Int, DaylightSaving?)] = [
            ("UTC", 0, nil), ("Etc/UTC", 0, nil), ("Greenwich Standard Time", 0, nil),
            ("GMT Standard Time", 0, eu), ("Europe/London", 0, eu), ("Europe/Dublin", 0, eu),
            ("W. Europe Standard Time", 60, eu), ("Central Europe Standard Time", 60, eu), ("Romance Standard Time", 60, eu), ("Central European Standard Time", 60, eu),
            ("Europe/Berlin", 60, eu), ("Europe/Paris", 60, eu), ("Europe/Amsterdam", 60, eu), ("Europe/Madrid", 60, eu), ("Europe/Rome", 60, eu), ("Europe/Vienna", 60, eu),
            ("Europe/Zurich", 60, eu), ("Europe/Stockholm", 60, eu), ("Europe/Warsaw", 60, eu),
            ("GTB Standard Time", 120, eu), ("E. Europe Standard Time", 120, eu), ("FLE Standard Time", 120, eu),
            ("Europe/Helsinki", 120, eu), ("Europe/Athens", 120, eu),
            ("South Africa Standard Time", 120, nil), ("Africa/Johannesburg", 120, nil),
            ("Russian Standard Time", 180, nil), ("Arab Standard Time", 180, nil), ("Europe/Moscow", 180, nil), ("Asia/Riyadh", 180, nil),
            ("Arabian Standard Time", 240, nil), ("Asia/Dubai", 240, nil),
            ("India Standard Time", 330, nil), ("Asia/Kolkata", 330, nil), ("Asia/Calcutta", 330, nil),
            ("SE Asia Standard Time", 420, nil), ("Asia/Bangkok", 420, nil), ("Asia/Jakarta", 420, nil),
            ("China Standard Time", 480, nil), ("Singapore Standard Time", 480, nil), ("Taipei Standard Time", 480, nil), ("W. Australia Standard Time", 480, nil),
            ("Asia/Shanghai", 480, nil), ("Asia/Singapore", 480, nil), ("Asia/Hong_Kong", 480, nil), ("Asia/Taipei", 480, nil), ("Australia/Perth", 480, nil),
            ("Tokyo Standard Time", 540, nil), ("Korea Standard Time", 540, nil), ("Asia/Tokyo", 540, nil), ("Asia/Seoul", 540, nil),
            ("AUS Eastern Standard Time", 600, au), ("Australia/Sydney", 600, au), ("Australia/Melbourne", 600, au),
            ("E. Australia Standard Time", 600, nil), ("Australia/Brisbane", 600, nil),
            ("New Zealand Standard Time", 720, nz), ("Pacific/Auckland", 720, nz),
            // Brazil has kept standard time all year since 2019, Mexico since 2022.
            ("E. South America Standard Time", -180, nil), ("America/Sao_Paulo", -180, nil),
            ("Atlantic Standard Time", -240, na), ("America/Halifax", -240, na),
            ("Eastern Standard Time", -300, na), ("America/New_York", -300, na), ("America/Toronto", -300, na),
            ("Central Standard Time", -360, na), ("America/Chicago", -360, na),
            ("Central Standard Time (Mexico)", -360, nil), ("America/Mexico_City", -360, nil),
            ("Mountain Standard Time", -420, na), ("America/Denver", -420, na),
            ("US Mountain Standard Time", -420, nil), ("America/Phoenix", -420, nil),
            ("Pacific Standard Time", -480, na), ("America/Los_Angeles", -480, na), ("America/Vancouver", -480, na),
            ("Alaskan Standard Time", -540, na), ("America/Anchorage", -540, na),
            ("Hawaiian Standard Time", -600, nil), ("Pacific/Honolulu", -600, nil),
        ]
        var map: [String: Zone] = [:]
        for (name, minutes, rule) in table { map[name.lowercased()] = Zone(standardMinutes: minutes, daylightSaving: rule) }
        return map
    }()

    /// The zone of a time zone name (any case), or nil when unknown.
    public static func zone(_ name: String) -> Zone? {
        zones[name.lowercased()]
    }

    /// Minutes east of UTC of a time zone name (any case) in standard time, or nil
    /// when unknown.
    public static func offsetMinutes(_ name: String) -> Int? {
        zones[name.lowercased()]?.standardMinutes
    }

    /// `UTC+09:00`, `UTC-05:00`, `UTC+05:30`.
    public static func label(offsetMinutes m: Int) -> String {
        let a = abs(m)
        return "UTC" + (m < 0 ? "-" : "+") + OffPeakWindow.clock(a)
    }

    // MARK: calendar arithmetic (days since 1970-01-01)

    /// The year of a day.
    static func year(ofDay day: Int) -> Int {
        var y = 1970 + Int((Double(day) / 365.2425).rounded(.down))
        while Timestamp.daysFromCivilPublic(year: y + 1, month: 1, day: 1) <= day { y += 1 }
        while Timestamp.daysFromCivilPublic(year: y, month: 1, day: 1) > day { y -= 1 }
        return y
    }

    /// 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday).
    static func weekday(_ day: Int) -> Int { ((day % 7) + 11) % 7 }

    /// The day of the `n`th Sunday of a month.
    static func nthSunday(_ year: Int, _ month: Int, _ n: Int) -> Int {
        let first = Timestamp.daysFromCivilPublic(year: year, month: month, day: 1)
        return first + (7 - weekday(first)) % 7 + 7 * (n - 1)
    }

    /// The day of the last Sunday of a month.
    static func lastSunday(_ year: Int, _ month: Int) -> Int {
        let last = (month == 12 ? Timestamp.daysFromCivilPublic(year: year + 1, month: 1, day: 1)
                                : Timestamp.daysFromCivilPublic(year: year, month: month + 1, day: 1)) - 1
        return last - weekday(last)
    }
}
