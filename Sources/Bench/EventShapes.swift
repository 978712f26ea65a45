import Events
import Foundation
import Randomness

/// Records shaped like the events of docs/events.md: mostly assessments with several
/// available patches, then installs, reboots and releases, for a fleet of VMs with
/// long Azure resource ids, in time order. Deterministic for a seed.
struct EventShapes {
    var rng: SplitMix64
    let vms: Int
    var time: Int64 = 1_735_689_600_000_000_000 // 2025-01-01T00:00:00Z
    var sequence = 0

    init(vms: Int, seed: UInt64) {
        self.vms = vms
        rng = SplitMix64(seed: seed)
    }

    static func vmID(_ n: Int) -> String {
        "/subscriptions/6a2f1c1e-8a4d-4f0e-9c7b-\(String(format: "%012d", n % 7))/resourceGroups/rg-hotpatch-\(n % 13)/providers/Microsoft.Compute/virtualMachines/vm-\(String(format: "%05d", n))"
    }

    mutating func next() -> (time: Int64, stream: String, id: String, payload: [UInt8]) {
        sequence += 1
        time += Int64(rng.next(upTo: 40)) * 1_000_000_000 + Int64(rng.next(upTo: 1000)) * 1_000_000
        let vm = Self.vmID(rng.next(upTo: vms))
        let t = iso(time)
        let roll = rng.next(upTo: 100)
        let json: String
        let id: String
        if roll < 70 {
            id = "assess-\(sequence)"
            let n = 1 + rng.next(upTo: 6)
            let patches = (0..<n).map { _ -> String in
                let kb = 5_040_000 + rng.next(upTo: 60)
                let cls = ["[\"Security\"]", "[\"Critical\",\"Security\"]", "[\"Updates\"]", "[\"Definitions\"]"][rng.next(upTo: 4)]
                let rb = ["NeverReboots", "AlwaysRequiresReboot", "CanRequestReboot"][rng.next(upTo: 3)]
                return "{\"kb\":\"KB\(kb)\",\"classifications\":\(cls),\"rebootBehavior\":\"\(rb)\"}"
            }
            json = "{\"id\":\"\(id)\",\"type\":\"assessment\",\"time\":\"\(t)\",\"vm\":\"\(vm)\",\"activityId\":\"\(uuid())\",\"trigger\":\"Periodic\",\"status\":\"Succeeded\",\"rebootPending\":false,\"available\":[\(patches.joined(separator: ","))]}"
        } else if roll < 88 {
            id = "install-\(sequence)"
            let kb = 5_040_000 + rng.next(upTo: 60)
            json = "{\"id\":\"\(id)\",\"type\":\"install\",\"time\":\"\(t)\",\"vm\":\"\(vm)\",\"activityId\":\"\(uuid())\",\"trigger\":\"Platform\",\"status\":\"Succeeded\",\"rebootStatus\":\"NotNeeded\",\"patches\":[{\"kb\":\"KB\(kb)\",\"classifications\":[\"Security\"],\"state\":\"Installed\",\"kind\":\"hotpatch\"}]}"
        } else if roll < 97 {
            id = "reboot-\(sequence)"
            json = "{\"id\":\"\(id)\",\"type\":\"reboot\",\"time\":\"\(t)\",\"vm\":\"\(vm)\",\"reason\":\"Baseline\",\"status\":\"Completed\"}"
        } else {
            id = "power-\(sequence)"
            json = "{\"id\":\"\(id)\",\"type\":\"vm.power\",\"time\":\"\(t)\",\"vm\":\"\(vm)\",\"state\":\"Running\"}"
        }
        return (time, vm.lowercased(), id, Array(json.utf8))
    }

    private mutating func uuid() -> String {
        let a = rng.next(), b = rng.next()
        let h = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    private func iso(_ ns: Int64) -> String { Timestamp(nanoseconds: ns).description }
}


extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
