import Events

/// Assessment and installation results → `assessment`, `install` and `reboot` events.
///
/// One converter serves every shape that carries them: the AssessPatches and
/// InstallPatches results of a VM or an Arc-enabled server (REST), the summary and
/// `softwarePatches` rows of Resource Graph (whose `properties` use the same names),
/// and a VM instance view's `patchStatus` summaries.
enum PatchResultConverter {
    /// An assessment. `summary` holds the run's fields; `patches` the available
    /// updates (nil when the payload has only counts, as Arc's and Resource Graph
    /// summaries without their rows do).
    static func assessment(summary s: JSONNode, activityId given: String?, patches: [JSONNode]?, machine: MachineID,
                           context: ConversionContext, idKind: String = "assessment") throws(ItemError) -> Converted {
        var out = Converted()
        guard let (activity, time) = try run(s, "assessment", activityMember: "assessmentActivityId", given: given, &out) else { return out }
        let rebootPending = try s.optionalBool("rebootPending") ?? false
        let status = AzureVocabulary.status(try s.optionalString("status"))
        var available: [AvailablePatch] = []
        var published: [(String, String)] = []
        if let patches {
            for p in patches {
                guard let patch = try availablePatch(p, &out.notes) else { continue }
                available.append(patch)
                let date = try p.optionalString("publishedDate")
                let dateTime = try p.optionalString("publishedDateTime")
                if let date = date ?? dateTime {
                    published.append((patch.kb.description, date))
                }
            }
        } else if try countAvailable(s) > 0 {
            out.notes.append("\(label(s)): counts \(try countAvailable(s)) available patches but does not list them: no assessment event (it would say nothing is missing); import the AssessPatches result or the Resource Graph rows for the list")
            return out
        }
        if available.isEmpty, let word = try s.optionalString("status"), unfinished.contains(word.lowercased()) {
            out.notes.append("\(label(s)): an assessment that is \(word) and lists nothing says nothing about what is missing: no assessment event (it would clear the VM's missing updates)")
            return out
        }
        let extra = context.extra(item: s.path) { j in
            if !published.isEmpty {
                j.key("published")
                j.beginObject()
                for (kb, date) in published { j.member(kb, date) }
                j.endObject()
            }
            if status == .unknown, let azure = s["status"]?.string { j.member("azureStatus", azure) }
        }
        available.sort { $0.kb < $1.kb }
        let body = Assessment(activityId: activity, trigger: AzureVocabulary.assessmentTrigger(try s.optionalString("startedBy")),
                              status: status, rebootPending: rebootPending, available: available)
        // Keyed by the VM and the run's start, which every shape of the run carries (a
        // Resource Graph export without its `name` column has no activity id of its own).
        out.events.append(Event(id: "azure:\(idKind):\(machine.key):\(runKey(time))", time: time, vm: machine.vm,
                                body: .assessment(body), extra: extra))
        return out
    }

