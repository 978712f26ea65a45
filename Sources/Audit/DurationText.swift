/// Lengths of time for people: `36.0 h`, `3.5 d`.
public enum DurationText {
    /// Nanoseconds as hours with one decimal below two days, else days with one
    /// decimal (`36.0 h`, `3.5 d`).
    public static func short(_ nanoseconds: Int64) -> String {
        nanoseconds < 2 * Duration.day ? tenths(nanoseconds, Duration.hour) + " h" : tenths(nanoseconds, Duration.day) + " d"
    }

    /// Nanoseconds in hours, rounded to tenths (for JSON and CSV). Any `Int64` is
    /// accepted: a span of centuries (one event from 1990 against a moment in 2030)
    /// does not overflow.
    public static func hours(_ nanoseconds: Int64) -> Double {
        Double(roundedTenths(nanoseconds, Duration.hour)) / 10
    }

    /// `value / unit` with one decimal, rounded half up (`12.5`).
    public static func tenths(_ value: Int64, _ unit: Int64) -> String {
        let t = roundedTenths(value, unit)
        return (t < 0 ? "-" : "") + String(t.magnitude / 10) + "." + String(t.magnitude % 10)
    }

    /// `value / unit` in tenths, rounded half away from zero, without forming
    /// `value × 10` (which overflows for spans over about 29 years in nanoseconds):
    /// the whole units and the remainder are scaled separately. `unit` is positive.
    static func roundedTenths(_ value: Int64, _ unit: Int64) -> Int64 {
        let magnitude = value.magnitude, u = unit.magnitude
        let whole = magnitude / u, rest = magnitude % u
        // rest < unit, so rest × 10 fits when unit < 2^63 / 10 (an hour or a day does).
        let t = whole * 10 + (rest * 10 + u / 2) / u
        return value < 0 ? -Int64(t) : Int64(t)
    }
}
