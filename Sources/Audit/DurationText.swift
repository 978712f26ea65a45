/// Lengths of time for people: `36.0 h`, `3.5 d`.
public enum DurationText {
    /// Nanoseconds as hours with one decimal below two days, else days with one
    /// decimal (`36.0 h`, `3.5 d`).
    public static func short(_ nanoseconds: Int64) -> String {
        nanoseconds < 2 * Duration.day ? tenths(nanoseconds, Duration.hour) + " h" : tenths(nanoseconds, Duration.day) + " d"
    }

    /// Nanoseconds in hours, rounded to tenths (for JSON and CSV).
    public static func hours(_ nanoseconds: Int64) -> Double {
        Double((nanoseconds * 10 + Duration.hour / 2) / Duration.hour) / 10
    }

    /// `value / unit` with one decimal, rounded half up (`12.5`).
    public static func tenths(_ value: Int64, _ unit: Int64) -> String {
        let t = (value * 10 + unit / 2) / unit
        return String(t / 10) + "." + String(abs(t % 10))
    }
}
