import Testing

/// Input files that are missing, not files, or wrong inside; key, checkpoint and
/// proof files that cannot be read or are the wrong kind. Every import here leaves
/// the log byte for byte as it was. Placeholders: see ``BadInputCase``.
@Suite struct BadFileCLITests {
    static let cases: [BadInputCase] = [
        .init(["import", "--log", "@LOG", "@MISSING.jsonl"], 1, "@MISSING.jsonl: cannot open the file for reading (open @MISSING.jsonl: No such file or directory)"),
        .init(["import", "--log", "@LOG", "@DIR"], 1, "@DIR: is a directory; expected a JSON Lines file"),
        .init(["import", "--log", "@LOG", "@FILE"], 1, "@FILE:1: not valid JSON: column 1: expected a value"),
        .init(["import", "--log", "@LOG", "@FIX/import/good-then-bad.jsonl"], 1, "@FIX/import/good-then-bad.jsonl:4: field state: expected one of Running, Deallocated, Stopped, got \"Sleeping\""),
        .init(["import", "--log", "@LOG", "@FIX/import/impossible-month.jsonl"], 1, "@FIX/import/impossible-month.jsonl:2: field time: \"2025-13-01T00:00:00Z\" is not an RFC 3339 time (month 13)"),
        .init(["import", "--log", "@LOG", "@FIX/import/conflicting-id.jsonl"], 1, "@FIX/import/conflicting-id.jsonl:2: field id: \"same\" appears earlier in this input with different content"),
        .init(["import", "--log", "@LOG", "@FIX/import/reuses-a-logged-id.jsonl"], 1, "@FIX/import/reuses-a-logged-id.jsonl:2: field id: \"rel-KB5050001\" is already in the log (sequence 1) with different content"),
        .init(["import", "--log", "@LOG", "--from", "azure", "@MISSING.json"], 1, "@MISSING.json: cannot be read: open @MISSING.json: No such file or directory"),
        .init(["import", "--log", "@LOG", "--from", "azure", "@DIR"], 1, "@DIR: cannot be read"),
        .init(["import", "--log", "@LOG", "--from", "azure", "@FILE"], 1, "@FILE: not valid JSON: line 1, column 1: expected a value"),
        .init(["import", "--log", "@LOG", "--from", "azure", "@FIX/demo/sample-history.jsonl"], 1, "@FIX/demo/sample-history.jsonl: not valid JSON: line 2, column 1: unexpected text after the JSON value"),
        .init(["import", "--log", "@LOG", "--from", "azure", "@FIX/azure/variants/broken.json"], 1, "@FIX/azure/variants/broken.json: not valid JSON: line 3"),
        .init(["import", "--log", "@LOG", "--from", "azure", "@FIX/azure/variants/not-azure.json"], 1, "@FIX/azure/variants/not-azure.json: expected an AssessPatches or InstallPatches result, a VM or Arc machine resource"),
        .init(["raw", "append", "--log", "@LOG", "@MISSING.tsv"], 1, "cannot read @MISSING.tsv: open @MISSING.tsv: No such file or directory"),
        .init(["raw", "append", "--log", "@LOG", "@DIR"], 1, "cannot read @DIR"),
        .init(["raw", "append", "--log", "@LOG", "@FIX/raw/missing-field.tsv"], 1, "@FIX/raw/missing-field.tsv:2: expected 4 tab-separated fields (time, stream, id, payload), found 2"),
        .init(["state", "--log", "@LOG", "--vm", "x", "--supported-images", "@MISSING.txt"], 1, "cannot read the supported image list @MISSING.txt"),
        .init(["fleet", "--log", "@LOG", "--supported-images", "@FILE"], 1, "@FILE:1: expected publisher/offer/sku, got \"hello\""),
        .init(["findings", "--log", "@LOG", "--supported-images", "@DIR"], 1, "cannot read the supported image list @DIR"),
    ]

    @Test(arguments: cases) func badFile(_ c: BadInputCase) throws { try BadInputFixture.check(c) }
}

