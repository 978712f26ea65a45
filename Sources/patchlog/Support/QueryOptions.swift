import Answers
import ArgumentParser
import EventLog
import Events
import LogStore
import Replay
import SystemIO
import TextFormats

/// Parses a time option: RFC 3339 with any offset, or a plain date (that day's
/// start, UTC).
func parseTime(_ text: String) throws -> Timestamp {
    do { return try Timestamp(parsing: text) } catch { throw ValidationError("\(error)") }
}

/// Parses a KB option: `KB` + digits or digits alone.
func parseKB(_ text: String) throws -> KB {
    guard let kb = KB(text) else { throw ValidationError("\"\(text)\" is not a KB: expected KB followed by digits (KB5034129) or the digits alone") }
    return kb
}

/// Refuses an empty `--vm` (it would match nothing, silently).
func validateVM(_ vm: String?) throws {
    if let vm, vm.allSatisfy(\.isWhitespace) { throw ValidationError("--vm is empty: expected a VM's name or resource id") }
}

/// The VM `--vm` means (``VMLookup``); a name several VMs share is an error listing them.
func resolveVM(_ vm: String, in replayer: Replayer) throws -> String {
    do { return try VMLookup.resolve(vm, in: replayer) } catch {
        throw CommandFailure("--vm \(vm) is the name of \(error.candidates.count) VMs in the log; give one's whole resource id:\n  "
                             + error.candidates.map(TextTable.visible).joined(separator: "\n  "))
    }
}

/// The VM `--vm` means in `log`.
func resolveVM(_ vm: String, in log: HotpatchLog) throws -> String {
    try resolveVM(vm, in: Replayer(log: log))
}

/// `--wide`: tables show each VM by its whole id.
struct WideOption: ParsableArguments {
    @Flag(help: "In tables, show each VM by its whole resource id, not by its name (JSON and CSV always give the id).")
    var wide = false

    /// How tables show the VMs of `log`.
    func names(_ log: HotpatchLog) -> VMNames { VMNames(log.vms, wide: wide) }

    /// How a table of `vm` alone shows it: as a table of every VM of `log` would
    /// (only the VMs that share its name are looked at).
    func names(_ log: HotpatchLog, for vm: String) -> VMNames { VMNames.forOne(vm, in: log, wide: wide) }
}

/// Options of the commands that replay: the log, and the supported image list.
struct ReplayOptions: ParsableArguments {
    @OptionGroup var location: LogLocation

    @Option(name: .customLong("supported-images"), help: ArgumentHelp(
        "Try another list of supported images (a file, one publisher/offer/sku per line) instead of the log's.",
        discussion: "By default the list is the log's own: the latest supported.images event at the moment asked (see `patchlog images`), else the list built in (docs/domain.md). A file dropped in the log directory is never read.",
        valueName: "file"))
    var supportedImagesFile: String?

    /// The supported image list in force at `at` (as recorded at `asRecorded`): the
    /// file given, else the log's.
    func supportedImages(in log: HotpatchLog, at: Timestamp, asRecorded: UInt64?) throws -> SupportedImages {
        if let path = supportedImagesFile { return try supportedImages(fromFile: path) }
        if FileSystem.exists(location.directory + "/supported-images.txt") {
            Terminal.note("\(location.directory)/supported-images.txt is not read: the supported image list is kept in the log (`patchlog images set`)")
        }
        return try SupportedImages.inForce(in: log, at: at, asRecorded: asRecorded ?? .max)
    }

    /// The supported image list in the file at `path` (`--supported-images`).
    func supportedImages(fromFile path: String) throws -> SupportedImages {
        guard let data = try? FileSystem.read(path) else { throw CommandFailure("cannot read the supported image list \(path)") }
        return try SupportedImages(parsing: String(decoding: data, as: UTF8.self), source: path)
    }

    /// The log, opened for reading, with a replayer that judges images by the list in
    /// force at `at` (as recorded at `asRecorded`).
    func replayer(at: Timestamp = Timestamp(nanoseconds: .max), asRecorded: UInt64? = nil) throws -> Replayer {
        let log = HotpatchLog(store: try location.open(.reader))
        return Replayer(log: log, supportedImages: try supportedImages(in: log, at: at, asRecorded: asRecorded))
    }
}

/// `--as-recorded N`: what the log knew when it held N events.
struct AsRecordedOption: ParsableArguments {
    @Option(name: .customLong("as-recorded"), parsing: .unconditional, help: ArgumentHelp(
        "Fold only the events appended up to sequence number N: what the log knew then.", valueName: "N"))
    var asRecorded: UInt64?

    func validate() throws {
        if asRecorded == 0 { throw ValidationError("--as-recorded counts from 1") }
    }
}

/// Output formats of the query commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Writes text to standard output in one go.
func emit(_ text: String) {
    try? SystemFile.standardOutput.writeNext(Array(text.utf8))
}

/// Warns on standard error when the log has no events of a VM, naming the VMs whose
/// resource id ends in that name (a VM is matched by its whole id, in any case).
func warnIfUnknown(_ vm: String, in log: HotpatchLog) {
    guard log.knownVM(vm) == nil else { return }
    Terminal.note("the log has no events of VM \(vm)" + suggestion(for: vm, in: log))
}

/// `; did you mean …?` when `vm` is the last part of known VMs' resource ids.
func suggestion(for vm: String, in log: HotpatchLog) -> String {
    let name = vm.lowercased()
    guard !name.isEmpty, !name.contains("/") else { return "" }
    let matches = VMNames.matching(name, in: log).filter { $0.contains("/") }
    guard !matches.isEmpty else { return "" }
    let shown = matches.prefix(3).joined(separator: ", ") + (matches.count > 3 ? " and \(matches.count - 3) more" : "")
    return "; did you mean \(shown)? (--vm takes the VM's whole resource id, in any case)"
}

/// Warns on standard error when `--as-recorded N` is past the end of the log: the
/// answer is then the log as it is now, not as it was at sequence N.
func warnIfPastEnd(_ asRecorded: UInt64?, in log: HotpatchLog) {
    guard let n = asRecorded, n > log.store.count else { return }
    Terminal.note("--as-recorded \(n) is past the end of the log (\(log.store.count) events): this is what the log holds now")
}

/// The time of the log's latest event (the end of the time it covers), from the
/// store's block index without decoding a record; nil for an empty log.
func lastEventTime(_ log: HotpatchLog) throws -> Timestamp? {
    guard let file = log.store as? FileLog else { return nil }
    return try file.statistics().timeRange.map { Timestamp(nanoseconds: $0.upperBound) }
}
