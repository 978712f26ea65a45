import Foundation
import Testing

/// Bad input for every command, run as a user would: each case is the command line,
/// the exit code, and the part of the message a person needs (which option, file or
/// field, and what was expected). Commands that write also prove that the log they
/// were pointed at is byte for byte as it was.
///
/// In the arguments and messages, `@LOG` is a log holding the sample history (29
/// events), `@EMPTY` a fresh log, `@MISSING` a path where nothing is, `@NOTALOG` a
/// directory holding one unrelated file, `@FILE` a text file ("hello"), `@DIR` an
/// empty directory, `@KEY`/`@PUB` a key pair, `@OTHERPUB` another public key, `@CP`
/// a checkpoint of `@LOG` (29 records) signed with `@KEY`, `@CP10` one of its first
/// 10 records, `@CPEMPTY` one of `@EMPTY`, `@PROOF` an inclusion proof of record 1
/// against `@CP`, `@CONSISTENCY` a consistency proof from `@CP10` to `@CP`, `@FIX`
/// the Fixtures folder.
struct BadInputCase: Sendable, CustomTestStringConvertible {
    enum Stream: Sendable { case stderr, stdout }

    let args: [String]
    let status: Int32
    let message: String
    let stream: Stream

    init(_ args: [String], _ status: Int32, _ message: String, in stream: Stream = .stderr) {
        self.args = args
        self.status = status
        self.message = message
        self.stream = stream
    }

    var testDescription: String { args.joined(separator: " ") }

    /// Whether the command appends to or creates a log (and so gets a copy of `@LOG`).
    var writes: Bool { ["import", "init", "simulate", "salvage", "raw"].contains(args[0]) }
}

/// The files the cases point at, made once for the whole run.
final class BadInputFixture: Sendable {
    static let shared = BadInputFixture()

    let root: String
    let places: [String: String]

    private init() {
        root = CLITests.temporaryDirectory()
        // Made once per test process; removed when it exits.
        atexit { try? FileManager.default.removeItem(atPath: BadInputFixture.shared.root) }
        let log = root + "/log", empty = root + "/empty"
        func run(_ args: [String]) {
            let r = try! CLITests.patchlog(args)
            precondition(r.status == 0, "fixture: patchlog \(args.joined(separator: " ")): \(r.stderr)")
        }
        run(["init", "--log", log])
        run(["import", "--log", log, EventCommandTests.sample])
        run(["init", "--log", empty])
        try! FileManager.default.createDirectory(atPath: root + "/notalog", withIntermediateDirectories: true)
        try! "notes\n".write(toFile: root + "/notalog/readme.txt", atomically: true, encoding: .utf8)
        try! FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        try! "hello\n".write(toFile: root + "/file.txt", atomically: true, encoding: .utf8)
        run(["keygen", "--out", root + "/signing"])
        run(["keygen", "--out", root + "/other"])
        run(["checkpoint", "--log", log, "--key", root + "/signing.key", "--out", root + "/cp.txt"])
        run(["checkpoint", "--log", empty, "--key", root + "/signing.key", "--out", root + "/cp-empty.txt"])
        run(["prove", "--log", log, "--seq", "1", "--checkpoint", root + "/cp.txt", "--out", root + "/proof.txt"])
        run(["checkpoint", "--log", log, "--key", root + "/signing.key", "--size", "10", "--out", root + "/cp10.txt"])
        run(["prove", "--log", log, "--from", root + "/cp10.txt", "--to", root + "/cp.txt", "--out", root + "/consistency.txt"])
        places = [
            "@LOG": log, "@EMPTY": empty, "@MISSING": root + "/missing", "@NOTALOG": root + "/notalog",
            "@FILE": root + "/file.txt", "@DIR": root + "/dir", "@KEY": root + "/signing.key", "@PUB": root + "/signing.pub",
            "@OTHERPUB": root + "/other.pub", "@CPEMPTY": root + "/cp-empty.txt", "@CP": root + "/cp.txt",
            "@PROOF": root + "/proof.txt", "@FIX": CLITests.fixtures,
            "@CP10": root + "/cp10.txt", "@CONSISTENCY": root + "/consistency.txt",
        ]
    }

    /// `text` with the places filled in (`@LOG` replaced by `log` when given).
    func fill(_ text: String, log: String? = nil) -> String {
        var out = text
        // Longest names first: @CPEMPTY before @CP.
        for (name, path) in places.sorted(by: { $0.key.count > $1.key.count }) {
            out = out.replacingOccurrences(of: name, with: name == "@LOG" ? (log ?? path) : path)
        }
        return out
    }

