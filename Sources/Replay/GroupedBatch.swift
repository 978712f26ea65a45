/// Records of a full replay, gathered in the order the scan meets them and handed
/// back grouped by VM: each VM's records together, in the order they came.
///
/// Why: in a history where 10,000 VMs interleave, consecutive records belong to
/// different VMs, and folding each as it comes touches a different VM's state every
/// time, which is out of the processor's caches by then (profiles of `findings` spent
/// most of the fold waiting for the first read of each VM's state). Folded a batch
/// at a time, a VM's state is fetched once per batch for all its records in it.
/// The order within a VM is kept, so each VM's fold is exactly what it was.
///
/// Memory: twice the batch's payloads and records (as added, and grouped), reused
/// from one batch to the next.
struct GroupedBatch {
    /// One record: its VM slot (the replay's index of the VM), payload length, time
    /// and sequence number.
    private struct Entry {
        var slot: Int32
        var length: Int32
        var time: Int64
        var sequence: UInt64
    }

    /// The records and their payloads (back to back) in the order they were added.
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    /// The same grouped by slot, filled by ``drain(_:)``: moved there once, so that
    /// the fold then reads both from front to back.
    private var grouped: [Entry] = []
    private var groupedArena: [UInt8] = []
    /// Per slot: where its next record and its next payload byte go in the grouped arrays.
    private var nextRecord: [Int] = []
    private var nextByte: [Int] = []
    /// How many records make it full (the replay raises it as it meets more VMs).
    var recordLimit: Int
    private let byteLimit: Int

    /// An empty batch that is full at `records` records or `bytes` bytes of payload.
    init(records: Int, bytes: Int = 32 << 20) {
        recordLimit = records
        byteLimit = bytes
        entries.reserveCapacity(records)
        grouped.reserveCapacity(records)
    }

    /// Whether the batch should be drained before more is added.
    var isFull: Bool { entries.count >= recordLimit || arena.count >= byteLimit }

    /// Adds a record of VM slot `slot` (copying its payload).
    @inline(__always)
    mutating func append(slot: Int, time: Int64, sequence: UInt64, payload: ArraySlice<UInt8>) {
        entries.append(Entry(slot: Int32(slot), length: Int32(payload.count), time: time, sequence: sequence))
        arena.append(contentsOf: payload)
    }

    /// Hands `body` every record, grouped by slot in increasing order, each slot's in
    /// the order they were added; then empties the batch.
    mutating func drain(_ body: (_ slot: Int, _ time: Int64, _ sequence: UInt64, _ payload: ArraySlice<UInt8>) throws -> Void) rethrows {
        defer {
            entries.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
        }
        guard !entries.isEmpty else { return }
        group()
        var start = 0
        for e in grouped {
            let end = start + Int(e.length)
            try body(Int(e.slot), e.time, e.sequence, groupedArena[start..<end])
            start = end
        }
    }

    /// Fills ``grouped`` and ``groupedArena``: a counting sort by slot (stable, linear
    /// in the records and slots).
    private mutating func group() {
        var slotCount = 0
        for e in entries { slotCount = max(slotCount, Int(e.slot) + 1) }
        if nextRecord.count < slotCount {
            nextRecord = Array(repeating: 0, count: slotCount)
            nextByte = Array(repeating: 0, count: slotCount)
        }
        for s in 0..<slotCount {
            nextRecord[s] = 0
            nextByte[s] = 0
        }
        for e in entries {
            nextRecord[Int(e.slot)] += 1
            nextByte[Int(e.slot)] += Int(e.length)
        }
        var records = 0, bytes = 0
        for s in 0..<slotCount {
            (records, nextRecord[s]) = (records + nextRecord[s], records)
            (bytes, nextByte[s]) = (bytes + nextByte[s], bytes)
        }
        grouped.removeAll(keepingCapacity: true)
        grouped.append(contentsOf: repeatElement(Entry(slot: 0, length: 0, time: 0, sequence: 0), count: entries.count))
        if groupedArena.count < arena.count { groupedArena = Array(repeating: 0, count: arena.count) }
        groupedArena.withUnsafeMutableBufferPointer { to in
            arena.withUnsafeBufferPointer { from in
                var offset = 0
                for e in entries {
                    let s = Int(e.slot), n = Int(e.length)
                    grouped[nextRecord[s]] = e
                    nextRecord[s] += 1
                    to.baseAddress!.advanced(by: nextByte[s]).update(from: from.baseAddress!.advanced(by: offset), count: n)
                    nextByte[s] += n
                    offset += n
                }
            }
        }
    }
}
