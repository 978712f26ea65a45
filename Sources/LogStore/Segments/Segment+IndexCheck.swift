/// `verify`'s check of an index file against the blocks: every structure the index
/// holds (the block table, the streams defined, each stream's and each key's block
/// list) is recomputed from the records and compared. Queries follow these lists, so
/// a list rewritten with its checksums (hiding a VM's block, listing one twice) would
/// make answers lie; any difference is damage.
extension Segment {
    /// The first way `indexed` (loaded from the index file, every list in memory)
    /// differs from what this segment's blocks say (this segment was built by reading
    /// every block), or nil when it describes exactly the blocks it covers. The index
    /// may cover a prefix of the blocks: the lists are compared for that prefix.
    /// `streamKey` names a stream number in the message.
    func indexDifference(_ indexed: Segment, streamKey: (UInt32) -> String) -> String? {
        let covered = indexed.blocks.count
        guard covered <= blocks.count else {
            return "the index lists \(covered) blocks, the segment has \(blocks.count)"
        }
        if let i = (0..<covered).first(where: { indexed.blocks[$0] != blocks[$0] }) {
            return "its block table differs from the segment at block \(i) (records from sequence \(blocks[i].firstSequence)): position, record count, times or checksum"
        }
        let streamLists = Self.lists(streamPostings, below: covered)
        // Streams are numbered in order of first use: those the covered blocks define
        // are the ones whose first block is among them.
        let defined = streamLists.filter { $0.value >= header.streamsBefore }.count
        guard indexed.definedStreams.all == Array(definedStreams.all.prefix(defined)) else {
            return "it lists \(indexed.definedStreams.count) streams as defined in the segment, the blocks it covers define \(defined) (or other keys)"
        }
        if let (value, listed, actual) = Self.firstDifference(Self.lists(indexed.streamPostings, below: .max), streamLists) {
            return "its block list for stream \(streamKey(value)) is \(Self.show(listed)), the records are in \(Self.show(actual))"
        }
        if let (value, listed, actual) = Self.firstDifference(Self.lists(indexed.keyPostings, below: .max), Self.lists(keyPostings, below: covered)) {
            return "its block list for key \(value) is \(Self.show(listed)), the records are in \(Self.show(actual))"
        }
        return nil
    }

    /// Every non-empty list of `postings`, by value, keeping the blocks below `limit`.
    private static func lists(_ postings: BlockPostings, below limit: Int) -> [(value: UInt32, blocks: [UInt32])] {
        var out: [(value: UInt32, blocks: [UInt32])] = []
        postings.forEachList { value, list in
            let kept = list.filter { Int($0) < limit }
            if !kept.isEmpty { out.append((value, kept)) }
        }
        return out
    }

    /// The first value whose lists differ (a value missing on one side has the list
    /// `[]` there): the value, the index's list, the records' list.
    private static func firstDifference(
        _ listed: [(value: UInt32, blocks: [UInt32])], _ actual: [(value: UInt32, blocks: [UInt32])]
    ) -> (UInt32, [UInt32], [UInt32])? {
        var i = 0, j = 0
        while i < listed.count || j < actual.count {
            let a = i < listed.count ? listed[i].value : .max
            let b = j < actual.count ? actual[j].value : .max
            let value = min(a, b)
            let left = a == value && i < listed.count ? listed[i].blocks : []
            let right = b == value && j < actual.count ? actual[j].blocks : []
            if left != right { return (value, left, right) }
            if a == value { i += 1 }
            if b == value { j += 1 }
        }
        return nil
    }

    /// `blocks 0, 3, 7` (the first 8 and a count when longer), or `no blocks`.
    private static func show(_ list: [UInt32]) -> String {
        guard !list.isEmpty else { return "no blocks" }
        let shown = list.prefix(8).map(String.init).joined(separator: ", ")
        return "block\(list.count == 1 ? "" : "s") \(shown)" + (list.count > 8 ? " … (\(list.count) in all)" : "")
    }
}

extension Segment {
    /// How many streams the first `k` blocks define: streams are numbered in order of
    /// first use, so those whose first block is among them. The stream lists must be
    /// in memory (not left in the index file).
    func streamsDefined(inFirst k: Int) -> Int {
        var n = 0
        streamPostings.forEachList { value, list in
            if value >= header.streamsBefore, let first = list.first, Int(first) < k { n += 1 }
        }
        return n
    }
}