    /// Every file under `directory` and its bytes, but the writer's lock file (which
    /// holds the last writer's process id).
    static func snapshot(_ directory: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return files }
        for case let name as String in walker where !name.hasSuffix("LOCK") {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            files[name] = isDirectory.boolValue ? Data() : FileManager.default.contents(atPath: directory + "/" + name)
        }
        return files
    }

    /// Runs a case and checks its exit code and message; for a command that writes,
    /// on a copy of `@LOG` that must be unchanged afterwards.
    static func check(_ c: BadInputCase) throws {
        let fixture = shared
        var log: String?
        if c.writes {
            let copy = CLITests.temporaryDirectory() + "/log"
            try FileManager.default.copyItem(atPath: fixture.places["@LOG"]!, toPath: copy)
            log = copy
        }
        defer { if let log { try? FileManager.default.removeItem(atPath: (log as NSString).deletingLastPathComponent) } }
        let before = log.map(snapshot)
        let r = try CLITests.patchlog(c.args.map { fixture.fill($0, log: log) })
        let message = fixture.fill(c.message, log: log)
        let output = c.stream == .stderr ? r.stderr : r.stdout
        #expect(r.status == c.status, "exit code; stderr: \(r.stderr)")
        #expect(output.contains(message), "expected \(c.stream) to contain \(message); stdout: \(r.stdout.prefix(500)) stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"))
        if let log, let before {
            #expect(snapshot(log) == before, "the log changed")
            let verify = try CLITests.patchlog(["verify", "--log", log])
            #expect(verify.status == 0 && verify.stdout.contains("ok: 29 records"))
        }
    }
}

/// Times that do not exist or are not times, and ranges that run backwards.
@Suite struct BadTimeCLITests {
    static let cases: [BadInputCase] = [
        .init(["state", "--log", "@LOG", "--vm", "x", "--at", "2025-13-01"], 64, "'--at <at>': \"2025-13-01\" is not an RFC 3339 time (month 13)"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--at", "2025-02-30"], 64, "'--at <at>': \"2025-02-30\" is not an RFC 3339 time (day 30)"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--at", "yesterday"], 64, "'--at <at>': \"yesterday\" is not an RFC 3339 time"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--at", "2025-01-01T25:00Z"], 64, "\"2025-01-01T25:00Z\" is not an RFC 3339 time"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--at", "2025-01-01T25:00:00Z"], 64, "\"2025-01-01T25:00:00Z\" is not an RFC 3339 time (hour 25)"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--at", ""], 64, "'--at <at>': \"\" is not an RFC 3339 time"),
        .init(["when", "--log", "@LOG", "--kb", "KB5050003", "--at", "2025-02-30"], 64, "'--at <at>': \"2025-02-30\" is not an RFC 3339 time (day 30)"),
        .init(["fleet", "--log", "@LOG", "--at", "yesterday"], 64, "expected e.g. 2025-02-19T02:13:45Z or 2025-02-19"),
        .init(["history", "--log", "@LOG", "--vm", "x", "--since", "2025-13-01"], 64, "'--since <since>': \"2025-13-01\" is not an RFC 3339 time (month 13)"),
        .init(["history", "--log", "@LOG", "--vm", "x", "--until", "2025-02-30"], 64, "'--until <until>': \"2025-02-30\""),
        .init(["diff", "--log", "@LOG", "--vm", "x", "--from", "2025-02-30", "--to", "2025-03-01"], 64, "'--from <from>': \"2025-02-30\" is not an RFC 3339 time (day 30)"),
        .init(["diff", "--log", "@LOG", "--vm", "x", "--from", "2025-02-01", "--to", "tomorrow"], 64, "'--to <to>': \"tomorrow\" is not an RFC 3339 time"),
        .init(["export", "--log", "@LOG", "--since", "2025-01-01T25:00Z"], 64, "'--since <since>': \"2025-01-01T25:00Z\""),
        .init(["findings", "--log", "@LOG", "--at", ""], 64, "'--at <at>': \"\" is not an RFC 3339 time"),
        .init(["findings", "--log", "@LOG", "--since", "2025-13-01"], 64, "'--since <since>': \"2025-13-01\" is not an RFC 3339 time (month 13)"),
        .init(["exposure", "--log", "@LOG", "--at", "2025-02-30"], 64, "'--at <at>': \"2025-02-30\" is not an RFC 3339 time (day 30)"),
        .init(["report", "--log", "@LOG", "--out", "@DIR/r.html", "--until", "yesterday"], 64, "'--until <until>': \"yesterday\" is not an RFC 3339 time"),
        .init(["report", "--log", "@LOG", "--out", "@DIR/r.html", "--at", "2025-13-01"], 64, "'--at <at>': \"2025-13-01\""),
        // Ranges that run backwards.
        .init(["history", "--log", "@LOG", "--vm", "x", "--since", "2025-04-01", "--until", "2025-03-01"], 64, "--until 2025-03-01T00:00:00Z is before --since 2025-04-01T00:00:00Z"),
        .init(["export", "--log", "@LOG", "--since", "2025-04-01", "--until", "2025-03-01"], 64, "--until 2025-03-01T00:00:00Z is before --since 2025-04-01T00:00:00Z"),
        .init(["diff", "--log", "@LOG", "--vm", "x", "--from", "2025-04-01", "--to", "2025-03-01"], 64, "--to 2025-03-01T00:00:00Z is before --from 2025-04-01T00:00:00Z"),
        .init(["findings", "--log", "@LOG", "--since", "2025-04-01", "--until", "2025-03-01"], 64, "--since is after --until"),
        .init(["report", "--log", "@LOG", "--out", "@DIR/r.html", "--since", "2025-04-01", "--until", "2025-03-01"], 64, "--since is after --until"),
        .init(["raw", "read", "--log", "@LOG", "--from", "5", "--to", "2"], 64, "--to 2 is before --from 5"),
        // Times inside a file: the file, the line and the field.
        .init(["raw", "append", "--log", "@LOG", "@FIX/raw/impossible-date.tsv"], 1, "@FIX/raw/impossible-date.tsv:2: field time: \"2025-02-30T00:00:00Z\" is not an RFC 3339 time (day 30)"),
    ]

