import Events

extension ObjectReader {
    /// The whole event: common fields, then the type's own.
    mutating func event() throws(EventInputError) -> Event {
        let typeToken = try require("type", "every event has one")
        let type = try vocabulary(typeToken, "type", EventType.self)
        let idToken = try require("id", "every event has one")
        guard tape.tokens[idToken].kind == .string, let id = tape.string(idToken) else {
            throw error("id", "expected a string, got \(describe(idToken))")
        }
        guard (1...128).contains(id.count) else { throw error("id", "expected 1 to 128 characters, got \(id.count)") }
        let timeToken = try require("time", "every event has one")
        guard tape.tokens[timeToken].kind == .string, !tape.tokens[timeToken].escaped else {
            throw error("time", "expected an RFC 3339 time string, got \(describe(timeToken))")
        }
        let time: Timestamp
        do { time = try Timestamp.parse(tape.rawBytes(timeToken), original: String(decoding: tape.rawBytes(timeToken), as: UTF8.self)) } catch {
            throw self.error("time", "\(error)")
        }
        var vm: String?
        if type.isVMEvent {
            vm = try requiredString("vm", "\(type.name) events belong to a VM", maxLength: 1024)
        }
        let body = try body(of: type)
        return Event(id: id, time: time, vm: vm, body: body, extra: unusedMembers())
    }

    private mutating func body(of type: EventType) throws(EventInputError) -> Event.Body {
        let why = "\(type.name) events have one"
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
            let kb = try requiredKB("kb", why)
            let kind = try requiredVocabulary("kind", why, PatchKind.self)
            let planned = try optionalBool("planned")
            let baseline = try find("baseline").map { t throws(EventInputError) in try self.kb(t, "baseline") }
            let classifications = try strings(try require("classifications", why), "classifications")
            return .release(Release(kb: kb, kind: kind, planned: planned, baseline: baseline, classifications: classifications,
                                    title: try optionalString("title")))
        case .vmRegistered:
            let subscription = try requiredString("subscription", why)
            var image = try nested(try require("image", why), "image")
            let reference = ImageReference(
                publisher: try image.requiredString("publisher", "an image has one"), offer: try image.requiredString("offer", "an image has one"),
                sku: try image.requiredString("sku", "an image has one"), version: try image.optionalString("version"))
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
            var available: [AvailablePatch] = []
            for (n, e) in try array(try require("available", why), "available").enumerated() {
                var p = try nested(e, "available[\(n)]")
                available.append(AvailablePatch(
                    kb: try p.requiredKB("kb", "a patch has one"),
                    classifications: try p.strings(try p.require("classifications", "a patch has them"), "classifications"),
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
                var r = try nested(t, "request")
                request = InstallRequest(
                    classificationsToInclude: try r.find("classificationsToInclude").map { t throws(EventInputError) in try r.strings(t, "classificationsToInclude") } ?? [],
                    kbsToInclude: try r.find("kbsToInclude").map { t throws(EventInputError) in try r.kbs(t, "kbsToInclude") } ?? [],
                    kbsToExclude: try r.find("kbsToExclude").map { t throws(EventInputError) in try r.kbs(t, "kbsToExclude") } ?? [])
            }
            var patches: [InstalledPatch] = []
            for (n, e) in try array(try require("patches", why), "patches").enumerated() {
                var p = try nested(e, "patches[\(n)]")
                patches.append(InstalledPatch(
                    kb: try p.requiredKB("kb", "a patch has one"),
                    classifications: try p.strings(try p.require("classifications", "a patch has them"), "classifications"),
                    state: try p.requiredVocabulary("state", "a patch has one", PatchState.self),
                    kind: try p.optionalVocabulary("kind", PatchKind.self),
                    rebootBehavior: try p.optionalVocabulary("rebootBehavior", RebootBehavior.self)))
            }
            return .install(Install(activityId: activityId, trigger: trigger, status: status, rebootStatus: rebootStatus,
                                    maintenanceWindowExceeded: exceeded, request: request, patches: patches))
        case .reboot:
            return .reboot(Reboot(reason: try requiredVocabulary("reason", why, RebootReason.self),
                                  status: try requiredVocabulary("status", why, RebootOutcome.self)))
        case .rollback:
            return .rollback(Rollback(uninstalled: try kbs(try require("uninstalled", why), "uninstalled"),
                                      restoredBaseline: try requiredKB("restoredBaseline", why)))
        }
    }
}
