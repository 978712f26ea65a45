import ArgumentParser
import Events
import Replay
import TextFormats

extension Patchlog {
    /// `patchlog diff --vm V --from T1 --to T2`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "What changed on a VM between two moments: installs, patches that became effective, uninstalls, baseline and enrolment.")

        @OptionGroup var options: ReplayOptions
        @OptionGroup var recorded: AsRecordedOption

        @OptionGroup var wide: WideOption
        @Option(help: "The VM: its name, if no other VM in the log has it, else its resource id (any case).") var vm: String
        @Option(help: "The earlier moment.", transform: parseTime) var from: Timestamp
        @Option(help: "The later moment.", transform: parseTime) var to: Timestamp

        func validate() throws {
            try validateVM(vm)
            if to < from { throw ValidationError("--to \(to) is before --from \(from)") }
        }

        func run() throws {
            let replayer = try options.replayer()
            let vm = try resolveVM(vm, in: replayer.log)
            warnIfUnknown(vm, in: replayer.log)
            warnIfPastEnd(recorded.asRecorded, in: replayer.log)
            let (_, after, d) = try replayer.diff(vm: vm, from: from, to: to, asRecorded: recorded.asRecorded ?? .max)
            var out = "\(TextTable.visible(wide.names(replayer.log).display(after.vm))): from \(from) to \(to)\n\n"
            if d.isEmpty { out += "no changes\n" }
            for p in d.installed { out += "installed         \(p.kb) (\(p.kind.name)) at \(p.installedAt)\n" }
            for p in d.becameEffective { out += "became effective  \(p.kb) at \(p.effectiveAt!)\n" }
            for p in d.uninstalled { out += "uninstalled       \(p.kb)\(p.uninstalledAt.map { " at \($0)" } ?? "")\n" }
            if let b = d.baseline { out += "baseline          \(b.from?.description ?? "none") -> \(b.to?.description ?? "none")\n" }
            if let h = d.hotpatchEnabled { out += "hotpatch          \(h.from ? "enabled" : "disabled") -> \(h.to ? "enabled" : "disabled")\n" }
            if let r = d.pendingReboot { out += "pending reboot    \(r.from ? "yes" : "no") -> \(r.to ? "yes" : "no")\n" }
            emit(out)
        }
    }
}
