/// How tables show VMs to people: by name, as the Azure portal and `az vm list -o
/// table` do, not by a resource id of 130 characters.
///
/// A VM's **name** is the last segment of its resource id
/// (`/subscriptions/…/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01`
/// → `web-01`); an id that is not a path is its own name. Where several VMs of the
/// fleet share a name, they are shown as `resource-group/name`, and where even that
/// repeats (two subscriptions), by their whole id. Names compare case-insensitively,
/// as Azure's do. JSON and CSV keep the whole id; `--wide` shows it in tables too.
public struct VMNames: Sendable {
    /// Lower-cased name → how many VMs of the fleet have it.
    private var nameCounts: [String: Int] = [:]
    /// Lower-cased `group/name` → how many VMs have it.
    private var groupCounts: [String: Int] = [:]
    /// Whether every VM is shown by its whole id.
    public let wide: Bool

    /// The names of `vms` (every VM of the log, so that a name is shortened only when
    /// it is unique in the log, not merely among the rows shown).
    public init<S: Sequence>(_ vms: S, wide: Bool = false) where S.Element == String {
        self.wide = wide
        for vm in vms {
            nameCounts[Self.name(of: vm).lowercased(), default: 0] += 1
            if let group = Self.resourceGroup(of: vm) {
                groupCounts[(group + "/" + Self.name(of: vm)).lowercased(), default: 0] += 1
            }
        }
    }

    /// How a table shows `vm`.
    public func display(_ vm: String) -> String {
        guard !wide else { return vm }
        let name = Self.name(of: vm)
        if nameCounts[name.lowercased(), default: 0] <= 1 { return name }
        if let group = Self.resourceGroup(of: vm), groupCounts[(group + "/" + name).lowercased(), default: 0] <= 1 {
            return group + "/" + name
        }
        return vm
    }

    /// The last segment of a resource id (the id itself if it has no `/`, or ends in one).
    public static func name(of vm: String) -> String {
        guard let slash = vm.lastIndex(of: "/") else { return vm }
        let name = vm[vm.index(after: slash)...]
        return name.isEmpty ? vm : String(name)
    }

    /// The segment after `/resourceGroups/` (any case), if the id has one.
    public static func resourceGroup(of vm: String) -> String? {
        let parts = vm.split(separator: "/", omittingEmptySubsequences: false)
        guard let i = parts.firstIndex(where: { $0.lowercased() == "resourcegroups" }), i + 1 < parts.count, !parts[i + 1].isEmpty else { return nil }
        return String(parts[i + 1])
    }

    /// The VMs among `vms` whose name is `name` (case-insensitively), for `--vm NAME`.
    public static func matching<S: Sequence>(_ name: String, in vms: S) -> [String] where S.Element == String {
        let wanted = name.lowercased()
        return vms.filter { Self.name(of: $0).lowercased() == wanted }
    }
}
