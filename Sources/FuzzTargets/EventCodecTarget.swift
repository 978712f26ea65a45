import Events
import Replay

/// The event codec's fuzz target. The input is decoded as one payload; then, read
/// as a sequence of payloads each preceded by its length (one byte), every payload is
/// decoded and all of them are folded in order into one VM's state (releases feed
/// the catalog), the way replay folds a VM's records.
///
/// Property: a payload that decodes encodes to a payload that decodes to the same
/// event.
enum EventCodecTarget {
    static let time = Timestamp(nanoseconds: 1_736_000_000_000_000_000)

    static func run(_ bytes: [UInt8]) {
        var state = VMState(vm: "vm-fuzz")
        var catalog = ReleaseCatalog()
        check(bytes[...], state: &state, catalog: &catalog, sequence: 1)
        var offset = 0
        var sequence: UInt64 = 2
        while offset < bytes.count {
            let length = Int(bytes[offset])
            let end = min(bytes.count, offset + 1 + length)
            check(bytes[(offset + 1)..<end], state: &state, catalog: &catalog, sequence: sequence)
            offset = end
            sequence += 1
        }
        // What queries read from a folded state.
        _ = state.pendingReboot
        _ = state.installed
        _ = state.missing
    }

    /// Decodes `payload`, checks the round trip, and folds it into `state`.
    static func check(_ payload: ArraySlice<UInt8>, state: inout VMState, catalog: inout ReleaseCatalog, sequence: UInt64) {
        let t = Timestamp(nanoseconds: time.nanoseconds + Int64(sequence) * 1_000_000_000)
        if let event = try? EventCodec.decode(payload, id: "fuzz-\(sequence)", time: t, vm: "vm-fuzz") {
            let again = EventCodec.encode(event)
            let back: Event
            do {
                back = try EventCodec.decode(again[...], id: event.id, time: t, vm: "vm-fuzz")
            } catch {
                preconditionFailure("re-encoded event does not decode: \(error); event \(event); payload \(Array(payload))")
            }
            precondition(back == event, "re-encoded event decodes differently: \(event) became \(back); payload \(Array(payload))")
            catalog.add(event, sequence: sequence)
        }
        guard let view = try? EventView(payload) else { return }
        _ = try? state.apply(view, time: t, sequence: sequence, catalog: catalog)
    }
}
