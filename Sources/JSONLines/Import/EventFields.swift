import Events

extension ObjectReader {
    /// The whole event: common fields, then the type's own.
    mutating func event() throws(EventInputError) -> Event {
        let type = try requiredVocabulary("type", .everyEvent, EventType.self)
        let idToken = try require("id", .everyEvent)
        guard tape.tokens[idToken].kind == .string, let id = tape.string(idToken) else {
            throw error("id", "expected a string, got \(describe(idToken))")
        }
        guard (1...128).contains(id.count) else { throw error("id", "expected 1 to 128 characters, got \(id.count)") }
        let timeToken = try require("time", .everyEvent)
        guard tape.tokens[timeToken].kind == .string, !tape.tokens[timeToken].escaped else {
            throw error("time", "expected an RFC 3339 time string, got \(describe(timeToken))")
        }
        let time: Timestamp
        do { time = try Timestamp.parse(tape.rawBytes(timeToken), original: String(decoding: tape.rawBytes(timeToken), as: UTF8.self)) } catch {
            throw self.error("time", "\(error)")
        }
        var vm: String?
        if type.isVMEvent {
            let t = try find("vm")
            guard let t else { throw self.error("vm", "missing (\(type.name) events belong to a VM)") }
            vm = try string(t, maxLength: 1024) { self.error("vm", $0) }
        }
        let body = try body(of: type)
        return Event(id: id, time: time, vm: vm, body: body, extra: try unusedMembers())
    }

    private mutating func body(of type: EventType) throws(EventInputError) -> Event.Body {
        let why = Requirement.eventType(type)
        switch type {
        case .featureRegistration:
            return .featureRegistration(FeatureRegistration(
                subscription: try requiredString("subscription", why), feature: try requiredString("feature", why),
                state: try requiredVocabulary("state", why, FeatureState.self)))
        case .providerRegistration:
            return .providerRegistration(ProviderRegistration(
                subscription: try requiredString("subscription", why), namespace: try requiredString("namespace", why),
                state: try requiredVocabulary("state", why, ProviderState.self)))
        case .release:
            return .release(Release(
                kb: try requiredKB("kb", why), kind: try requiredVocabulary("kind", why, PatchKind.self), planned: try optionalBool("planned"),
                baseline: try optionalKB("baseline"), classifications: try strings("classifications", why), title: try optionalString("title")))
        case .vmRegistered:
            let subscription = try requiredString("subscription", why)
            var image = try nested(try require("image", why), .member("image"), "image")
            let reference = ImageReference(
                publisher: try image.requiredString("publisher", .image), offer: try image.requiredString("offer", .image),
                sku: try image.requiredString("sku", .image), version: try image.optionalString("version"))
            return .vmRegistered(VMRegistration(
                subscription: subscription, image: reference, platform: try requiredVocabulary("platform", why, Platform.self),
                patchMode: try requiredVocabulary("patchMode", why, PatchMode.self), hotpatch: try requiredBool("hotpatch", why),
                timezone: try optionalString("timezone"), orchestration: try optionalVocabulary("orchestration", Orchestration.self)))
        case .vmHotpatch:
            return .vmHotpatch(enabled: try requiredBool("enabled", why))
        case .vmPower:
            return .vmPower(try requiredVocabulary("state", why, PowerState.self))
        case .assessment:
            let activityId = try requiredString("activityId", why, maxLength: 256)
            let trigger = try requiredVocabulary("trigger", why, AssessmentTrigger.self)
            let status = try requiredVocabulary("status", why, OperationStatus.self)
            let rebootPending = try requiredBool("rebootPending", why)
            let list = try require("available", why)
            var available: [AvailablePatch] = []
            available.reserveCapacity(tape.tokens[list].count)
            for (n, e) in try elements(list, "available").enumerated() {
                var p = try nested(e, .element("available", n), "available")
                available.append(AvailablePatch(
                    kb: try p.requiredKB("kb", .patch), classifications: try p.strings("classifications", .patch),
                    rebootBehavior: try p.optionalVocabulary("rebootBehavior", RebootBehavior.self),
                    kind: try p.optionalVocabulary("kind", PatchKind.self)))
            }
            return .assessment(Assessment(activityId: activityId, trigger: trigger, status: status, rebootPending: rebootPending, available: available))
        case .install:
            let activityId = try requiredString("activityId", why, maxLength: 256)
            let trigger = try requiredVocabulary("trigger", why, InstallTrigger.self)
            let status = try requiredVocabulary("status", why, OperationStatus.self)
            let rebootStatus = try requiredVocabulary("rebootStatus", why, RebootStatus.self)
            let exceeded = try optionalBool("maintenanceWindowExceeded")
            var request: InstallRequest?
            if let t = try find("request") {
                var r = try nested(t, .member("request"), "request")
                request = InstallRequest(
                    classificationsToInclude: try r.strings("classificationsToInclude", nil),
                    kbsToInclude: try r.kbs("kbsToInclude", nil), kbsToExclude: try r.kbs("kbsToExclude", nil))
            }
            let list = try require("patches", why)
            var patches: [InstalledPatch] = []
            patches.reserveCapacity(tape.tokens[list].count)
            for (n, e) in try elements(list, "patches").enumerated() {
                var p = try nested(e, .element("patches", n), "patches")
                patches.append(InstalledPatch(
                    kb: try p.requiredKB("kb", .patch), classifications: try p.strings("classifications", .patch),
                    state: try p.requiredVocabulary("state", .patch, PatchState.self),
                    kind: try p.optionalVocabulary("kind", PatchKind.self),
                    rebootBehavior: try p.optionalVocabulary("rebootBehavior", RebootBehavior.self)))
            }
            return .install(Install(activityId: activityId, trigger: trigger, status: status, rebootStatus: rebootStatus,
                                    maintenanceWindowExceeded: exceeded, request: request, patches: patches))
        case .reboot:
            return .reboot(Reboot(reason: try requiredVocabulary("reason", why, RebootReason.self),
                                  status: try requiredVocabulary("status", why, RebootOutcome.self)))
        case .rollback:
            return .rollback(Rollback(uninstalled: try kbs("uninstalled", why), restoredBaseline: try requiredKB("restoredBaseline", why)))
        case .supportedImages:
            let list = try require("images", why)
            var images: [ImageReference] = []
            for (n, e) in try elements(list, "images").enumerated() {
                var image = try nested(e, .element("images", n), "images")
                images.append(ImageReference(
                    publisher: try image.requiredString("publisher", .image), offer: try image.requiredString("offer", .image),
                    sku: try image.requiredString("sku", .image)))
            }
            return .supportedImages(SupportedImageList(images: images))
        }
    }
}
