import Events

/// Maps a time range onto a horizontal extent of an SVG, and names the months in it.
struct TimeAxis {
    let start: Timestamp
    let end: Timestamp
    let x0: Double
    let width: Double

    /// The x coordinate of `t`, clamped to the axis.
    func x(_ t: Timestamp) -> Double {
        let span = Double(max(1, end.nanoseconds - start.nanoseconds))
        let f = Double(min(max(t.nanoseconds, start.nanoseconds), end.nanoseconds) - start.nanoseconds) / span
        return x0 + f * width
    }

    /// The first moment of each month that begins within the range, with its label
    /// (`Mar`; the year too for January and the first month shown: `Jan 2025`).
    var monthStarts: [(Timestamp, String)] {
        var out: [(Timestamp, String)] = []
        var (y, m) = Self.yearMonth(start)
        while true {
            let t = Self.monthStart(y, m)
            if t > end { break }
            if t >= start { out.append((t, m == 1 || out.isEmpty ? Self.monthNames[m - 1] + " " + String(y) : Self.monthNames[m - 1])) }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return out
    }

    /// The year and month of `t` (UTC).
    static func yearMonth(_ t: Timestamp) -> (Int, Int) {
        let d = t.description
        return (Int(d.prefix(4)) ?? 1970, Int(d.dropFirst(5).prefix(2)) ?? 1)
    }

    /// 00:00 UTC on the first of a month.
    static func monthStart(_ year: Int, _ month: Int) -> Timestamp {
        Timestamp(nanoseconds: Int64(Timestamp.daysFromCivilPublic(year: year, month: month, day: 1)) * 86_400_000_000_000)
    }

    /// `2025-03`.
    static func label(_ year: Int, _ month: Int) -> String { String(year) + "-" + (month < 10 ? "0" : "") + String(month) }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
