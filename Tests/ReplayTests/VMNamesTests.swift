import Answers
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
