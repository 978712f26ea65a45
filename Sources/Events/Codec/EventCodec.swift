import ByteCoding

/// The compact binary form of an event, as stored in a log record's payload
/// (docs/event-codec.md). The record itself carries the id, the time and (through
/// its stream) the VM, so the payload holds only the type's fields.
///
/// The first byte is `version << 5 | hasExtra << 4 | type`. A payload of an older
/// version is decoded by that version's reader and comes out as a current
/// ``Event`` (upcasting); a newer version is refused with
/// ``EventCodec/DecodeError/newerVersion(_:)``.
public enum EventCodec {
    /// The codec version this build writes.
    public static let version: UInt8 = 1

    /// Why a payload did not decode.
    public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Written by a newer patchlog.
        case newerVersion(UInt8)
        /// Not a payload of any known shape.
        case malformed(String)

        /// A readable account.
        public var description: String {
            switch self {
            case let .newerVersion(v): "event written by a newer patchlog (codec version \(v)): upgrade patchlog"
            case let .malformed(why): "event payload is malformed: \(why)"
            }
        }
    }

    /// The payload of `event`.
    public static func encode(_ event: Event) -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        let P = CodecPrimitives.self
        w.u8(version << 5 | (event.extra == nil ? 0 : 0x10) | event.type.rawValue)
        switch event.body {
        case let .featureRegistration(f):
            P.write(f.subscription, into: &w)
            P.write(f.feature, into: &w)
            w.u8(f.state.rawValue)
        case let .providerRegistration(p):
            P.write(p.subscription, into: &w)
            P.write(p.namespace, into: &w)
            w.u8(p.state.rawValue)
        case let .release(r):
            w.u8(r.kind.rawValue | P.tri(r.planned) << 2 | (r.baseline == nil ? 0 : 0x10) | (r.title == nil ? 0 : 0x20))
            P.write(r.kb, into: &w)
            if let b = r.baseline { P.write(b, into: &w) }
            P.write(classifications: r.classifications, into: &w)
            if let t = r.title { P.write(t, into: &w) }
        case let .vmRegistered(v):
            let orchestration: UInt8 = v.orchestration.map { $0.rawValue + 1 } ?? 0
            w.u8(v.platform.rawValue | v.patchMode.rawValue << 1 | (v.hotpatch ? 0x08 : 0) | (v.timezone == nil ? 0 : 0x10)
                 | orchestration << 5 | (v.image.version == nil ? 0 : 0x80))
            P.write(v.subscription, into: &w)
            P.write(v.image.publisher, into: &w)
            P.write(v.image.offer, into: &w)
            P.write(v.image.sku, into: &w)
            if let version = v.image.version { P.write(version, into: &w) }
            if let tz = v.timezone { P.write(tz, into: &w) }
        case let .vmHotpatch(enabled):
            w.u8(enabled ? 1 : 0)
        case let .vmPower(state):
            w.u8(state.rawValue)
        case let .assessment(a):
            let mode = P.activityMode(a.activityId, eventID: event.id)
            w.u8(mode | a.trigger.rawValue << 2 | a.status.rawValue << 3 | (a.rebootPending ? 0x20 : 0))
            P.write(activityId: a.activityId, mode: mode, into: &w)
            w.varint(a.available.count)
            for p in a.available {
                P.write(p.kb, into: &w)
                P.write(classifications: p.classifications, into: &w)
                w.u8(P.opt(p.rebootBehavior) | P.opt(p.kind) << 3)
            }
        case let .install(i):
            let mode = P.activityMode(i.activityId, eventID: event.id)
            w.u8(mode | i.trigger.rawValue << 2 | i.status.rawValue << 3 | P.tri(i.maintenanceWindowExceeded) << 5 | (i.request == nil ? 0 : 0x80))
            w.u8(i.rebootStatus.rawValue)
            P.write(activityId: i.activityId, mode: mode, into: &w)
            if let request = i.request {
                w.varint(request.classificationsToInclude.count)
                for c in request.classificationsToInclude { P.write(c, into: &w) }
                P.write(kbs: request.kbsToInclude, into: &w)
                P.write(kbs: request.kbsToExclude, into: &w)
            }
            w.varint(i.patches.count)
            for p in i.patches {
                P.write(p.kb, into: &w)
                P.write(classifications: p.classifications, into: &w)
                w.u8(p.state.rawValue | P.opt(p.kind) << 3 | P.opt(p.rebootBehavior) << 5)
            }
        case let .reboot(r):
            w.u8(r.reason.rawValue | r.status.rawValue << 3)
        case let .supportedImages(list):
            w.varint(list.images.count)
            for image in list.images {
                P.write(image.publisher, into: &w)
                P.write(image.offer, into: &w)
                P.write(image.sku, into: &w)
            }
        case let .rollback(r):
            P.write(kbs: r.uninstalled, into: &w)
            P.write(r.restoredBaseline, into: &w)
        }
        if let extra = event.extra { P.write(extra, into: &w) }
        return w.bytes
    }

    /// Where the random bytes of a payload are, if it has any: the 16 bytes of a GUID
    /// activity id of an assessment or an install (activity mode 1 or 2). The store
    /// keeps them apart from the rest of the payloads (``NewRecord/randomBytes``),
    /// which otherwise repeat each other and compress well.
    public static func randomBytes(_ payload: [UInt8]) -> Range<Int>? {
        guard payload.count >= 2, payload[0] >> 5 == version else { return nil }
        let at: Int
        switch payload[0] & 0x0F {
        case EventType.assessment.rawValue: at = 2
        case EventType.install.rawValue: at = 3
        default: return nil
        }
        guard payload[1] & 3 == 1 || payload[1] & 3 == 2, payload.count >= at + 16 else { return nil }
        return at..<(at + 16)
    }

    /// The type and version of a payload, without decoding the rest.
    public static func header(_ payload: ArraySlice<UInt8>) throws(DecodeError) -> (type: EventType, version: UInt8, hasExtra: Bool) {
        guard let first = payload.first else { throw .malformed("empty payload") }
        let version = first >> 5
        guard version <= self.version else { throw .newerVersion(version) }
        guard version >= 1, let type = EventType(rawValue: first & 0x0F) else { throw .malformed("unknown type \(first & 0x0F)") }
        return (type, version, first & 0x10 != 0)
    }

    /// The event a payload encodes, given the parts its record carries.
    public static func decode(_ payload: ArraySlice<UInt8>, id: String, time: Timestamp, vm: String?) throws(DecodeError) -> Event {
        let (type, _, hasExtra) = try header(payload)
        var r = ByteReader(payload)
        r.offset += 1
        let P = CodecPrimitives.self
        do {
            let body: Event.Body
            switch type {
            case .featureRegistration:
                body = .featureRegistration(FeatureRegistration(
                    subscription: try P.readString(&r), feature: try P.readString(&r), state: try P.value(try r.u8(), FeatureState.self)))
            case .providerRegistration:
                body = .providerRegistration(ProviderRegistration(
                    subscription: try P.readString(&r), namespace: try P.readString(&r), state: try P.value(try r.u8(), ProviderState.self)))
            case .release:
                let flags = try r.u8()
                let kb = try P.readKB(&r)
                let baseline = flags & 0x10 != 0 ? try P.readKB(&r) : nil
                let classifications = try P.readClassifications(&r)
                let title = flags & 0x20 != 0 ? try P.readString(&r) : nil
                body = .release(Release(
                    kb: kb, kind: try P.value(flags & 3, PatchKind.self), planned: P.untri((flags >> 2) & 3),
                    baseline: baseline, classifications: classifications, title: title))
            case .vmRegistered:
                let flags = try r.u8()
                let subscription = try P.readString(&r)
                let publisher = try P.readString(&r), offer = try P.readString(&r), sku = try P.readString(&r)
                let version = flags & 0x80 != 0 ? try P.readString(&r) : nil
                let timezone = flags & 0x10 != 0 ? try P.readString(&r) : nil
                body = .vmRegistered(VMRegistration(
                    subscription: subscription, image: ImageReference(publisher: publisher, offer: offer, sku: sku, version: version),
                    platform: try P.value(flags & 1, Platform.self), patchMode: try P.value((flags >> 1) & 3, PatchMode.self),
                    hotpatch: flags & 0x08 != 0, timezone: timezone, orchestration: try P.unopt((flags >> 5) & 3, Orchestration.self)))
            case .vmHotpatch:
                body = .vmHotpatch(enabled: try r.u8() != 0)
            case .vmPower:
                body = .vmPower(try P.value(try r.u8(), PowerState.self))
            case .assessment:
                let flags = try r.u8()
                let activityId = try P.readActivityId(&r, mode: flags & 3, eventID: id)
                let n = try r.count(atMost: r.remaining)
                var available: [AvailablePatch] = []
                available.reserveCapacity(n)
                for _ in 0..<n {
                    let kb = try P.readKB(&r)
                    let classifications = try P.readClassifications(&r)
                    let bits = try r.u8()
                    available.append(AvailablePatch(
                        kb: kb, classifications: classifications,
                        rebootBehavior: try P.unopt(bits & 7, RebootBehavior.self), kind: try P.unopt(bits >> 3 & 3, PatchKind.self)))
                }
                body = .assessment(Assessment(
                    activityId: activityId, trigger: try P.value(flags >> 2 & 1, AssessmentTrigger.self),
                    status: try P.value(flags >> 3 & 3, OperationStatus.self), rebootPending: flags & 0x20 != 0, available: available))
            case .install:
                let flags = try r.u8()
                let rebootStatus = try P.value(try r.u8(), RebootStatus.self)
                let activityId = try P.readActivityId(&r, mode: flags & 3, eventID: id)
                var request: InstallRequest?
                if flags & 0x80 != 0 {
                    let n = try r.count(atMost: r.remaining)
                    var classes: [String] = []
                    for _ in 0..<n { classes.append(try P.readString(&r)) }
                    request = InstallRequest(classificationsToInclude: classes, kbsToInclude: try P.readKBs(&r), kbsToExclude: try P.readKBs(&r))
                }
                let n = try r.count(atMost: r.remaining)
                var patches: [InstalledPatch] = []
                patches.reserveCapacity(n)
                for _ in 0..<n {
                    let kb = try P.readKB(&r)
                    let classifications = try P.readClassifications(&r)
                    let bits = try r.u8()
                    patches.append(InstalledPatch(
                        kb: kb, classifications: classifications, state: try P.value(bits & 7, PatchState.self),
                        kind: try P.unopt(bits >> 3 & 3, PatchKind.self), rebootBehavior: try P.unopt(bits >> 5 & 7, RebootBehavior.self)))
                }
                body = .install(Install(
                    activityId: activityId, trigger: try P.value(flags >> 2 & 1, InstallTrigger.self),
                    status: try P.value(flags >> 3 & 3, OperationStatus.self), rebootStatus: rebootStatus,
                    maintenanceWindowExceeded: P.untri(flags >> 5 & 3), request: request, patches: patches))
            case .reboot:
                let bits = try r.u8()
                body = .reboot(Reboot(reason: try P.value(bits & 7, RebootReason.self), status: try P.value(bits >> 3 & 1, RebootOutcome.self)))
            case .rollback:
                body = .rollback(Rollback(uninstalled: try P.readKBs(&r), restoredBaseline: try P.readKB(&r)))
            case .supportedImages:
                let n = try r.count(atMost: r.remaining)
                var images: [ImageReference] = []
                for _ in 0..<n {
                    images.append(ImageReference(publisher: try P.readString(&r), offer: try P.readString(&r), sku: try P.readString(&r), version: nil))
                }
                body = .supportedImages(SupportedImageList(images: images))
            }
            let extra = hasExtra ? try P.readString(&r) : nil
            guard r.remaining == 0 else { throw DecodeError.malformed("\(r.remaining) bytes left over") }
            return Event(id: id, time: time, vm: type.isVMEvent ? vm : nil, body: body, extra: extra)
        } catch is ByteReader.Truncated {
            throw .malformed("cut short or out of range in a \(type.name) event")
        } catch let error as DecodeError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }
}
