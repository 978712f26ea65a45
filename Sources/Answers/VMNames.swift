import EventLog

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
            let name = Self.name(of: vm)
            nameCounts[name.lowercased(), default: 0] += 1
            if let group = Self.resourceGroup(of: vm) {
                groupCounts[(group + "/" + name).lowercased(), default: 0] += 1
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
        // On the UTF-8 bytes: every VM of the log passes here for one table, and
        // Character-by-Character search cost a one-VM `state` table most of its time.
        let utf8 = vm.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return vm }
        let after = utf8.index(after: slash)
        return after == utf8.endIndex ? vm : String(vm[after...])
    }

    /// The segment after `/resourceGroups/` (any case), if the id has one: the segment
    /// after the first one that is `resourceGroups`, if that is not empty.
    public static func resourceGroup(of vm: String) -> String? {
        let utf8 = vm.utf8
        var start = utf8.startIndex
        var afterResourceGroups = false
        var i = start
        while true {
            let atEnd = i == utf8.endIndex
            if atEnd || utf8[i] == UInt8(ascii: "/") {
                if afterResourceGroups { return start == i ? nil : String(vm[start..<i]) }
                afterResourceGroups = equalsIgnoringASCIICase(utf8[start..<i], "resourcegroups")
                if atEnd { return nil }
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
    }

    /// Whether `bytes` spell `lowercase` (ASCII letters in either case).
    private static func equalsIgnoringASCIICase(_ bytes: Substring.UTF8View, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { b, e in b == e || (b >= 0x41 && b <= 0x5A && b | 0x20 == e) }
        }
    }

    /// The VMs among `vms` whose name is `name` (case-insensitively), for `--vm NAME`.
    public static func matching<S: Sequence>(_ name: String, in vms: S) -> [String] where S.Element == String {
        let wanted = name.lowercased()
        return vms.filter { Self.name(of: $0).lowercased() == wanted }
    }

    /// The VMs of `log` whose name is `name` (case-insensitively), sorted: what
    /// ``matching(_:in:)`` finds among all of them, found by a search of the log's
    /// keys that makes a string only of the VMs it finds.
    public static func matching(_ name: String, in log: HotpatchLog) -> [String] {
        let wanted = CaseInsensitiveText(name)
        return log.vms(whereID: { id in wanted.matches(Self.name(ofID: id)) }).sorted()
    }

    /// The names of the VMs of `log` that share `vm`'s name: all a table of `vm`
    /// alone needs to show it as ``init(_:wide:)`` over every VM of the log would.
    public static func forOne(_ vm: String, in log: HotpatchLog, wide: Bool = false) -> VMNames {
        VMNames(matching(Self.name(of: vm), in: log), wide: wide)
    }

    /// ``name(of:)`` of an id given as UTF-8 bytes.
    static func name(ofID id: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let slash = id.lastIndex(of: UInt8(ascii: "/")) else { return id }
        let after = id.index(after: slash)
        return after == id.endIndex ? id : id[after...]
    }
}