    @Test(arguments: cases) func badTime(_ c: BadInputCase) throws { try BadInputFixture.check(c) }
}

/// VMs and KBs the log does not know, and logs with nothing in them.
@Suite struct UnknownAndEmptyCLITests {
    static let vm = "/subscriptions/6a2f1c1e-8a4d-4f0e-9c7b-2d1e0f3a4b5c/resourceGroups/rg-hotpatch-prod/providers/Microsoft.Compute/virtualMachines/web-02"

    static let cases: [BadInputCase] = [
        .init(["state", "--log", "@LOG", "--vm", "vm-nope", "--at", "2025-03-01"], 0, "patchlog: the log has no events of VM vm-nope"),
        .init(["state", "--log", "@LOG", "--vm", "vm-nope", "--at", "2025-03-01"], 0, "no events of this VM at or before that moment", in: .stdout),
        // A VM's name, unique in the log, names it (as az vm show --name does), in any case.
        .init(["state", "--log", "@LOG", "--vm", "WEB-02", "--at", "2025-03-01"], 0, "VM            web-02\n", in: .stdout),
        .init(["state", "--log", "@LOG", "--vm", "WEB-02", "--at", "2025-03-01", "--wide"], 0, "VM            \(vm)\n", in: .stdout),
        .init(["state", "--log", "@LOG", "--vm", "web-02", "--at", "2025-03-01", "--format", "json"], 0, "\"vm\":\"\(vm)\"", in: .stdout),
        .init(["history", "--log", "@LOG", "--vm", "web-02"], 0, "history of web-02\n", in: .stdout),
        .init(["history", "--log", "@LOG", "--vm", "vm-nope"], 0, "the log has no events of VM vm-nope"),
        .init(["diff", "--log", "@LOG", "--vm", "vm-nope", "--from", "2025-03-01", "--to", "2025-04-01"], 0, "the log has no events of VM vm-nope"),
        .init(["export", "--log", "@LOG", "--vm", "vm-nope"], 0, "no event matches --vm vm-nope"),
        .init(["report", "--log", "@LOG", "--vm", "web-02", "--out", "@DIR/r.html"], 0, "wrote @DIR/r.html"),
        .init(["report", "--log", "@LOG", "--vm", "vm-nope", "--out", "@DIR/r.html"], 1, "the log has no events of VM vm-nope"),
        .init(["state", "--log", "@LOG", "--vm", ""], 64, "--vm is empty: expected a VM's name or resource id"),
        .init(["history", "--log", "@LOG", "--vm", " "], 64, "--vm is empty"),
        .init(["diff", "--log", "@LOG", "--vm", "", "--from", "2025-01-01", "--to", "2025-02-01"], 64, "--vm is empty"),
        .init(["export", "--log", "@LOG", "--vm", ""], 64, "--vm is empty"),
        .init(["report", "--log", "@LOG", "--vm", "", "--out", "@DIR/r.html"], 64, "--vm is empty"),
        .init(["when", "--log", "@LOG", "--kb", "KB123"], 0, "the log has no release of KB123 and no VM has it installed"),
        .init(["when", "--log", "@LOG", "--kb", "KB9999999", "--format", "json"], 0, "the log has no release of KB9999999"),
        .init(["when", "--log", "@LOG", "--kb", "KB5050003", "--at", "2025-01-01"], 0, "no VM has KB5050003 installed at 2025-01-01T00:00:00Z"),
        .init(["when", "--log", "@LOG", "--kb", "kb"], 64, "'--kb <kb>': \"kb\" is not a KB: expected KB followed by digits (KB5034129) or the digits alone"),
        .init(["when", "--log", "@LOG", "--kb", ""], 64, "\"\" is not a KB"),
        .init(["when", "--log", "@LOG", "--kb", "K123"], 64, "\"K123\" is not a KB"),
        .init(["export", "--log", "@LOG", "--kb", "KB-1"], 64, "'--kb <kb>': \"KB-1\" is not a KB"),
        .init(["export", "--log", "@LOG", "--kb", "KB9999999"], 0, "no event matches --kb KB9999999"),
        .init(["export", "--log", "@LOG", "--type", "boot"], 64, "--type boot is not an event type; expected one of"),
        // --as-recorded past the end answers with the whole log, and says so.
        .init(["fleet", "--log", "@LOG", "--as-recorded", "99999"], 0, "--as-recorded 99999 is past the end of the log (29 events)"),
        .init(["state", "--log", "@LOG", "--vm", vm, "--as-recorded", "30"], 0, "--as-recorded 30 is past the end of the log (29 events)"),
        .init(["findings", "--log", "@LOG", "--as-recorded", "99999"], 0, "past the end of the log"),
        // Empty logs.
        .init(["state", "--log", "@EMPTY", "--vm", "x"], 0, "the log has no events of VM x"),
        .init(["when", "--log", "@EMPTY", "--kb", "KB1"], 0, "the log has no release of KB1"),
        .init(["fleet", "--log", "@EMPTY", "--at", "2025-01-01"], 0, "fleet at 2025-01-01T00:00:00Z: 0 VMs", in: .stdout),
        .init(["findings", "--log", "@EMPTY", "--at", "2025-01-01"], 0, "as of 2025-01-01T00:00:00Z: 0 findings", in: .stdout),
        .init(["exposure", "--log", "@EMPTY", "--at", "2025-01-01"], 0, "exposure as of 2025-01-01T00:00:00Z: 0 windows", in: .stdout),
        .init(["info", "--log", "@EMPTY"], 0, "time range   (empty)", in: .stdout),
        .init(["verify", "--log", "@EMPTY"], 0, "ok: 0 records", in: .stdout),
        .init(["show", "--log", "@EMPTY", "--seq", "1"], 1, "--seq 1: the log is empty"),
        .init(["checkpoint", "--log", "@EMPTY", "--key", "@KEY", "--size", "1"], 1, "--size 1: the log has only 0 records"),
        .init(["prove", "--log", "@EMPTY", "--seq", "1", "--checkpoint", "@CPEMPTY"], 1, "--seq 1 is past the end of checkpoint @CPEMPTY: it covers no records"),
        .init(["history", "--log", "@EMPTY", "--vm", "x"], 0, "no events in that period", in: .stdout),
        .init(["report", "--log", "@EMPTY", "--out", "@DIR/empty.html", "--vm", "x"], 1, "the log has no events of VM x"),
        // Sequence numbers that are not there.
        .init(["show", "--log", "@LOG", "--seq", "30"], 1, "--seq 30 is past the end of the log: it has 29 events (1...29)"),
        .init(["prove", "--log", "@LOG", "--seq", "30", "--checkpoint", "@CP"], 1, "--seq 30 is past the end of checkpoint @CP: it covers records 1...29"),
        .init(["checkpoint", "--log", "@LOG", "--key", "@KEY", "--size", "100"], 1, "--size 100: the log has only 29 records"),
        .init(["show", "--log", "@LOG", "--seq", "1", "--raw"], 1, "event 1 (id \"rel-KB5050001\") names no source payload: it was not imported with --from azure"),
    ]

    @Test(arguments: cases) func unknownOrEmpty(_ c: BadInputCase) throws { try BadInputFixture.check(c) }
}
