import Answers
import EventLog
import Events
import Foundation
import LogStore
import Testing

/// How tables name VMs (`VMNames`): the last segment of the resource id, the resource
/// group found in any case, and `group/name` or the whole id where names repeat.
@Suite struct VMNamesTests {
    static let rg = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/"

    @Test func nameIsTheLastSegment() {
        #expect(VMNames.name(of: Self.rg + "rg-a/providers/Microsoft.Compute/virtualMachines/web-01") == "web-01")
        #expect(VMNames.name(of: "vm-plain") == "vm-plain")
        #expect(VMNames.name(of: "ends/in/slash/") == "ends/in/slash/")
        #expect(VMNames.name(of: "/") == "/")
        #expect(VMNames.name(of: "a/bé-ünï") == "bé-ünï")
    }

    @Test func resourceGroupInAnyCase() {
        #expect(VMNames.resourceGroup(of: Self.rg + "rg-a/providers/x/virtualMachines/web-01") == "rg-a")
        #expect(VMNames.resourceGroup(of: "/subscriptions/s/RESOURCEGROUPS/Rg-B/providers/x") == "Rg-B")
        #expect(VMNames.resourceGroup(of: "/subscriptions/s/resourcegroups/grüppe") == "grüppe")
        #expect(VMNames.resourceGroup(of: "/subscriptions/s/resourceGroups//x/resourceGroups/later") == nil)
        #expect(VMNames.resourceGroup(of: "/subscriptions/s/resourceGroups") == nil)
        #expect(VMNames.resourceGroup(of: "/subscriptions/s/resourceGroupsX/a") == nil)
        #expect(VMNames.resourceGroup(of: "vm-plain") == nil)
        #expect(VMNames.resourceGroup(of: "") == nil)
    }

    @Test func repeatedNamesAreShownByGroupThenByID() {
        let a = Self.rg + "rg-a/providers/Microsoft.Compute/virtualMachines/web-01"
        let b = Self.rg + "rg-b/providers/Microsoft.Compute/virtualMachines/WEB-01"
        let c = "/subscriptions/other/resourceGroups/rg-b/providers/Microsoft.Compute/virtualMachines/web-01"
        let d = Self.rg + "rg-a/providers/Microsoft.Compute/virtualMachines/db-01"
        let names = VMNames([a, b, c, d])
        #expect(names.display(d) == "db-01")
        #expect(names.display(a) == "rg-a/web-01")
        #expect(names.display(b) == b)
        #expect(names.display(c) == c)
        #expect(VMNames([a, b, c, d], wide: true).display(d) == d)
    }
}

/// Names found by searching a log's keys (`VMNames.matching(_:in:)` with a log,
/// `VMNames.forOne`, `HotpatchLog.knownVM`) agree with the same over the list of
/// every VM, in a file log and in memory.
@Suite struct VMNameSearchTests {
    static let rg = VMNamesTests.rg
    static let vms = [
        rg + "rg-a/providers/Microsoft.Compute/virtualMachines/web-01",
        rg + "rg-b/providers/Microsoft.Compute/virtualMachines/WEB-01",
        "/subscriptions/other/resourceGroups/rg-b/providers/Microsoft.Compute/virtualMachines/web-01",
        rg + "rg-a/providers/Microsoft.Compute/virtualMachines/db-01",
        rg + "rg-a/providers/Microsoft.Compute/virtualMachines/Ünï-01",
        "plain-vm", "ends/in/slash/",
        rg + "rg-c/providers/Microsoft.Compute/virtualMachines/\u{212A}elvin-01",  // Kelvin sign: lower-cases to "k"
    ]

    static func logs() throws -> [HotpatchLog] {
        let file = try FileLog.create(at: NSTemporaryDirectory() + "patchlog-names-\(UUID().uuidString)", options: LogOptions(sync: .none))
        return try [InMemoryLog() as any LogStore, file].map { store in
            _ = try HotpatchLog(store: store).append(vms.enumerated().map { i, vm in
                Event(id: "e\(i)", time: Timestamp(nanoseconds: Int64(i) * 1_000_000_000), vm: vm, body: .vmHotpatch(enabled: true))
            })
            // A reader's view, which has not learnt the VMs by appending them.
            return HotpatchLog(store: store)
        }
    }

    @Test func searchingTheKeysFindsWhatTheListFinds() throws {
        for log in try Self.logs() {
            // Before `vms` teaches the log every VM: found by searching the keys.
            #expect(log.knownVM(Self.vms[1].lowercased()) == Self.vms[1])
            #expect(log.knownVM(Self.vms[4].uppercased()) == Self.vms[4])
            #expect(log.knownVM("web-01") == nil)
            #expect(Set(log.vms) == Set(Self.vms))
            for name in ["web-01", "WEB-01", "db-01", "ünï-01", "ÜNÏ-01", "plain-VM", "ends/in/slash/", "nothing", "01", "", "kelvin-01", "KELVIN-01"] {
                #expect(VMNames.matching(name, in: log) == VMNames.matching(name, in: log.vms).sorted(), "\(name)")
            }
            for vm in Self.vms {
                let one = VMNames.forOne(vm, in: log)
                #expect(one.display(vm) == VMNames(log.vms).display(vm), "\(vm)")
                #expect(log.knownVM(vm.uppercased()) == vm)
                #expect(log.knownVM(vm.lowercased()) == vm)
            }
            #expect(log.knownVM("web-01") == nil)
            // A VM the log does not know is shown as the whole fleet's names show it.
            let unknown = Self.rg + "rg-z/providers/Microsoft.Compute/virtualMachines/web-01"
            #expect(VMNames.forOne(unknown, in: log).display(unknown) == VMNames(log.vms).display(unknown))
        }
    }
}

/// `CaseInsensitiveText` agrees with comparing `lowercased()` strings.
@Suite struct CaseInsensitiveTextTests {
    @Test func agreesWithLowercasedStrings() {
        let texts = ["web-01", "WEB-01", "Web-01x", "", "ünï", "ÜNÏ", "\u{212A}elvin", "kelvin", "KELVIN", "kelvi", "é", "E\u{301}",
                     "web\u{037E}01", "WEB;01", "web;01", "\u{212A}\u{212A}", "kk", "KK"]
        for a in texts {
            let wanted = CaseInsensitiveText(a)
            for b in texts {
                #expect(wanted.matches(Array(b.utf8)[...]) == (a.lowercased() == b.lowercased()), "\(a) against \(b)")
            }
        }
    }
}
