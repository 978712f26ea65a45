import Events

extension RawPayloadStore {
    /// Refuses an event whose `source` member names a kept payload (`sha256:…`)
    /// that this log does not keep in sources/: a JSON Lines file brings no payload,
    /// so such an event would claim evidence that is not there (and `verify` would
    /// report it as damage). Events exported from this log, citing what it keeps,
    /// go in as before.
    public static func sourceCheck(logDirectory: String) throws -> (Event) throws -> (field: String, message: String)? {
        var kept: Set<String>?
        return { event in
            guard event.extra != nil, let name = RawPayloadStore.sourceName(of: event), RawPayloadStore.isPayloadName(name) else { return nil }
            if kept == nil {
                kept = []
                if let sources = try RawPayloadStore.open(logDirectory: logDirectory, access: .reader, create: false) {
                    try sources.store.scan { view in
                        if RawPayloadStore.isPayloadName(view.id) { kept!.insert(view.id) }
                        return true
                    }
                }
            }
            guard !kept!.contains(name) else { return nil }
            return ("source", "names the Azure payload \(name), which this log does not keep in \(RawPayloadStore.directoryName)/: a JSON Lines event cannot bring a payload (import the payload itself with --from azure, or remove the member)")
        }
    }
}
