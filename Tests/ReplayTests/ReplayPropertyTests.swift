import Answers
import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Randomness
@testable import Replay
import TestSupport
import Testing

/// Random valid event streams (rollbacks, failed installs and reboots, same-time
/// events, out-of-order appends), imported through JSON Lines into a file log, must
/// answer `state` and `when` exactly as the plain reference fold does, for random
/// moments and `--as-recorded` points.
@Suite struct ReplayPropertyTests {
    static let vms = ["vm-a", "VM-B", "vm-c"]
    static let kbs = (1...6).map { KB(UInt64(5_000_000 + $0)) }

    /// How late events are delivered: all at the end (a backlog imported after an
    /// incident), or each some way after later events (exports arriving late).
    enum Delivery { case backlog, delayed }

    static func stream(seed: UInt64, count: Int, vms: [String] = vms, delivery: Delivery = .backlog) -> [Event] {
        var g = SplitMix64(seed: seed)
        let start: Int64 = 1_735_689_600_000_000_000
        func time() -> Timestamp { Timestamp(nanoseconds: start + Int64.random(in: 0..<40, using: &g) * 3_600_000_000_000) }
        func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &g)] }
        let vmNames = vms
        var events: [Event] = []
        // Some releases (not every KB has one), possibly late.
        for (i, kb) in kbs.enumerated() where Bool.random(using: &g) {
            let kind = pick(PatchKind.allCases)
            events.append(Event(id: "rel-\(i)", time: time(), body: .release(Release(kb: kb, kind: kind, baseline: kind == .hotpatch ? kbs[0] : nil, classifications: ["Security"]))))
        }
        for n in 0..<count {
            let vm = pick(vmNames)
            let vmName = Bool.random(using: &g) ? vm : vm.uppercased()
            let body: Event.Body
            switch Int.random(in: 0..<10, using: &g) {
            case 0:
                body = .vmRegistered(VMRegistration(subscription: "sub", image: ImageReference(publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: pick(["2022-datacenter-azure-edition-hotpatch", "2022-datacenter"])), platform: .azure, patchMode: .automaticByPlatform, hotpatch: Bool.random(using: &g)))
            case 1: body = .vmHotpatch(enabled: Bool.random(using: &g))
            case 2:
                body = .assessment(Assessment(activityId: "as-\(n)", trigger: .periodic, status: .succeeded, rebootPending: false,
                                              available: kbs.shuffled(using: &g).prefix(Int.random(in: 0...3, using: &g)).map { AvailablePatch(kb: $0, classifications: ["Security"]) }))
            case 3, 4, 5:
                let patches = kbs.shuffled(using: &g).prefix(Int.random(in: 1...3, using: &g)).map {
                    InstalledPatch(kb: $0, classifications: ["Security"], state: pick([.installed, .installed, .failed, .pending]),
                                   kind: Bool.random(using: &g) ? pick(PatchKind.allCases) : nil,
                                   rebootBehavior: Bool.random(using: &g) ? pick(RebootBehavior.allCases) : nil)
                }
                body = .install(Install(activityId: "in-\(n)", trigger: .platform, status: .succeeded, rebootStatus: pick(RebootStatus.allCases), patches: Array(patches)))
            case 6, 7: body = .reboot(Reboot(reason: .update, status: pick([.completed, .completed, .failed])))
            case 8: body = .rollback(Rollback(uninstalled: Array(kbs.shuffled(using: &g).prefix(2)), restoredBaseline: pick(kbs)))
            default: body = .vmPower(pick(PowerState.allCases))
            }
            events.append(Event(id: "e-\(n)", time: time(), vm: vmName, body: body))
        }
        // Mostly in time order; a fifth delivered late.
        events.sort { $0.time < $1.time }
        let late = events.indices.filter { _ in Int.random(in: 0..<5, using: &g) == 0 }
        switch delivery {
        case .backlog:
            let backlog = late.map { events[$0] }
            for i in late.reversed() { events.remove(at: i) }
            return events + backlog
        case .delayed:
            // Each late event moves 1...60 places on, past events that happened later.
            var order = events.indices.map { (position: Double($0), event: events[$0]) }
            for i in late { order[i].position += Double(Int.random(in: 1...60, using: &g)) + 0.5 }
            return order.sorted { $0.position < $1.position }.map(\.event)
        }
    }

    @Test(arguments: 1...12)
    func logReplayMatchesTheReferenceFold(seed: Int) throws {
        let events = Self.stream(seed: UInt64(seed), count: 120)
        let dir = NSTemporaryDirectory() + "patchlog-prop-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Through JSON Lines, as a user would feed it.
        let jsonl = events.map(EventJSONEncoder.encode).joined(separator: "\n") + "\n"
        try jsonl.write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)
        let store = try FileLog.create(at: dir + "/log", options: LogOptions(segmentBytes: 4096, blockBytes: 512, sync: .none))
        let log = HotpatchLog(store: store)
        #expect(try Importer(log: log).importFile(dir + "/events.jsonl").appended == events.count)

        // The reference sees VMs under their first-written name, as patchlog shows them.
        var firstName: [String: String] = [:]
        for e in events { if let vm = e.vm, firstName[vm.lowercased()] == nil { firstName[vm.lowercased()] = vm } }
        let numbered = events.enumerated().map { (seq: UInt64($0.offset + 1), event: $0.element) }
        let reference = ReferenceFold(events: numbered)
        let replayer = Replayer(log: log)
        var g = SplitMix64(seed: UInt64(seed) * 7919)
        let supported: (ImageReference) -> Bool = { SupportedImages.defaultList.contains(publisher: $0.publisher, offer: $0.offer, sku: $0.sku) }
        for _ in 0..<25 {
            let at = 1_735_689_600_000_000_000 + Int64.random(in: -1...41, using: &g) * 3_600_000_000_000
            let asRecorded = Bool.random(using: &g) ? UInt64(events.count) : UInt64.random(in: 1...UInt64(events.count), using: &g)
            for vm in Self.vms {
                let name = firstName[vm.lowercased()] ?? vm
                let state = try replayer.state(ofVM: vm, at: Timestamp(nanoseconds: at), asRecorded: asRecorded)
                let got = QueryOutput.stateJSON(state, at: Timestamp(nanoseconds: at), supportedImage: replayer.supportedImage(state), asRecorded: nil)
                let want = reference.state(vm: name, at: at, asRecorded: asRecorded, supported: supported)
                #expect(TestSupport.canonical(try JSONSerialization.jsonObject(with: Data(got.utf8))) == TestSupport.canonical(want), "seed \(seed) vm \(vm) at \(Timestamp(nanoseconds: at)) asRecorded \(asRecorded)")
            }
            let kb = Self.kbs[Int.random(in: 0..<Self.kbs.count, using: &g)]
            let whenAt: Int64? = Bool.random(using: &g) ? at : nil
            let got = QueryOutput.whenJSON(try replayer.installs(of: kb, at: whenAt.map(Timestamp.init(nanoseconds:)), asRecorded: asRecorded))
            let want = reference.when(kb, at: whenAt, asRecorded: asRecorded, vms: Self.vms.map { firstName[$0.lowercased()] ?? $0 }.sorted())
            #expect(TestSupport.canonical(try JSONSerialization.jsonObject(with: Data(got.utf8))) == TestSupport.canonical(want), "seed \(seed) when \(kb)")
        }
    }

    /// A full replay (one pass, late events put in place as it meets them, folded in
    /// batches grouped by VM) gives every VM the state the reference fold gives, with
    /// a fifth of the events delivered late, at many moments and `--as-recorded` points.
    @Test(arguments: 1...8)
    func fleetReplayOfLateDeliveriesMatchesTheReferenceFold(seed: Int) throws {
        let names = (0..<9).map { "vm-\($0)" }
        let events = Self.stream(seed: UInt64(seed) &* 104_729, count: 400, vms: names, delivery: seed % 2 == 0 ? .delayed : .backlog)
        let dir = NSTemporaryDirectory() + "patchlog-prop-fleet-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileLog.create(at: dir, options: LogOptions(segmentBytes: 8192, blockBytes: 700, sync: .none))
        let log = HotpatchLog(store: store)
        for chunk in stride(from: 0, to: events.count, by: 37) { _ = try log.append(Array(events[chunk..<min(chunk + 37, events.count)])) }
        let numbered = events.enumerated().map { (seq: UInt64($0.offset + 1), event: $0.element) }
        let reference = ReferenceFold(events: numbered)
        var replayer = Replayer(log: log)
        // Folded in batches of one record, a few, and all at once.
        replayer.batchRecords = [1, 5, 64, 1 << 15][seed % 4]
        let supported: (ImageReference) -> Bool = { SupportedImages.defaultList.contains(publisher: $0.publisher, offer: $0.offer, sku: $0.sku) }
        var g = SplitMix64(seed: UInt64(seed) * 31)
        for _ in 0..<20 {
            let at = 1_735_689_600_000_000_000 + Int64.random(in: -1...41, using: &g) * 3_600_000_000_000
            let asRecorded = Bool.random(using: &g) ? UInt64(events.count) : UInt64.random(in: 1...UInt64(events.count), using: &g)
            let fleet = try replayer.fleet(at: Timestamp(nanoseconds: at), asRecorded: asRecorded)
            for state in fleet {
                let got = QueryOutput.stateJSON(state, at: Timestamp(nanoseconds: at), supportedImage: replayer.supportedImage(state), asRecorded: nil)
                let want = reference.state(vm: state.vm, at: at, asRecorded: asRecorded, supported: supported)
                #expect(TestSupport.canonical(try JSONSerialization.jsonObject(with: Data(got.utf8))) == TestSupport.canonical(want),
                        "seed \(seed) vm \(state.vm) at \(Timestamp(nanoseconds: at)) asRecorded \(asRecorded)")
            }
            // Asked for some types only, the fold gets exactly the events of those
            // types, in order, late ones included; each VM that folded any is
            // finished once, after its last; the values come sorted by VM, on one
            // worker or several.
            struct Folded { var vm: String; var seen: [(Int64, UInt64)] = []; var finished = 0 }
            let types: Set<EventType> = [.install, .reboot, .rollback]
            let folded = try replayer.foldEveryVM(at: Timestamp(nanoseconds: at), asRecorded: asRecorded, workers: 1 + seed % 3, only: types,
                                                  start: { Folded(vm: $0) }, finish: { $0.finished += 1 }) { folded, view, time, sequence in
                #expect(types.contains(view.type))
                #expect(folded.finished == 0, "seed \(seed): folded after its finish")
                folded.seen.append((time.nanoseconds, sequence))
            }
            for (f, count) in folded {
                #expect(f.seen.count == count)
                #expect(f.finished == (count > 0 ? 1 : 0), "seed \(seed) vm \(f.vm)")
                #expect(zip(f.seen, f.seen.dropFirst()).allSatisfy { $0 < $1 }, "seed \(seed): folded out of order")
            }
            #expect(folded.map(\.0.vm) == folded.map(\.0.vm).sorted(), "seed \(seed): not sorted by VM")
            let wantedCount = numbered.filter { $0.seq <= asRecorded && $0.event.time.nanoseconds <= at && types.contains($0.event.type) }.count
            #expect(folded.reduce(0) { $0 + $1.1 } == wantedCount, "seed \(seed) at \(at) asRecorded \(asRecorded)")
            // Every VM with an event folded by then is in the fleet.
            let expected = Set(numbered.filter { $0.seq <= asRecorded && $0.event.time.nanoseconds <= at }.compactMap { $0.event.vm?.lowercased() })
            #expect(Set(fleet.map { $0.vm.lowercased() }) == expected, "seed \(seed) at \(at) asRecorded \(asRecorded)")
        }
    }
}
