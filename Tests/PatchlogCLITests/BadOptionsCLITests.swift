import Testing

/// Logs that are not there or not logs, and options that contradict each other or
/// count below zero. Placeholders: see ``BadInputCase``.
@Suite struct BadLogLocationCLITests {
    static let commands: [[String]] = [
        ["info"], ["verify"], ["salvage"], ["export"], ["fleet"], ["findings"], ["exposure"],
        ["state", "--vm", "x"], ["history", "--vm", "x"], ["when", "--kb", "KB1"], ["show", "--seq", "1"],
        ["diff", "--vm", "x", "--from", "2025-01-01", "--to", "2025-02-01"], ["report", "--out", "@DIR/never.html"],
        ["checkpoint", "--key", "@KEY"], ["prove", "--seq", "1", "--checkpoint", "@CP"], ["raw", "read"],
        ["import", "@FIX/demo/sample-history.jsonl"], ["import", "--from", "azure", "@FIX/demo/sample-history.jsonl"],
        ["raw", "append", "@FIX/demo/sample-history.tsv"],
    ]

    static let cases: [BadInputCase] = commands.flatMap { command -> [BadInputCase] in
        func at(_ log: String) -> [String] {
            command.starts(with: ["raw"]) ? Array(command.prefix(2)) + ["--log", log] + command.dropFirst(2)
                : [command[0], "--log", log] + command.dropFirst()
        }
        return [
            BadInputCase(at("@MISSING"), 1, "@MISSING is not a patchlog log: no such directory (create one with `patchlog init`)"),
            BadInputCase(at("@NOTALOG"), 1, "@NOTALOG is not a patchlog log: it has no LOG file (create a log with `patchlog init`)"),
            BadInputCase(at("@FILE"), 1, "@FILE is not a patchlog log: not a directory"),
        ]
    } + [
        .init(["init", "--log", "@LOG"], 1, "@LOG is not a patchlog log: it already holds a log"),
        .init(["init", "--log", "@FILE"], 1, "@FILE is not a patchlog log: it is a file, not a directory"),
        .init(["init", "--log", "@NOTALOG"], 1, "@NOTALOG is not a patchlog log: it is not empty (readme.txt)"),
        .init(["salvage", "--log", "@LOG", "--into", "@LOG"], 1, "@LOG is not a patchlog log: it already holds a log"),
        .init(["salvage", "--log", "@LOG", "--into", "@FILE"], 1, "@FILE is not a patchlog log: it is a file, not a directory"),
        .init(["salvage", "--log", "@LOG", "--into", "@NOTALOG"], 1, "@NOTALOG is not a patchlog log: it is not empty (readme.txt)"),
        .init(["simulate", "--vms", "1", "--months", "1", "--log", "@FILE"], 1, "@FILE is not a patchlog log: it is a file, not a directory"),
        .init(["simulate", "--vms", "1", "--months", "1", "--log", "@NOTALOG"], 1, "@NOTALOG is not a patchlog log: it is not empty (readme.txt)"),
    ]

    @Test(arguments: cases) func notALog(_ c: BadInputCase) throws { try BadInputFixture.check(c) }
}

