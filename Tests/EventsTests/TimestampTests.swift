import Events
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2025-02-19T02:13:45Z", "2025-02-19T02:13:45Z"),
        ("2025-02-19T02:13:45.123Z", "2025-02-19T02:13:45.123Z"),
        ("2025-02-19T02:13:45.1234567Z", "2025-02-19T02:13:45.123456700Z"),
        ("2025-02-19T11:13:45+09:00", "2025-02-19T02:13:45Z"),
        ("2025-02-18T21:43:45.5-04:30", "2025-02-19T02:13:45.500Z"),
        ("2025-02-19", "2025-02-19T00:00:00Z"),
        ("2024-02-29t00:00:00z", "2024-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
    ])
    func parsesRFC3339WithAnyOffsetAndPrintsUTC(input: String, expected: String) throws {
        #expect(try Timestamp(parsing: input).description == expected)
    }

    @Test func millisecondsSurviveExactly() throws {
        let t = try Timestamp(parsing: "2025-02-19T02:13:45.001Z")
        #expect(t.nanoseconds % 1_000_000_000 == 1_000_000)
    }

    @Test(arguments: [
        ("2025-13-01", "month 13"), ("2025-02-29", "day 29"), ("2025-02-19T25:00:00Z", "hour 25"), ("2025-02-19T23:60:00Z", "minute 60"), ("2025-02-19T23:59:61Z", "second 61"),
        ("2025-02-19T02:13:45", "missing offset (Z or ±HH:MM)"), ("yesterday", "date must be YYYY-MM-DD"),
        ("2025-02-19T02:13:45.Z", "no digits after the decimal point"), ("2025-02-19T02:13:45Zjunk", "unexpected text after the offset"),
        ("9999-12-31", "out of range (years 1678 to 2261)"), ("2300-01-01T00:00:00Z", "out of range (years 1678 to 2261)"),
        ("2262-04-11T23:47:16.9Z", "out of range (years 1678 to 2261)"), ("1600-01-01", "out of range (years 1678 to 2261)"),
    ])
    func rejectsImpossibleTimesSayingWhy(input: String, reason: String) {
        #expect(throws: Timestamp.ParseError(text: input, reason: reason)) { try Timestamp(parsing: input) }
    }
}
