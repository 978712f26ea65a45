/// Every id in the log, by fingerprint: the lookup that makes appends idempotent.
///
/// One 8-byte slot per record (an open-addressing table, at most three quarters
/// full): the id's 32-bit fingerprint (``IDHash``) and the low 32 bits of its
/// sequence number. A lookup yields the sequence numbers whose records might have
/// the id; the caller reads them to be sure. Written by hand because what it must
/// be is small — 8 bytes a record, no per-entry allocation — which neither `Set` nor
/// `Dictionary` is (a map from 64-bit hash to sequence cost 331 MB on a 6-million
/// event import, measured).
struct IDTable {
    private var slots: [UInt64]
    private var mask: Int
    /// Entries held.
    private(set) var count = 0

    init() {
        slots = [UInt64](repeating: 0, count: 1024)
        mask = 1023
    }

    /// Slot contents: fingerprint in the high half (never 0, so 0 means empty).
    private static func entry(_ fp: UInt32, _ sequence: UInt64) -> UInt64 {
        UInt64(max(fp, 1)) << 32 | (sequence & 0xFFFF_FFFF)
    }

    private func start(_ fp: UInt32) -> Int { Int(truncatingIfNeeded: (UInt64(max(fp, 1)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    /// Records that the id with fingerprint `fp` has sequence `sequence`.
    mutating func insert(fp: UInt32, sequence: UInt64) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var i = start(fp)
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Self.entry(fp, sequence)
        count += 1
    }

    /// Calls `body` with each sequence number up to `last` whose id has fingerprint
    /// `fp`, until it returns false.
    func candidates(fp: UInt32, last: UInt64, _ body: (UInt64) throws -> Bool) rethrows {
        let key = UInt64(max(fp, 1))
        var i = start(fp)
        while slots[i] != 0 {
            if slots[i] >> 32 == key {
                var s = slots[i] & 0xFFFF_FFFF
                while s <= last {
                    if s > 0, try !body(s) { return }
                    s += 1 << 32
                }
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for e in old where e != 0 {
            var i = start(UInt32(e >> 32))
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = e
        }
    }
}
