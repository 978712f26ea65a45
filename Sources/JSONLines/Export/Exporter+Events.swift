import EventLog
import Events
import LogStore

extension Exporter {
    /// Calls `body` with each event that passes `filter`, with its sequence number, in
    /// append order; returns how many. One block is decoded at a time, as in
    /// ``export(format:filter:to:)``, whose filters these are.
    @discardableResult
    public func forEachEvent(filter: ExportFilter, _ body: (UInt64, Event) throws -> Void) throws -> Int {
        let store = log.store
        guard let rules = rules(.jsonl, filter) else { return 0 }
        let start = (filter.after ?? 0) &+ 1
        guard start > 0, start <= store.count else { return 0 }
        var count = 0
        if let records = try rules.vmRecords(store) {
            for record in records where rules.passes(record) {
                let event = try HotpatchLog.event(from: record)
                if let kb = filter.kb, !Exporter.names(event, kb) { continue }
                count += 1
                try body(record.sequence, event)
            }
            return count
        }
        var vms = StreamVMs()
        var failure: (any Error)?
        let last = filter.through ?? .max
        try store.scan(from: start) { view in
            guard view.sequence <= last else { return false }
            guard rules.passes(stream: view.stream, time: view.time, payload: view.payload) else { return true }
            do {
                let event = try HotpatchLog.event(from: view, vm: vms.vm(of: view.stream, in: store))
                if let kb = filter.kb, !Exporter.names(event, kb) { return true }
                count += 1
                try body(view.sequence, event)
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        return count
    }
}

/// The VM of each stream a scan meets, looked up once per stream: a lookup takes the
/// log's lock, and the VM's string was built again for every record (an export's
/// chunk kept the stream keys only, and met most of 10,000 VMs' streams anew).
struct StreamVMs {
    private var vms: [String?] = []
    private var known: [Bool] = []

    /// The VM whose stream is `stream` (nil: not a VM's stream).
    mutating func vm(of stream: StreamID, in store: any LogStore) -> String? {
        let i = Int(stream.rawValue)
        if i >= known.count {
            let n = max(i + 1, known.count * 2)
            known += repeatElement(false, count: n - known.count)
            vms += repeatElement(nil, count: n - vms.count)
        }
        if !known[i] {
            vms[i] = store.streamKey(stream).flatMap(HotpatchLog.vm(ofStream:))
            known[i] = true
        }
        return vms[i]
    }
}
