import LogStore

/// What comparing a log with a checkpoint found.
public enum CheckpointVerdict: Sendable, Equatable {
    /// The log's first `treeSize` records are exactly those the checkpoint signed;
    /// `grownBy` more were appended since.
    case intact(grownBy: UInt64)
    /// The log holds only `records` of the checkpoint's `treeSize`: records
    /// `records + 1 ... treeSize` are gone. `verifiedUpTo` says how many of those
    /// left were checked against the checkpoint's groups (all but a last partial group).
    case truncated(records: UInt64, treeSize: UInt64, verifiedUpTo: UInt64)
    /// The log differs from the checkpoint: the first differing record is in
    /// `firstPossible...lastPossible` (equal when the checkpoint's groups are single
    /// records). `records` is how many the log holds now.
    case differs(firstPossible: UInt64, lastPossible: UInt64, records: UInt64, treeSize: UInt64)

    /// A sentence for a person.
    public var description: String {
        switch self {
        case let .intact(grown):
            return "the log matches the checkpoint" + (grown > 0 ? "; \(grown) records were appended after it" : "")
        case let .truncated(records, size, verified):
            var s = "the log was truncated: it holds \(records) records, the checkpoint covers \(size); records \(records + 1)-\(size) are missing"
            if verified < records { s += " (records \(verified + 1)-\(records) could not be checked against the checkpoint's groups)" }
            return s
        case let .differs(first, last, records, size):
            let what = records == size ? "a record was changed, or records reordered" : records < size ? "a record was deleted or changed" : "a record was inserted or changed"
            let whereText = first == last ? "first differs at sequence \(first)" : "first differs within sequences \(first)-\(last)"
            return "the log does not match the checkpoint: \(whereText) (\(what); the log holds \(records) records, the checkpoint covers \(size))"
        }
    }
}

extension Checkpoint {
    /// Compares `log` with this checkpoint, reading the log once. Check the
    /// signature (``isSigned(by:)``) and the log id first.
    public func compare(with log: any LogStore) throws -> CheckpointVerdict {
        guard groupsMatchRoot else { throw EvidenceError.invalidRequest("the checkpoint's groups do not hash to its signed root") }
        let records = log.count
        let limit = min(records, treeSize)
        let width: UInt64 = groupBits >= 63 ? UInt64.max / 2 : 1 << UInt64(groupBits)
        var tree = MerkleAccumulator()
        var group = MerkleAccumulator()
        var firstBadGroup: Int?
        var checkedGroups = 0
        try LogLeaves.forEach(in: log, count: limit) { index, leaf in
            tree.append(leaf: leaf)
            guard !groups.isEmpty, firstBadGroup == nil else { return }
            group.append(leaf: leaf)
            let g = Int(index / width)
            if index + 1 == min(UInt64(g + 1) * width, treeSize) {
                if group.root != groups[g] { firstBadGroup = g }
                checkedGroups = g + 1
                group = MerkleAccumulator()
            }
        }
        if records >= treeSize, tree.root == root { return .intact(grownBy: records - treeSize) }
        if let g = firstBadGroup {
            let first = UInt64(g) * width + 1
            return .differs(firstPossible: first, lastPossible: min(first + width - 1, treeSize), records: records, treeSize: treeSize)
        }
        if records < treeSize {
            return .truncated(records: records, treeSize: treeSize, verifiedUpTo: groups.isEmpty ? 0 : min(UInt64(checkedGroups) * width, records))
        }
        return .differs(firstPossible: 1, lastPossible: treeSize, records: records, treeSize: treeSize)
    }
}
