/// Every id in the log, by fingerprint: the lookup that makes appends idempotent.
///
/// One 8-byte slot per record (open addressing, at most three quarters full): the
/// id's 32-bit fingerprint (``IDHash``) and the low 32 bits of its sequence number. A
/// lookup yields the sequence numbers whose records might have the id; the caller
/// reads them to be sure. The slots are split in 256 shards by fingerprint, each
/// growing on its own, so that growing never holds two copies of the whole table.
/// Written by hand because what it must be is small — 8 bytes a record, no
/// per-entry allocation — which neither `Set` nor `Dictionary` is (a map from 64-bit
/// hash to sequence cost 331 MB on a 6-million-event import, measured).
///
/// Entries are never removed: an entry whose sequence number is past the end of the
/// log (after a transaction was taken back) is skipped by ``candidates(fp:last:)``, and
/// one whose sequence was given again to another record is a false candidate the
/// caller rejects by comparing ids.
struct IDTable {
    private var shards = [Shard](repeating: Shard(), count: 256)
    /// Entries held.
    private(set) var count = 0

    private struct Shard {
        var slots = [UInt64](repeating: 0, count: 16)
        var used = 0
    }

    /// Slot contents: fingerprint in the high half (never 0, so 0 means empty).
    private static func entry(_ fp: UInt32, _ sequence: UInt64) -> UInt64 {
        UInt64(max(fp, 1)) << 32 | (sequence & 0xFFFF_FFFF)
    }

    private static func shard(_ fp: UInt32) -> Int { Int(fp & 0xFF) }

    private static func start(_ fp: UInt32, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(max(fp, 1)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Records that the id with fingerprint `fp` has sequence `sequence`.
    mutating func insert(fp: UInt32, sequence: UInt64) {
        let s = Self.shard(fp)
        if (shards[s].used + 1) * 4 > shards[s].slots.count * 3 { grow(s) }
        let mask = shards[s].slots.count - 1
        var i = Self.start(fp, mask: mask)
        while shards[s].slots[i] != 0 { i = (i + 1) & mask }
        shards[s].slots[i] = Self.entry(fp, sequence)
        shards[s].used += 1
        count += 1
    }

    /// Calls `body` with each sequence number up to `last` whose id has fingerprint
    /// `fp`, until it returns false.
    func candidates(fp: UInt32, last: UInt64, _ body: (UInt64) throws -> Bool) rethrows {
        let key = UInt64(max(fp, 1))
        let slots = shards[Self.shard(fp)].slots
        let mask = slots.count - 1
        var i = Self.start(fp, mask: mask)
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

    private mutating func grow(_ s: Int) {
        let old = shards[s].slots
        var slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for e in old where e != 0 {
            var i = Self.start(UInt32(e >> 32), mask: mask)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = e
        }
        shards[s].slots = slots
    }
}
