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
        let vmStream = filter.vm.map { store.streamID(log.streamKey(forVM: $0)) }
        if let vmStream, vmStream == nil { return 0 }
        let rules = Rules(format: .jsonl, filter: filter, vmStream: vmStream ?? nil)
        let start = (filter.after ?? 0) &+ 1
        guard start > 0, start <= store.count else { return 0 }
        var keys: [StreamID: String] = [:]
        var count = 0
        var failure: (any Error)?
        let last = filter.through ?? .max
        try store.scan(from: start) { view in
            guard view.sequence <= last else { return false }
            guard rules.passes(stream: view.stream, time: view.time, payload: view.payload) else { return true }
            let key: String
            if let k = keys[view.stream] { key = k } else {
                key = store.streamKey(view.stream) ?? ""
                keys[view.stream] = key
            }
            do {
                let event = try HotpatchLog.event(from: view, streamKey: key)
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
