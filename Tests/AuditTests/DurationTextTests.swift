import Audit
import Testing

/// Lengths of time print for any span, however long.
@Suite struct DurationTextTests {
    @Test func longSpansPrintWithoutOverflow() {
        let hour: Int64 = 3_600_000_000_000
        let fortyYears = 14_610 * 24 * hour
        #expect(DurationText.hours(fortyYears) == 350_640)
        #expect(DurationText.short(fortyYears) == "14610.0 d")
        #expect(DurationText.hours(.max) > 2_500_000)
        _ = DurationText.short(.max)
        // Small spans are as before: rounded half up to tenths.
        #expect(DurationText.short(36 * hour) == "36.0 h")
        #expect(DurationText.short(hour / 4) == "0.3 h")
        #expect(DurationText.short(3 * 24 * hour + 12 * hour) == "3.5 d")
        #expect(DurationText.hours(hour + hour / 20) == 1.1)
        #expect(DurationText.tenths(125, 10) == "12.5")
    }
}
