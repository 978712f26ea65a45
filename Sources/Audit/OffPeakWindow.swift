/// The hours of a day, in a VM's local time, when automatic installs are expected
/// (docs/domain.md: "applied during off-peak hours in the VM's time zone"). A window
/// whose start is after its end spans midnight: the default is 22:00 to 06:00.
public struct OffPeakWindow: Equatable, Sendable, CustomStringConvertible {
    /// Minutes after local midnight when the window opens (inclusive).
    public var startMinute: Int
    /// Minutes after local midnight when the window closes (exclusive).
    public var endMinute: Int

    /// 22:00 to 06:00.
    public static let `default` = OffPeakWindow(startMinute: 22 * 60, endMinute: 6 * 60)

    /// A window from `startMinute` to `endMinute` (each 0..<1440).
    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `HH:MM-HH:MM` (or `HH-HH`), e.g. `22:00-06:00`; nil if malformed or empty.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Self.minute(parts[0]), let b = Self.minute(parts[1]), a != b else { return nil }
        self.init(startMinute: a, endMinute: b)
    }

    private static func minute(_ s: Substring) -> Int? {
        let hm = s.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(hm.count), let h = Int(hm[0]), (0...23).contains(h) else { return nil }
        let m = hm.count == 2 ? Int(hm[1]) : 0
        guard let m, (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    /// Whether a local minute of the day (0..<1440) falls inside the window.
    public func contains(minuteOfDay m: Int) -> Bool {
        startMinute < endMinute ? (startMinute <= m && m < endMinute) : (m >= startMinute || m < endMinute)
    }

    /// `22:00-06:00`.
    public var description: String { Self.clock(startMinute) + "-" + Self.clock(endMinute) }

    /// `HH:MM` of a minute of the day.
    public static func clock(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
