import ByteCoding

/// Reads the fields replay needs straight from an event's binary payload, without
/// building an ``Event``: no strings, no arrays, nothing allocated per event. The
/// fold of every VM's history goes through it; what it does not need (titles,
/// classifications, request lists) it skips.
///
/// A view is valid as long as its payload slice is.
public struct EventView {
    /// The payload.
    public let payload: ArraySlice<UInt8>
    /// The event's type.
    public let type: EventType
    private let body: Int

    /// A view of `payload`; fails as ``EventCodec/decode(_:id:time:vm:)`` would on a
    /// bad header.
    public init(_ payload: ArraySlice<UInt8>) throws(EventCodec.DecodeError) {
        self.payload = payload
        type = try EventCodec.header(payload).type
        body = payload.startIndex + 1
    }

    private func reader() -> ByteReader {
        var r = ByteReader(payload)
        r.offset = body
        return r
    }

    private func malformed() -> EventCodec.DecodeError { .malformed("cut short or out of range in a \(type.name) event") }

    /// `vm.hotpatch`: whether enrolment was turned on.
    public func hotpatchEnabled() throws(EventCodec.DecodeError) -> Bool {
        var r = reader()
        do { return try r.u8() != 0 } catch { throw malformed() }
    }

    /// `vm.power`: the new state.
    public func powerState() throws(EventCodec.DecodeError) -> PowerState {
        var r = reader()
        do { return try CodecPrimitives.value(try r.u8(), PowerState.self) } catch { throw malformed() }
    }

    /// `reboot`: whether it completed.
    public func rebootCompleted() throws(EventCodec.DecodeError) -> Bool {
        var r = reader()
        do { return try CodecPrimitives.value(try r.u8() >> 3 & 1, RebootOutcome.self) == .completed } catch { throw malformed() }
    }

    /// `install`: its reboot status.
    public func installRebootStatus() throws(EventCodec.DecodeError) -> RebootStatus {
        var r = reader()
        do {
            _ = try r.u8()
            return try CodecPrimitives.value(try r.u8(), RebootStatus.self)
        } catch {
            throw malformed()
        }
    }

    /// `install`: what started it (the platform's automatic patching, or a person).
    public func installTrigger() throws(EventCodec.DecodeError) -> InstallTrigger {
        var r = reader()
        do { return try CodecPrimitives.value(try r.u8() >> 2 & 1, InstallTrigger.self) } catch { throw malformed() }
    }

    /// `install`: its status, and whether it exceeded the maintenance window (nil
    /// when the event does not say).
    public func installOutcome() throws(EventCodec.DecodeError) -> (status: OperationStatus, maintenanceWindowExceeded: Bool?) {
        var r = reader()
        do {
            let flags = try r.u8()
            return (try CodecPrimitives.value(flags >> 3 & 3, OperationStatus.self), CodecPrimitives.untri(flags >> 5 & 3))
        } catch {
            throw malformed()
        }
    }

    /// `install`: calls `excluded` with each KB its request excluded (none without a
    /// request), then `patch` with each patch's KB, state and whether its
    /// classifications include Critical or Security. Allocates nothing.
    public func forEachInstallDetail(excluded: (KB) -> Void, patch: (KB, PatchState, _ criticalOrSecurity: Bool) -> Void) throws(EventCodec.DecodeError) {
        var r = reader()
        let P = CodecPrimitives.self
        let criticalOrSecurity: UInt64 = 1 << UInt64(KnownClassification.critical.rawValue) | 1 << UInt64(KnownClassification.security.rawValue)
        do {
            let flags = try r.u8()
            _ = try r.u8()
            try P.skipActivityId(&r, mode: flags & 3)
            if flags & 0x80 != 0 {
                for _ in 0..<(try r.count(atMost: r.remaining)) { try P.skipString(&r) }
                for _ in 0..<(try r.count(atMost: r.remaining)) { _ = try r.varint() }
                for _ in 0..<(try r.count(atMost: r.remaining)) { excluded(try P.readKB(&r)) }
            }
            for _ in 0..<(try r.count(atMost: r.remaining)) {
                let kb = try P.readKB(&r)
                let mask = try P.skipClassifications(&r)
                let bits = try r.u8()
                patch(kb, try P.value(bits & 7, PatchState.self), mask & criticalOrSecurity != 0)
            }
        } catch {
            throw malformed()
        }
    }

    /// `assessment`: its status.
    public func assessmentStatus() throws(EventCodec.DecodeError) -> OperationStatus {
        var r = reader()
        do { return try CodecPrimitives.value(try r.u8() >> 3 & 3, OperationStatus.self) } catch { throw malformed() }
    }

    /// `install`: calls `body` with each patch (KB, state, kind, reboot behaviour) and
    /// returns the install's reboot status.
    public func forEachInstalledPatch(_ body: (KB, PatchState, PatchKind?, RebootBehavior?) -> Void) throws(EventCodec.DecodeError) -> RebootStatus {
        var r = reader()
        let P = CodecPrimitives.self
        do {
            let flags = try r.u8()
            let rebootStatus = try P.value(try r.u8(), RebootStatus.self)
            try P.skipActivityId(&r, mode: flags & 3)
            if flags & 0x80 != 0 {
                for _ in 0..<(try r.count(atMost: r.remaining)) { try P.skipString(&r) }
                for _ in 0..<(try r.count(atMost: r.remaining)) { _ = try r.varint() }
                for _ in 0..<(try r.count(atMost: r.remaining)) { _ = try r.varint() }
            }
            for _ in 0..<(try r.count(atMost: r.remaining)) {
                let kb = try P.readKB(&r)
                _ = try P.skipClassifications(&r)
                let bits = try r.u8()
                body(kb, try P.value(bits & 7, PatchState.self), try P.unopt(bits >> 3 & 3, PatchKind.self), try P.unopt(bits >> 5 & 7, RebootBehavior.self))
            }
            return rebootStatus
        } catch {
            throw malformed()
        }
    }

    /// `rollback`: calls `uninstalled` with each uninstalled KB, returns the restored baseline.
    public func rollback(_ uninstalled: (KB) -> Void) throws(EventCodec.DecodeError) -> KB {
        var r = reader()
        do {
            for _ in 0..<(try r.count(atMost: r.remaining)) { uninstalled(try CodecPrimitives.readKB(&r)) }
            return try CodecPrimitives.readKB(&r)
        } catch {
            throw malformed()
        }
    }

    /// `assessment`: calls `body` with each available KB, in order.
    public func forEachAvailable(_ body: (KB) -> Void) throws(EventCodec.DecodeError) {
        var r = reader()
        let P = CodecPrimitives.self
        do {
            let flags = try r.u8()
            try P.skipActivityId(&r, mode: flags & 3)
            for _ in 0..<(try r.count(atMost: r.remaining)) {
                body(try P.readKB(&r))
                _ = try P.skipClassifications(&r)
                _ = try r.u8()
            }
        } catch {
            throw malformed()
        }
    }
}
