import Audit
import Events
import Testing

/// Daylight saving time in the off-peak rule's time zone table.
@Suite struct TimeZoneTests {
    static func offset(_ zone: String, _ time: String) throws -> Int {
        try #require(TimeZones.zone(zone)).offsetMinutes(at: Timestamp(parsing: time))
    }

    @Test func europeChangesAtOneUTCOnTheLastSundays() throws {
        // 2025: 30 March and 26 October.
        #expect(try Self.offset("Europe/Berlin", "2025-03-30T00:59:59Z") == 60)
        #expect(try Self.offset("Europe/Berlin", "2025-03-30T01:00:00Z") == 120)
        #expect(try Self.offset("W. Europe Standard Time", "2025-10-26T00:59:59Z") == 120)
        #expect(try Self.offset("W. Europe Standard Time", "2025-10-26T01:00:00Z") == 60)
        #expect(try Self.offset("GMT Standard Time", "2025-07-01T12:00:00Z") == 60)
        #expect(try Self.offset("FLE Standard Time", "2024-03-31T01:00:00Z") == 180)
    }

    @Test func northAmericaChangesAtTwoLocal() throws {
        // 2025: 9 March 02:00 EST = 07:00Z; 2 November 02:00 EDT = 06:00Z.
        #expect(try Self.offset("Eastern Standard Time", "2025-03-09T06:59:59Z") == -300)
        #expect(try Self.offset("Eastern Standard Time", "2025-03-09T07:00:00Z") == -240)
        #expect(try Self.offset("America/New_York", "2025-11-02T05:59:59Z") == -240)
        #expect(try Self.offset("America/New_York", "2025-11-02T06:00:00Z") == -300)
        #expect(try Self.offset("Pacific Standard Time", "2025-03-09T10:00:00Z") == -420)
        #expect(try Self.offset("Pacific Standard Time", "2025-03-09T09:59:59Z") == -480)
    }

    @Test func southernHemisphereSummerSpansNewYear() throws {
        // Sydney 2025: ends 6 April 03:00 AEDT = 5 April 16:00Z, starts 5 October 02:00 AEST = 4 October 16:00Z.
        #expect(try Self.offset("AUS Eastern Standard Time", "2025-01-15T00:00:00Z") == 660)
        #expect(try Self.offset("Australia/Sydney", "2025-04-05T15:59:59Z") == 660)
        #expect(try Self.offset("Australia/Sydney", "2025-04-05T16:00:00Z") == 600)
        #expect(try Self.offset("Australia/Melbourne", "2025-10-04T15:59:59Z") == 600)
        #expect(try Self.offset("Australia/Melbourne", "2025-10-04T16:00:00Z") == 660)
        // Auckland 2025: ends 6 April 03:00 NZDT = 5 April 14:00Z, starts 28 September 02:00 NZST = 27 September 14:00Z.
        #expect(try Self.offset("New Zealand Standard Time", "2025-04-05T13:59:59Z") == 780)
        #expect(try Self.offset("New Zealand Standard Time", "2025-04-05T14:00:00Z") == 720)
        #expect(try Self.offset("Pacific/Auckland", "2025-09-27T13:59:59Z") == 720)
        #expect(try Self.offset("Pacific/Auckland", "2025-09-27T14:00:00Z") == 780)
    }

    @Test func zonesWithoutDaylightSavingStayFixed() throws {
        for zone in ["Tokyo Standard Time", "Australia/Brisbane", "America/Phoenix", "India Standard Time", "Pacific/Honolulu",
                     "America/Sao_Paulo", "UTC", "South Africa Standard Time", "Australia/Perth"] {
            let standard = try #require(TimeZones.offsetMinutes(zone))
            #expect(try Self.offset(zone, "2025-01-15T12:00:00Z") == standard, "\(zone)")
            #expect(try Self.offset(zone, "2025-07-15T12:00:00Z") == standard, "\(zone)")
        }
        #expect(TimeZones.zone("Mars/Olympus_Mons") == nil)
        #expect(TimeZones.Zone.utc.offsetMinutes(at: Timestamp(nanoseconds: 0)) == 0)
    }
}
