import Replay

/// What `--vm` (and the server's `vm=`) means, as `az vm show --name` finds one: a VM
/// of the log by its whole id (any case), else the one VM whose name (the last
/// segment of its resource id) it is. A VM the log does not know is taken as given
/// (the answers then say the log has no events of it).
public enum VMLookup {
    /// A name several VMs of the log share: the caller must give one's whole id.
    public struct Ambiguous: Error, Sendable {
        /// The name given.
        public let name: String
        /// The ids of the VMs that have it, sorted.
        public let candidates: [String]
    }

    /// The VM `vm` means in the log `replayer` reads.
    /// - Throws: ``Ambiguous`` when several VMs of the log have that name.
    public static func resolve(_ vm: String, in replayer: Replayer) throws(Ambiguous) -> String {
        if let known = replayer.log.knownVM(vm) { return known }
        let candidates = VMNames.matching(vm, in: replayer.log)
        if candidates.count > 1 { throw Ambiguous(name: vm, candidates: candidates) }
        return candidates.first ?? vm
    }
}
