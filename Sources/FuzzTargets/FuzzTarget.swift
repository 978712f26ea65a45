import SystemIO

/// One fuzz target: what a single fuzz input does to one part of patchlog.
///
/// Every target takes arbitrary bytes and must never crash, whatever they hold:
/// errors thrown by the code under test are the expected outcome for most inputs.
/// Properties that must hold when the input is valid (an event that decodes
/// encodes back to the same event; an import, exported and imported again, exports
/// the same text) are checked with `precondition`, so libFuzzer reports a breach as
/// a crash.
///
/// The same functions back the libFuzzer executables (`fuzz-record-reader`,
/// `fuzz-event-codec`, `fuzz-jsonl-import`), their replay mode in normal builds,
/// and the regression tests that run every file under `Fixtures/fuzz/<name>/`.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The bytes as a segment file of a log (or, if they begin with `PLOGIDX`, as
    /// the index of a valid segment), read, verified, salvaged and opened as writer.
    case recordReader = "record-reader"
    /// The bytes as an event payload: decoded, folded into a VM's state, and
    /// re-encoded; also as a sequence of length-prefixed payloads folded in order.
    case eventCodec = "event-codec"
    /// The bytes as a JSON Lines file imported into a log; exported and imported
    /// again when the import succeeds.
    case jsonlImport = "jsonl-import"
    /// The bytes as the text of a checkpoint, a proof or a key file, parsed (and
    /// proofs checked) and written out again.
    case evidenceText = "evidence-text"

    /// The directory name under `Fixtures/fuzz/` and the executable's suffix.
    public var name: String { rawValue }

    /// Runs one input through the target. Never crashes unless a property breaks.
    /// One input at a time per process (the targets reuse their scratch files), so
    /// tests may call it from parallel tasks. With `everything`, what a target runs
    /// for only some inputs (the record reader's writer path) runs for this one too:
    /// the regression tests ask for it; the fuzzer does not.
    public func run(_ bytes: [UInt8], everything: Bool = false) {
        FuzzTarget.oneAtATime.withLock { runAlone(bytes, everything: everything) }
    }

    private static let oneAtATime = Condition()

    private func runAlone(_ bytes: [UInt8], everything: Bool) {
        switch self {
        case .recordReader: RecordReaderTarget.run(bytes, everything: everything)
        case .eventCodec: EventCodecTarget.run(bytes)
        case .jsonlImport: JSONLImportTarget.run(bytes)
        case .evidenceText: EvidenceTextTarget.run(bytes)
        }
    }
}
