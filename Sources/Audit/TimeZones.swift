/// UTC offsets of the time zone names a `vm.registered` event may carry (Windows
/// names, as Azure gives them, and common IANA names), so that an install's local
/// time can be judged without a time zone database (the library links no
/// Foundation).
///
/// The offsets are standard time: daylight saving time is not applied, so an
/// install in summer in a zone that observes it is judged an hour off (docs/audit.md).
/// A name not in the table is an unknown time zone, and the off-peak rule does not
/// apply to that VM.
public enum TimeZones {
    /// Name (lower case) → minutes east of UTC.
    static let offsets: [String: Int] = {
        let table: [(String, Int)] = [
            ("UTC", 0), ("Etc/UTC", 0), ("GMT Standard Time", 0), ("Greenwich Standard Time", 0), ("Europe/London", 0), ("Europe/Dublin", 0),
            ("W. Europe Standard Time", 60), ("Central Europe Standard Time", 60), ("Romance Standard Time", 60), ("Central European Standard Time", 60),
            ("Europe/Berlin", 60), ("Europe/Paris", 60), ("Europe/Amsterdam", 60), ("Europe/Madrid", 60), ("Europe/Rome", 60), ("Europe/Vienna", 60),
            ("Europe/Zurich", 60), ("Europe/Stockholm", 60), ("Europe/Warsaw", 60),
            ("GTB Standard Time", 120), ("E. Europe Standard Time", 120), ("FLE Standard Time", 120), ("South Africa Standard Time", 120),
            ("Europe/Helsinki", 120), ("Europe/Athens", 120), ("Africa/Johannesburg", 120),
            ("Russian Standard Time", 180), ("Arab Standard Time", 180), ("Europe/Moscow", 180), ("Asia/Riyadh", 180),
            ("Arabian Standard Time", 240), ("Asia/Dubai", 240),
            ("India Standard Time", 330), ("Asia/Kolkata", 330), ("Asia/Calcutta", 330),
            ("SE Asia Standard Time", 420), ("Asia/Bangkok", 420), ("Asia/Jakarta", 420),
            ("China Standard Time", 480), ("Singapore Standard Time", 480), ("Taipei Standard Time", 480), ("W. Australia Standard Time", 480),
            ("Asia/Shanghai", 480), ("Asia/Singapore", 480), ("Asia/Hong_Kong", 480), ("Asia/Taipei", 480), ("Australia/Perth", 480),
            ("Tokyo Standard Time", 540), ("Korea Standard Time", 540), ("Asia/Tokyo", 540), ("Asia/Seoul", 540),
            ("AUS Eastern Standard Time", 600), ("E. Australia Standard Time", 600), ("Australia/Sydney", 600), ("Australia/Melbourne", 600), ("Australia/Brisbane", 600),
            ("New Zealand Standard Time", 720), ("Pacific/Auckland", 720),
            ("E. South America Standard Time", -180), ("America/Sao_Paulo", -180),
            ("Atlantic Standard Time", -240), ("America/Halifax", -240),
            ("Eastern Standard Time", -300), ("America/New_York", -300), ("America/Toronto", -300),
            ("Central Standard Time", -360), ("America/Chicago", -360), ("Central Standard Time (Mexico)", -360), ("America/Mexico_City", -360),
            ("Mountain Standard Time", -420), ("US Mountain Standard Time", -420), ("America/Denver", -420), ("America/Phoenix", -420),
            ("Pacific Standard Time", -480), ("America/Los_Angeles", -480), ("America/Vancouver", -480),
            ("Alaskan Standard Time", -540), ("America/Anchorage", -540),
            ("Hawaiian Standard Time", -600), ("Pacific/Honolulu", -600),
        ]
        var map: [String: Int] = [:]
        for (name, minutes) in table { map[name.lowercased()] = minutes }
        return map
    }()

    /// Minutes east of UTC of a time zone name (any case), or nil when unknown.
    public static func offsetMinutes(_ name: String) -> Int? {
        offsets[name.lowercased()]
    }

    /// `UTC+09:00`, `UTC-05:00`, `UTC+05:30`.
    public static func label(offsetMinutes m: Int) -> String {
        let a = abs(m)
        return "UTC" + (m < 0 ? "-" : "+") + OffPeakWindow.clock(a)
    }
}
