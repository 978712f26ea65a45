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

    /// The width a month label needs on the axis, in SVG units: the tick font draws
    /// about 7 units a character, with a gap after.
    static func labelWidth(_ label: String) -> Double { Double(label.count) * 7 + 8 }

    /// The first moment of each month that begins within the range, with its label
    /// (`Mar`; the year too for January and the first month labelled: `Jan 2025`),
    /// or an empty label where there is no room: every month keeps its grid line,
    /// but only every 1, 2, 3, 4, 6 or 12 months (or whole years) is named, the
    /// fewest that keep the labels from overlapping. January is always one of them.
    var monthStarts: [(Timestamp, String)] {
        var months: [(Timestamp, Int, Int)] = []
        var (y, m) = Self.yearMonth(start)
        while true {
            let t = Self.monthStart(y, m)
            if t > end { break }
            if t >= start { months.append((t, y, m)) }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        // The width of the shortest month (28 days), so that no two labels come closer.
        let perMonth = width * 2_419_200_000_000_000 / Double(max(1, end.nanoseconds - start.nanoseconds))
        let needed = Self.labelWidth("Sep 2025")
        var step = 1
        for s in [1, 2, 3, 4, 6, 12] + (2...200).map({ $0 * 12 }) where Double(s) * perMonth >= needed {
            step = s
            break
        }
        var out: [(Timestamp, String)] = []
        var labelled = false
        for (t, y, m) in months {
            let named = step <= 12 ? (m - 1) % step == 0 : m == 1 && y % (step / 12) == 0
            guard named else { out.append((t, "")); continue }
            out.append((t, m == 1 || !labelled ? Self.monthNames[m - 1] + " " + String(y) : Self.monthNames[m - 1]))
            labelled = true
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