/// Keys, checkpoints and proofs: missing, unreadable, the wrong kind, or another log's.
@Suite struct BadEvidenceCLITests {
    static let cases: [BadInputCase] = [
        .init(["checkpoint", "--log", "@LOG", "--key", "@MISSING.key"], 1, "cannot read private key @MISSING.key: open @MISSING.key: No such file or directory"),
        .init(["checkpoint", "--log", "@LOG", "--key", "@DIR"], 1, "cannot read private key @DIR"),
        .init(["checkpoint", "--log", "@LOG", "--key", "@FILE"], 1, "@FILE: expected one line \"patchlog-ed25519-private <64 hex digits>\""),
        .init(["checkpoint", "--log", "@LOG", "--key", "@PUB"], 1, "@PUB: this is a public key; expected a private one"),
        .init(["prove", "--log", "@LOG", "--seq", "1", "--checkpoint", "@MISSING"], 1, "cannot read checkpoint @MISSING"),
        .init(["prove", "--log", "@LOG", "--seq", "1", "--checkpoint", "@FILE"], 1, "@FILE:1: expected \"patchlog checkpoint 1\""),
        .init(["prove", "--log", "@LOG", "--seq", "1", "--checkpoint", "@CPEMPTY"], 1, "@CPEMPTY is a checkpoint of log"),
        .init(["prove", "--log", "@LOG", "--from", "@CP", "--to", "@FILE"], 1, "@FILE:1: expected \"patchlog checkpoint 1\""),
        .init(["prove", "--log", "@LOG", "--from", "@PROOF", "--to", "@CP"], 1, "@PROOF:1: expected \"patchlog checkpoint 1\""),
        .init(["prove", "--log", "@LOG", "--from", "@CP", "--to", "@CP10"], 1, "--from @CP (29 records) is newer than --to @CP10 (10 records): give the older checkpoint with --from"),
        .init(["prove", "--log", "@EMPTY", "--from", "@CPEMPTY", "--to", "@CPEMPTY"], 1, "--from @CPEMPTY covers no records"),
        .init(["verify-proof", "@CONSISTENCY", "--key", "@PUB", "--checkpoint", "@CP"], 1, "@CONSISTENCY is a consistency proof: give the older checkpoint with --old"),
        .init(["verify-proof", "@CONSISTENCY", "--key", "@PUB", "--checkpoint", "@CP10", "--old", "@CP"], 4,
              "NOT PROVEN: @CONSISTENCY does not show that the log of @CP10 (10 records) extends the log of @CP (29 records)", in: .stdout),
        .init(["verify-proof", "@CONSISTENCY", "--key", "@PUB", "--checkpoint", "@CP", "--old", "@CPEMPTY"], 6, "CHECKPOINT NOT VALID: @CPEMPTY: it is a checkpoint of log", in: .stdout),
        .init(["verify-proof", "@MISSING", "--key", "@PUB", "--checkpoint", "@CP"], 1, "cannot read proof @MISSING"),
        .init(["verify-proof", "@FILE", "--key", "@PUB", "--checkpoint", "@CP"], 1, "@FILE:1: expected \"patchlog inclusion-proof 1\""),
        .init(["verify-proof", "@PROOF", "--key", "@MISSING", "--checkpoint", "@CP"], 1, "cannot read public key @MISSING"),
        .init(["verify-proof", "@PROOF", "--key", "@KEY", "--checkpoint", "@CP"], 1, "@KEY: this is a private key; expected a public one"),
        .init(["verify-proof", "@PROOF", "--key", "@PUB", "--checkpoint", "@FILE"], 1, "@FILE:1: expected \"patchlog checkpoint 1\""),
        .init(["verify-proof", "@PROOF", "--key", "@PUB", "--checkpoint", "@CP", "--old", "@CP"], 1, "@PROOF is an inclusion proof: --old is for consistency proofs"),
        .init(["verify-proof", "@PROOF", "--key", "@OTHERPUB", "--checkpoint", "@CP"], 6, "CHECKPOINT NOT VALID: @CP: it was signed with key", in: .stdout),
        .init(["verify-proof", "@PROOF", "--key", "@PUB", "--checkpoint", "@CPEMPTY"], 4, "NOT PROVEN: @PROOF", in: .stdout),
        .init(["verify-proof", "@PROOF", "--checkpoint", "@CP"], 64, "Missing expected argument '--key <file>'"),
        .init(["verify", "--log", "@LOG", "--checkpoint", "@MISSING", "--key", "@PUB"], 1, "cannot read checkpoint @MISSING"),
        .init(["verify", "--log", "@LOG", "--checkpoint", "@FILE", "--key", "@PUB"], 1, "@FILE:1: expected \"patchlog checkpoint 1\""),
        .init(["verify", "--log", "@LOG", "--checkpoint", "@CP", "--key", "@OTHERPUB"], 6, "CHECKPOINT NOT VALID: @CP: it was signed with key", in: .stdout),
        .init(["verify", "--log", "@EMPTY", "--checkpoint", "@CP", "--key", "@PUB"], 6, "CHECKPOINT NOT VALID: @CP: it is a checkpoint of log", in: .stdout),
    ]

    @Test(arguments: cases) func badEvidence(_ c: BadInputCase) throws { try BadInputFixture.check(c) }
}