    /// An install, and a `reboot` when its `rebootStatus` is `Completed`. `request` is
    /// the InstallPatches input when the payload has it.
    static func install(summary s: JSONNode, activityId given: String?, patches: [JSONNode]?, request: JSONNode?, machine: MachineID,
                        context: ConversionContext, idKind: String = "install") throws(ItemError) -> Converted {
        var out = Converted()
        guard let (activity, time) = try run(s, "installation", activityMember: "installationActivityId", given: given, &out) else { return out }
        let status = AzureVocabulary.status(try s.optionalString("status"))
        let azureReboot = try s.optionalString("rebootStatus")
        let rebootStatus = azureReboot.flatMap { AzureVocabulary.match($0, RebootStatus.self) } ?? .unknown
        if let azureReboot, rebootStatus == .unknown, azureReboot.lowercased() != "unknown" {
            out.notes.append("\(label(s)).rebootStatus: \"\(azureReboot)\" is not an events.md reboot status: recorded as Unknown")
        }
        var installed: [InstalledPatch] = []
        for p in patches ?? [] {
            guard let available = try availablePatch(p, &out.notes) else { continue }
            let stateText = try p.optionalString("installationState")
            let state = stateText.flatMap { AzureVocabulary.match($0, PatchState.self) } ?? .unknown
            if let stateText, state == .unknown, stateText.lowercased() != "unknown" {
                out.notes.append("\(p.path).installationState: \"\(stateText)\" is not an events.md patch state: recorded as Unknown")
            }
            // The run's rebootStatus, not the entry, says whether an installed patch needed a
            // reboot: REST entries have no rebootBehavior, and a Resource Graph row's is the
            // run's reboot setting. NotNeeded: it took effect without one.
            installed.append(InstalledPatch(kb: available.kb, classifications: available.classifications, state: state, kind: available.kind,
                                            rebootBehavior: state == .installed && rebootStatus == .notNeeded ? .neverReboots : nil))
        }
        installed.sort { $0.kb < $1.kb }
        let windows = request?["windowsParameters"]
        var installRequest: InstallRequest?
        if let windows {
            installRequest = InstallRequest(
                classificationsToInclude: try windows.strings("classificationsToInclude").map(AzureVocabulary.classification),
                kbsToInclude: try kbs(windows, "kbNumbersToInclude"), kbsToExclude: try kbs(windows, "kbNumbersToExclude"))
        }
        var counts: [(String, Int)] = []
        for name in ["installed", "failed", "pending", "excluded", "notSelected"] {
            if let n = try s.optionalCount(name + "PatchCount") { counts.append((name, n)) }
        }
        let maintenanceRun = try s.optionalString("maintenanceRunId")
        let trigger = AzureVocabulary.installTrigger(startedBy: try s.optionalString("startedBy"), maintenanceRunId: maintenanceRun)
        let extra = context.extra(item: s.path) { j in
            if !counts.isEmpty {
                j.key("patchCounts")
                j.beginObject()
                for (name, n) in counts { j.member(name, int: n) }
                j.endObject()
            }
            if status == .unknown, let azure = s["status"]?.string { j.member("azureStatus", azure) }
            if let maintenanceRun { j.member("maintenanceRunId", maintenanceRun) }
        }
        let body = Install(activityId: activity, trigger: trigger, status: status, rebootStatus: rebootStatus,
                           maintenanceWindowExceeded: try s.optionalBool("maintenanceWindowExceeded"), request: installRequest, patches: installed)
        let key = "\(ConversionContext.idPart(activity)):\(machine.key)"
        out.events.append(Event(id: "azure:\(idKind):\(key)", time: time, vm: machine.vm, body: .install(body), extra: extra))
        if rebootStatus == .completed {
            let rebootTime = try ConversionContext.time(s, ["lastModifiedDateTime", "lastModifiedTime"]).map { max($0, time) } ?? time
            out.events.append(Event(id: "azure:reboot:\(key)", time: rebootTime, vm: machine.vm,
                                    body: .reboot(Reboot(reason: .update, status: .completed)), extra: context.extra(item: s.path)))
        }
        return out
    }

    /// A VM instance view's `patchStatus`: its two summaries. They carry counts, not
    /// lists, so the assessment summary becomes an event only when it found nothing.
    static func instanceView(_ patchStatus: JSONNode, machine: MachineID, context: ConversionContext) throws(ItemError) -> Converted {
        var out = Converted()
        if let a = patchStatus["availablePatchSummary"] {
            let c = try assessment(summary: a, activityId: nil, patches: try countAvailable(a) == 0 ? [] : nil, machine: machine,
                                   context: context, idKind: "assessment-summary")
            out.events += c.events
            out.notes += c.notes
        }
        if let i = patchStatus["lastPatchInstallationSummary"] {
            let c = try install(summary: i, activityId: nil, patches: nil, request: nil, machine: machine, context: context, idKind: "install-summary")
            out.events += c.events
            out.notes += c.notes
        }
        return out
    }

