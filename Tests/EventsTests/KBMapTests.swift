import Events
import Randomness
import Testing

/// ``KBMap`` answers as `Dictionary` does, through random insertions, updates and
/// removals (which leave tombstones that later probes must walk past).
@Suite struct KBMapTests {
    @Test(arguments: 1...6)
    func randomOperationsAgreeWithADictionary(seed: Int) {
        var g = SplitMix64(seed: UInt64(seed))
        var map = KBMap<Int>()
        var reference: [KB: Int] = [:]
        // Few distinct KBs, so that keys come back after removal; leading zeros too.
        let kbs = (0..<40).map { KB(packed: UInt64(5_030_000 + $0 * 7) << 4 | UInt64($0 % 3)) } + [KB(packed: 0)]
        for step in 0..<4_000 {
            let kb = kbs[Int.random(in: 0..<kbs.count, using: &g)]
            switch Int.random(in: 0..<3, using: &g) {
            case 0, 1:
                map[kb] = step
                reference[kb] = step
            default:
                #expect(map.removeValue(forKey: kb) == reference.removeValue(forKey: kb))
            }
            #expect(map[kb] == reference[kb])
            #expect(map.count == reference.count && map.isEmpty == reference.isEmpty)
        }
        #expect(Set(map.keys) == Set(reference.keys))
        #expect(map.values.sorted() == reference.values.sorted())
        for kb in kbs { #expect(map[kb] == reference[kb]) }
        // Equality ignores the order the keys went in.
        var other = KBMap<Int>()
        for (kb, v) in reference.sorted(by: { $0.key > $1.key }) { other[kb] = v }
        #expect(other == map)
        other[kbs[0]] = -1
        #expect(other != map)
    }
}
