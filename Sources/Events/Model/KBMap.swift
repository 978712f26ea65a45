/// A map from ``KB`` to values, for the folds that look KBs up for every event:
/// open addressing over the packed KB with a multiplicative hash.
///
/// Written by hand because `Dictionary` hashes every key with a seeded SipHash, which
/// was a tenth of a full audit's time (perf); a KB is one integer, and the maps hold
/// tens of KBs, so a Fibonacci hash of that integer spreads them well enough. The
/// API is the part of `Dictionary`'s that the folds use.
///
/// - Complexity: lookups, insertions and removals O(1) on average.
public struct KBMap<Value>: Sendable where Value: Sendable {
    /// `packed + 1` of the KB in each slot; 0 for an empty slot.
    @usableFromInline var slots: [UInt64] = []
    @usableFromInline var items: [Value?] = []
    /// Slots in use, and slots that held a removed KB (they keep probes going).
    @usableFromInline var used = 0
    @usableFromInline var removed = 0

    /// An empty map.
    @inlinable public init() {}

    /// The number of KBs in the map.
    @inlinable public var count: Int { used }
    /// Whether the map is empty.
    @inlinable public var isEmpty: Bool { used == 0 }

    @usableFromInline static var tombstone: UInt64 { .max }

    @inlinable @inline(__always)
    func start(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slots.count.trailingZeroBitCount))
    }

    /// The slot of `kb`, if it is in the map.
    @inlinable @inline(__always)
    func find(_ kb: KB) -> Int? {
        guard used > 0 else { return nil }
        let key = kb.packed &+ 1
        let mask = slots.count - 1
        var i = start(key)
        while true {
            let k = slots[i]
            if k == key { return i }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// The value of `kb`, or nil; setting nil removes it.
    @inlinable public subscript(kb: KB) -> Value? {
        get { find(kb).flatMap { items[$0] } }
        set {
            if let newValue { insert(kb, newValue) } else { removeValue(forKey: kb) }
        }
    }

    /// Removes `kb`; returns its value, if it was in the map.
    @inlinable @discardableResult
    public mutating func removeValue(forKey kb: KB) -> Value? {
        guard let i = find(kb) else { return nil }
        let old = items[i]
        slots[i] = Self.tombstone
        items[i] = nil
        used -= 1
        removed += 1
        return old
    }

    @inlinable mutating func insert(_ kb: KB, _ value: Value) {
        if let i = find(kb) {
            items[i] = value
            return
        }
        if (used + removed + 1) * 4 > slots.count * 3 { grow() }
        let key = kb.packed &+ 1
        let mask = slots.count - 1
        var i = start(key)
        while slots[i] != 0 && slots[i] != Self.tombstone { i = (i + 1) & mask }
        if slots[i] == Self.tombstone { removed -= 1 }
        slots[i] = key
        items[i] = value
        used += 1
    }

    @inlinable mutating func grow() {
        let old = zip(slots, items).filter { $0.0 != 0 && $0.0 != Self.tombstone }
        var size = 8
        while size * 3 < (used + 1) * 8 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        items = Array(repeating: nil, count: size)
        used = 0
        removed = 0
        for (key, value) in old { insert(KB(packed: key &- 1), value!) }
    }

    /// The KBs in the map, in no particular order (a view: nothing is copied).
    @inlinable public var keys: Keys { Keys(map: self) }

    /// The values in the map, in the order of ``keys`` (a view: nothing is copied).
    @inlinable public var values: Values { Values(map: self) }

    /// The KBs of a map, in slot order.
    public struct Keys: Sequence {
        @usableFromInline let map: KBMap
        @inlinable init(map: KBMap) { self.map = map }
        /// An iterator over the KBs.
        @inlinable public func makeIterator() -> Iterator { Iterator(map: map) }
        /// Walks the slots in use.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let map: KBMap
            @usableFromInline var i = 0
            @inlinable init(map: KBMap) { self.map = map }
            /// The next KB.
            @inlinable public mutating func next() -> KB? {
                guard let slot = map.nextSlot(from: &i) else { return nil }
                return KB(packed: map.slots[slot] &- 1)
            }
        }
    }

    /// The values of a map, in slot order.
    public struct Values: Sequence {
        @usableFromInline let map: KBMap
        @inlinable init(map: KBMap) { self.map = map }
        /// An iterator over the values.
        @inlinable public func makeIterator() -> Iterator { Iterator(map: map) }
        /// Walks the slots in use.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let map: KBMap
            @usableFromInline var i = 0
            @inlinable init(map: KBMap) { self.map = map }
            /// The next value.
            @inlinable public mutating func next() -> Value? {
                guard let slot = map.nextSlot(from: &i) else { return nil }
                return map.items[slot]
            }
        }
    }

    /// The next slot in use at or after `i`; moves `i` past it.
    @inlinable @inline(__always)
    func nextSlot(from i: inout Int) -> Int? {
        while i < slots.count {
            let k = slots[i]
            i += 1
            if k != 0 && k != Self.tombstone { return i - 1 }
        }
        return nil
    }
}

extension KBMap: Equatable where Value: Equatable {
    /// Equal when they hold the same KBs with equal values, whatever the order.
    @inlinable public static func == (a: KBMap, b: KBMap) -> Bool {
        guard a.count == b.count else { return false }
        for kb in a.keys where a[kb] != b[kb] { return false }
        return true
    }
}