    /// A run's activity id and start time; nil, with a note, for a Linux machine's run.
    private static func run(_ s: JSONNode, _ what: String, activityMember: String, given: String?,
                            _ out: inout Converted) throws(ItemError) -> (String, Timestamp)? {
        if isLinux(s) {
            out.notes.append("\(label(s)): a Linux machine's \(what): ignored (patchlog records Windows Hotpatch)")
            return nil
        }
        let stated = try s.optionalString(activityMember)
        guard let activity = given ?? stated else { throw s.error(member: activityMember, "missing (an \(what) result has one)") }
        guard let time = try ConversionContext.time(s, ["startDateTime", "startTime", "lastModifiedDateTime", "lastModifiedTime"]) else {
            throw s.error(member: "startDateTime", "missing (an \(what) result has a start time)")
        }
        return (activity, time)
    }

    /// One patch entry (`kbId`, `classifications`, `rebootBehavior`); nil, with a
    /// note, for an entry without a KB (a Linux package).
    private static func availablePatch(_ p: JSONNode, _ notes: inout [String]) throws(ItemError) -> AvailablePatch? {
        guard let kbText = try p.optionalString("kbId") else {
            let name = (try? p.optionalString("patchName")) ?? (try? p.optionalString("name")) ?? nil
            notes.append("\(label(p)): \(name.map { "\"\($0)\"" } ?? "a patch") has no kbId (a Linux package?): ignored")
            return nil
        }
        guard let kb = KB(kbText) else { throw p.error(member: "kbId", "expected digits (or \"KB\" and digits), got \"\(kbText)\"") }
        let classifications = try p.strings("classifications")
        for c in classifications where !AzureVocabulary.isKnownClassification(c) {
            notes.append("\(label(p)): classification \"\(c)\" is not one Azure documents: kept as written")
        }
        let behaviourText = try p.optionalString("rebootBehavior")
        let behaviour = behaviourText.flatMap { AzureVocabulary.match($0, RebootBehavior.self) }
        if let behaviourText, behaviour == nil {
            notes.append("\(label(p)).rebootBehavior: \"\(behaviourText)\" is not an events.md reboot behaviour: recorded as Unknown")
        }
        var title = try p.optionalString("name")
        if title == nil { title = try p.optionalString("patchName") }
        return AvailablePatch(kb: kb, classifications: classifications.map(AzureVocabulary.classification),
                              rebootBehavior: behaviourText == nil ? nil : (behaviour ?? .unknown),
                              kind: title.map { $0.lowercased().contains("hotpatch") } == true ? .hotpatch : nil)
    }

    private static func kbs(_ node: JSONNode, _ name: String) throws(ItemError) -> [KB] {
        var out: [KB] = []
        for (n, text) in try node.strings(name).enumerated() {
            guard let kb = KB(text) else { throw node.error(member: "\(name)[\(n)]", "expected digits (or \"KB\" and digits), got \"\(text)\"") }
            out.append(kb)
        }
        return out
    }

    /// The part of an event id that names a run by its start: `t` + the nanoseconds in hex.
    static func runKey(_ time: Timestamp) -> String { "t" + String(UInt64(bitPattern: time.nanoseconds), radix: 16) }

    /// Azure's statuses of a run that did not finish its work (lower case).
    static let unfinished: Set<String> = ["inprogress", "failed", "notstarted"]

    /// How many patches a summary counts as available (every count member it has);
    /// an error naming the member when a count is not a whole number.
    static func countAvailable(_ s: JSONNode) throws(ItemError) -> Int {
        var total = (try s.optionalCount("criticalAndSecurityPatchCount") ?? 0) + (try s.optionalCount("otherPatchCount") ?? 0)
        if let byClass = s["availablePatchCountByClassification"] {
            guard byClass.isObject else { throw byClass.error("expected an object of counts by classification, got \(byClass.described)") }
            for name in byClass.memberNames { total += try byClass.optionalCount(name) ?? 0 }
        }
        return total
    }

    static func isLinux(_ s: JSONNode) -> Bool { s["osType"]?.string?.lowercased() == "linux" }

    static func label(_ node: JSONNode) -> String { node.path.isEmpty ? "the payload" : node.path }
}
