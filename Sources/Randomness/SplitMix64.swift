/// A small, fast, repeatable random generator (SplitMix64), shared by the tests and
/// the benchmarks so that a failing case or a measured data set can be made again
/// from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The state; the seed at first.
    public var state: UInt64

    /// A generator seeded with `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n`.
    public mutating func next(upTo n: Int) -> Int { Int(next() % UInt64(n)) }
}
