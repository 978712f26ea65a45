import ByteCoding
import LogStore
import PostgresLog

/// `--compare DIR`: whether the local log in DIR holds exactly the shared log's
/// committed records, field for field and in the same order.
enum CopyCheck {
    /// A description of the first difference, or nil when the copy equals the shared log.
    static func difference(directory: String, location: SharedLogLocation) async throws -> (count: UInt64, problem: String?) {
        let db = try await SharedLogConnection.connect(location, forWriting: false)
        defer { Task { await db.close() } }
        let local = try FileLog.open(at: directory, access: .reader)
        let identity = try await db.identity()
        guard local.logID == Hex.encode(identity.logID) else {
            return (0, "the copy's log id \(local.logID) is not the shared log's")
        }
        let mark = try await db.highWaterMark()
        guard local.count == mark else { return (mark, "the copy has \(local.count) records, the shared log \(mark)") }
        var seq: UInt64 = 0
        while seq < mark {
            let page = try await db.records(after: seq, limit: 5000)
            if page.isEmpty { break }
            let ours = try local.read((seq + 1)...(seq + UInt64(page.count)))
            for (a, b) in zip(page, ours) where a != b {
                return (mark, "record \(a.sequence) differs: \"\(a.id)\" in the shared log, \"\(b.id)\" in the copy")
            }
            seq += UInt64(page.count)
        }
        return (mark, nil)
    }
}