/// Options that contradict each other, counts below their range, unknown choices,
/// and `--out` naming a directory: usage mistakes (64), caught before any work.
@Suite struct BadOptionCLITests {
    static let cases: [BadInputCase] = [
        .init(["report", "--log", "@LOG", "--vm", "x", "--fleet", "--out", "@DIR/r.html"], 64, "--vm and --fleet contradict each other: give one"),
        .init(["report", "--log", "@LOG", "--out", "@DIR/r.html", "--timelines", "-1"], 64, "--timelines cannot be negative"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--format", "csv"], 64, "state prints a table or json, not csv"),
        .init(["export", "--log", "@LOG", "--format", "xml"], 64, "The value 'xml' is invalid for '--format <format>'. Please provide one of 'jsonl' and 'csv'."),
        .init(["fleet", "--log", "@LOG", "--format", "xml"], 64, "Please provide one of 'table', 'json' or 'csv'."),
        .init(["when", "--log", "@LOG", "--kb", "KB1", "--format", "xml"], 64, "The value 'xml' is invalid for '--format <format>'"),
        .init(["exposure", "--log", "@LOG", "--by", "year"], 64, "The value 'year' is invalid for '--by <by>'. Please provide one of 'month', 'kind' or 'vm'."),
        .init(["findings", "--log", "@LOG", "--effective-within-days", "-1"], 64, "--effective-within-days cannot be negative, got -1"),
        .init(["exposure", "--log", "@LOG", "--reboot-pending-days", "-3"], 64, "--reboot-pending-days cannot be negative, got -3"),
        .init(["findings", "--log", "@LOG", "--off-peak", "25:00-06:00"], 64, "\"25:00-06:00\" is not a window: expected e.g. 22:00-06:00"),
        .init(["findings", "--log", "@LOG", "--as-recorded", "0"], 64, "--as-recorded counts from 1"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--as-recorded", "-1"], 64, "The value '-1' is invalid for '--as-recorded <N>'"),
        .init(["simulate", "--vms", "0"], 64, "--vms must be at least 1, got 0"),
        .init(["simulate", "--vms", "-5"], 64, "--vms must be at least 1, got -5"),
        .init(["simulate", "--months", "-1"], 64, "--months must be 1...120, got -1"),
        .init(["simulate", "--months", "0"], 64, "--months must be 1...120, got 0"),
        .init(["simulate", "--months", "121"], 64, "--months must be 1...120, got 121"),
        .init(["simulate", "--late", "2"], 64, "--late is a fraction, 0...1, got 2.0"),
        .init(["simulate", "--seed", "-1"], 64, "The value '-1' is invalid for '--seed <seed>'"),
        .init(["simulate", "--vms", "ten"], 64, "The value 'ten' is invalid for '--vms <vms>'"),
        .init(["simulate", "--out", "@DIR/s.jsonl", "--log", "@DIR/s"], 64, "--out and --log contradict each other: give one"),
        .init(["import", "--log", "@LOG", "--vm", "x", "@FIX/demo/sample-history.jsonl"], 64, "--vm goes with --from azure"),
        .init(["import", "--log", "@LOG", "--from", "xml", "@FIX/demo/sample-history.jsonl"], 64, "The value 'xml' is invalid for '--from <kind>'. Please provide one of 'events' and 'azure'."),
        .init(["import", "--log", "@LOG"], 64, "Missing expected argument '<file>'"),
        .init(["import", "--log", "@LOG", "--sync", "sometimes", "@FIX/demo/sample-history.jsonl"], 64, "The value 'sometimes' is invalid for '--sync <mode>'"),
        .init(["verify", "--log", "@LOG", "--checkpoint", "@CP"], 64, "--checkpoint and --key go together"),
        .init(["prove", "--log", "@LOG", "--seq", "1", "--checkpoint", "@CP", "--from", "@CP"], 64, "give either --seq with --checkpoint (inclusion) or --from with --to (consistency), not both"),
        .init(["prove", "--log", "@LOG"], 64, "give --seq N --checkpoint FILE, or --from OLD --to NEW"),
        .init(["prove", "--log", "@LOG", "--seq", "1"], 64, "an inclusion proof needs both --seq and --checkpoint"),
        .init(["prove", "--log", "@LOG", "--to", "@CP"], 64, "a consistency proof needs both --from and --to"),
        .init(["prove", "--log", "@LOG", "--seq", "0", "--checkpoint", "@CP"], 64, "--seq counts from 1"),
        .init(["show", "--log", "@LOG", "--seq", "0"], 64, "--seq counts from 1"),
        .init(["show", "--log", "@LOG", "--seq", "-1"], 64, "The value '-1' is invalid for '--seq <n>'"),
        .init(["show", "--log", "@LOG", "--seq", "abc"], 64, "The value 'abc' is invalid for '--seq <n>'"),
        .init(["show", "--log", "@LOG"], 64, "Missing expected argument '--seq <n>'"),
        .init(["checkpoint", "--log", "@LOG", "--key", "@KEY", "--size", "-1"], 64, "The value '-1' is invalid for '--size <n>'"),
        .init(["raw", "read", "--log", "@LOG", "--from", "0"], 64, "--from counts from 1"),
        .init(["raw", "read", "--log", "@LOG", "--stream", "catalog", "--from", "2"], 64, "--stream reads a whole stream; it does not combine with --from/--to"),
        // --out naming a directory: refused before the work, naming the option.
        .init(["export", "--log", "@LOG", "--out", "@DIR"], 64, "--out @DIR is a directory: expected a file to write"),
        .init(["report", "--log", "@LOG", "--out", "@DIR"], 64, "--out @DIR is a directory: expected a file to write"),
        .init(["checkpoint", "--log", "@LOG", "--key", "@KEY", "--out", "@DIR"], 64, "--out @DIR is a directory: expected a file to write"),
        .init(["prove", "--log", "@LOG", "--seq", "1", "--checkpoint", "@CP", "--out", "@DIR"], 64, "--out @DIR is a directory: expected a file to write"),
        .init(["simulate", "--vms", "1", "--months", "1", "--out", "@DIR"], 64, "--out @DIR is a directory: expected a file to write"),
        .init(["export", "--log", "@LOG", "--out", ""], 64, "--out is empty: expected a file name"),
        .init(["keygen", "--out", "@DIR/"], 64, "--out @DIR/ is a directory, not a prefix: expected e.g. @DIR/checkpoint-signing"),
        .init(["keygen", "--out", "@DIR"], 64, "--out @DIR is a directory, not a prefix"),
        .init(["keygen", "--out", "@MISSING/k"], 1, "cannot write @MISSING/k.key: open @MISSING/k.key: No such file or directory"),
        .init(["keygen", "--out", "@DIR/../signing"], 1, "cannot write @DIR/../signing.key: it already exists (keygen never replaces a key)"),
        .init(["export", "--log", "@LOG", "--out", "@MISSING/t.csv"], 1, "cannot write @MISSING/t.csv"),
    ]

    @Test(arguments: cases) func badOption(_ c: BadInputCase) throws { try BadInputFixture.check(c) }
}
