import Events
import Testing

@Suite struct EventCodecTests {
    static let t = Timestamp(nanoseconds: 1_735_689_600_123_456_700)
    static let kb = KB(5_034_129)

    static let events: [Event] = [
        Event(id: "f1", time: t, body: .featureRegistration(FeatureRegistration(subscription: "sub-1", feature: "Microsoft.Compute/InGuestHotPatchVMPreview", state: .registering))),
        Event(id: "p1", time: t, body: .providerRegistration(ProviderRegistration(subscription: "sub-1", namespace: "Microsoft.Compute", state: .registered))),
        Event(id: "r1", time: t, body: .release(Release(kb: kb, kind: .baseline, planned: false, classifications: ["Critical", "Security"], title: "LCU"))),
        Event(id: "r2", time: t, body: .release(Release(kb: KB(7), kind: .hotpatch, baseline: kb, classifications: ["Security", "Critical", "Zero-day"]))),
        Event(id: "v1", time: t, vm: "vm-1", body: .vmRegistered(VMRegistration(
            subscription: "s", image: ImageReference(publisher: "P", offer: "O", sku: "S", version: "1.2.3"), platform: .azureStackHCI,
            patchMode: .imageDefault, hotpatch: true, timezone: "Tokyo Standard Time", orchestration: .vmssUniform))),
        Event(id: "v2", time: t, vm: "vm-1", body: .vmRegistered(VMRegistration(
            subscription: "s", image: ImageReference(publisher: "P", offer: "O", sku: "S"), platform: .azure, patchMode: .manual, hotpatch: false))),
        Event(id: "h1", time: t, vm: "vm-1", body: .vmHotpatch(enabled: false)),
        Event(id: "w1", time: t, vm: "vm-1", body: .vmPower(.deallocated)),
        Event(id: "a1", time: t, vm: "vm-1", body: .assessment(Assessment(
            activityId: "a1", trigger: .onDemand, status: .completedWithWarnings, rebootPending: true,
            available: [AvailablePatch(kb: kb, classifications: ["Security"], rebootBehavior: .canRequestReboot, kind: .other),
                        AvailablePatch(kb: KB("KB0042")!, classifications: [])]))),
        Event(id: "a2", time: t, vm: "vm-1", body: .assessment(Assessment(
            activityId: "3F2504E0-4F89-11D3-9A0C-0305E82C3301", trigger: .periodic, status: .succeeded, rebootPending: false, available: []))),
        Event(id: "a3", time: t, vm: "vm-1", body: .assessment(Assessment(
            activityId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", trigger: .periodic, status: .unknown, rebootPending: false, available: []))),
        Event(id: "a4", time: t, vm: "vm-1", body: .assessment(Assessment(
            activityId: "3F2504E0-4f89-11D3-9A0C-0305E82C3301", trigger: .periodic, status: .failed, rebootPending: false, available: []))),
        // Almost GUIDs, kept as text: a fifth dash once made the GUID scan read past
        // the end of the id (found by fuzzing JSON Lines import).
        Event(id: "a5", time: t, vm: "vm-1", body: .assessment(Assessment(
            activityId: "3ec854d5-c35d-4f53-8189-1906-fadccb8", trigger: .periodic, status: .succeeded, rebootPending: false, available: []))),
        Event(id: "a6", time: t, vm: "vm-1", body: .assessment(Assessment(
            activityId: "3f2504e0-4f89-11d3-9a0c-0305e82c330g", trigger: .periodic, status: .succeeded, rebootPending: false, available: []))),
        Event(id: "i1", time: t, vm: "vm-1", body: .install(Install(
            activityId: "other-id", trigger: .onDemand, status: .failed, rebootStatus: .started, maintenanceWindowExceeded: true,
            request: InstallRequest(classificationsToInclude: ["Critical", "Security"], kbsToInclude: [kb], kbsToExclude: [KB(1)]),
            patches: [InstalledPatch(kb: kb, classifications: ["Security"], state: .notSelected, kind: .hotpatch, rebootBehavior: .unknown)]))),
        Event(id: "i2", time: t, vm: "vm-1", body: .install(Install(
            activityId: "i2", trigger: .platform, status: .succeeded, rebootStatus: .completed, maintenanceWindowExceeded: false, patches: []))),
        Event(id: "b1", time: t, vm: "vm-1", body: .reboot(Reboot(reason: .unplanned, status: .failed))),
        Event(id: "k1", time: t, vm: "vm-1", body: .rollback(Rollback(uninstalled: [kb, KB(8)], restoredBaseline: KB(9))), extra: "{\"ticket\":\"CHG-1\"}"),
        Event(id: "s1", time: t, body: .supportedImages(SupportedImageList(images: [
            ImageReference(publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition-core"),
            ImageReference(publisher: "p", offer: "o", sku: "s")]))),
        Event(id: "s2", time: t, body: .supportedImages(SupportedImageList(images: []))),
    ]

    @Test(arguments: events.indices)
    func everyEventRoundTripsThroughItsBinaryForm(index: Int) throws {
        let e = Self.events[index]
        let payload = EventCodec.encode(e)
        #expect(try EventCodec.decode(payload[...], id: e.id, time: e.time, vm: e.vm) == e)
        #expect(try EventCodec.header(payload[...]).type == e.type)
    }

    @Test func typicalEventsAreSmall() {
        // An assessment with two patches whose activity id is its event id.
        #expect(EventCodec.encode(Self.events[8]).count <= 16)
        // A GUID activity id costs 16 bytes, not 36.
        #expect(EventCodec.encode(Self.events[9]).count == 2 + 16 + 1)
        // A classification list in Azure's order is one byte.
        var w = [UInt8]()
        w = EventCodec.encode(Event(id: "r", time: Self.t, body: .release(Release(kb: KB(1), kind: .hotpatch, classifications: ["Critical", "Security"]))))
        #expect(w.count == 4)
    }

    @Test func randomBytesAreTheGUIDActivityIdsAndNothingElse() throws {
        let guid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
        let kb = Self.kb
        let withGUID: [Event] = [
            Self.events[9], Self.events[10],
            Event(id: "a5", time: Self.t, vm: "vm-1", body: .assessment(Assessment(
                activityId: guid, trigger: .periodic, status: .succeeded, rebootPending: true,
                available: [AvailablePatch(kb: kb, classifications: ["Security"])]))),
            Event(id: "i3", time: Self.t, vm: "vm-1", body: .install(Install(
                activityId: guid.uppercased(), trigger: .platform, status: .succeeded, rebootStatus: .completed, maintenanceWindowExceeded: false,
                request: InstallRequest(classificationsToInclude: ["Critical"], kbsToInclude: [], kbsToExclude: []),
                patches: [InstalledPatch(kb: kb, classifications: ["Security"], state: .installed)])), extra: "{\"x\":1}"),
        ]
        for e in withGUID {
            let payload = EventCodec.encode(e)
            let range = try #require(EventCodec.randomBytes(payload))
            #expect(range.count == 16)
            guard case let .assessment(a) = e.body else {
                guard case let .install(i) = e.body else { Issue.record("not an assessment or install"); continue }
                #expect(range == 3..<19)
                #expect(CodecPrimitives_guidText(Array(payload[range])) == i.activityId.lowercased())
                continue
            }
            #expect(range == 2..<18)
            #expect(CodecPrimitives_guidText(Array(payload[range])) == a.activityId.lowercased())
        }
        // Activity ids that are the event id, or not GUIDs in one case, have none; nor
        // have other events, nor payloads too short to hold one.
        for i in [8, 11, 12, 13, 0, 2, 4, 6, 7, 14, 15] {
            #expect(EventCodec.randomBytes(EventCodec.encode(Self.events[i])) == nil)
        }
        let cut = Array(EventCodec.encode(Self.events[9]).prefix(10))
        #expect(EventCodec.randomBytes(cut) == nil)
        #expect(EventCodec.randomBytes([]) == nil)
    }

    /// A GUID's 16 bytes as lower-case text (8-4-4-4-12).
    func CodecPrimitives_guidText(_ b: [UInt8]) -> String {
        let hex = b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    @Test func aPayloadFromANewerPatchlogAsksForAnUpgrade() {
        var payload = EventCodec.encode(Self.events[6])
        payload[0] = (EventCodec.version + 1) << 5 | (payload[0] & 0x1F)
        #expect(throws: EventCodec.DecodeError.newerVersion(EventCodec.version + 1)) {
            _ = try EventCodec.decode(payload[...], id: "h1", time: Self.t, vm: "vm-1")
        }
    }

    @Test func truncatedOrPaddedPayloadsAreMalformedNotCrashes() {
        for e in Self.events {
            let payload = EventCodec.encode(e)
            for cut in 0..<payload.count {
                #expect(throws: EventCodec.DecodeError.self) { _ = try EventCodec.decode(payload[0..<cut], id: e.id, time: e.time, vm: e.vm) }
            }
            #expect(throws: EventCodec.DecodeError.self) { _ = try EventCodec.decode((payload + [0])[...], id: e.id, time: e.time, vm: e.vm) }
        }
    }

    @Test func kbAcceptsItsFormsAndKeepsTheDigitsGiven() {
        #expect(KB("KB5034129") == KB("kb5034129"))
        #expect(KB("5034129") == KB(5_034_129))
        #expect(KB("KB0042")?.description == "KB0042")
        #expect(KB("KB0042") != KB("KB42"))
        for bad in ["", "KB", "KB12a", "K5034129", "KB-1", "12 3", "KB1234567890123456789"] { #expect(KB(bad) == nil, "\(bad)") }
    }
}
