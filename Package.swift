// swift-tools-version: 6.1
import PackageDescription

// patchlog: an event-sourced audit log and replay tool for Windows Server Hotpatch.
//
// Modules, one per concern; dependencies point one way (down this list):
//   patchlog (CLI)    -> Server, AzureImport, Report, Answers, JSONLines, TextFormats, Replay, EventLog, Simulator, Evidence, Events, LogStore
//   Server            -> AzureImport, Report, Audit, Answers, JSONLines, TextFormats, Replay, EventLog, Evidence, Events, LogStore, Hummingbird (`patchlog serve`: HTTP)
//   AzureImport       -> JSONLines, TextFormats, Replay, EventLog, Events, LogStore, Crypto (Azure REST payloads and Resource Graph rows in)
//   SharedLog         -> PostgresLog, AzureImport, JSONLines, EventLog, Events, LogStore (Hotpatch events into the shared log)
//   PostgresLog       -> LogStore, PostgresNIO (the shared log in PostgreSQL: records, sequence, sync; knows nothing of Hotpatch)
//   Report            -> Audit, Answers, TextFormats, Replay, Events (the HTML audit report with SVG charts; findings and exposure as text, JSON, CSV)
//   Audit             -> Replay, Events (findings and exposure windows, in one pass)
//   Answers           -> TextFormats, Replay, Events (the printed answers of the replay queries: JSON, CSV, tables, event summaries)
//   JSONLines         -> TextFormats, EventLog, Events, LogStore, SystemIO (the edges: JSON Lines in and out, CSV export)
//   TextFormats       (a strict JSON tokenizer; JSON, CSV and table writers)
//   Simulator         -> Events, Randomness (a deterministic fleet history)
//   Replay            -> EventLog, Events, LogStore, SystemIO (projections and queries: read only)
//   EventLog          -> Events, LogStore (the write path and the Event <-> record adapter: streams, KB keys, append, decode)
//   Events            -> ByteCoding (the Hotpatch event model and its binary codec)
//   Evidence          -> LogStore (tamper evidence: Merkle tree, proofs, signed checkpoints)
//   LogStore          -> BlockCompression, SystemIO, ByteCoding, CRC32CHardware, Crypto (storage; knows nothing of Hotpatch)
//   CRC32CHardware    (CRC-32C with the processor's instruction: one small C file)
//   CSystemCalls      (pipe2 and posix_spawn's chdir, which Swift's Glibc hides: one small C file)
//   BlockCompression  -> CLZ4 (the only Swift code that calls liblz4; Debian's liblz4-dev)
//   SystemIO          -> CSystemCalls (the only Swift code that makes file system calls; threads: a condition, a hand-off; child processes)

/// Release builds skip the run-time exclusivity checks on class properties (a
/// third of the JSON parser's time and a tenth of an import's, measured with
/// callgrind; replay to a fleet's state 0.064-0.067 s against 0.082-0.086 s without,
/// `patchlog-bench events --events 100000`, docs/benchmarks.md); debug builds, which
/// the tests run, keep them. `unsafeFlags` make a package unusable as a dependency,
/// so patchlog exports no library: its products are its executables.
let releaseSpeed: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// How the release `patchlog` is linked, for a process that starts sooner: every
/// query is a process of its own, so start-up is part of each answer (a third of a
/// point query on a log of 100,000 VMs). lld packs the 127,000 relative relocations
/// (DT_RELR, glibc 2.36) instead of 3 MB of RELA entries, and `--no-export-dynamic`
/// takes back the `-export-dynamic` of the static standard library's link arguments,
/// which put all 42,000 of patchlog's own symbols into the dynamic symbol table for
/// the loader to bind and the runtime's `dladdr` at start to search. Measured pair by
/// pair against the gold-linked build (docs/benchmarks.md, session 12): `--version`
/// 0.78, a cold `state` at 100,000 VMs 0.91. The build still needs only the toolchain
/// (lld ships with it); debug builds, which the tests run, link as before.
let startUp: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"], .when(configuration: .release)),
]

// Linux only (Debian 12 is what is built and tested): SystemIO calls Glibc, and a
// plain fsync is not durable on macOS (it needs F_FULLFSYNC); SystemIO/Platform.swift
// stops a build anywhere else with an error saying so, rather than a claim here.
let package = Package(
    name: "patchlog",
    products: [
        .executable(name: "patchlog", targets: ["patchlog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // `patchlog serve`; without its default traits (swift-configuration, full Foundation).
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .target(name: "BlockCompression", dependencies: ["CLZ4"], swiftSettings: releaseSpeed),
        .target(name: "CSystemCalls"),
        .target(name: "SystemIO", dependencies: ["CSystemCalls"], swiftSettings: releaseSpeed),
        // CRC-32C with the processor's instruction: one small C file, called only by LogStore's CRC32C.
        .target(name: "CRC32CHardware"),
        .target(name: "ByteCoding", swiftSettings: releaseSpeed),
        .target(
            name: "LogStore",
            dependencies: ["BlockCompression", "SystemIO", "ByteCoding", "CRC32CHardware", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: releaseSpeed),
        .target(name: "Evidence", dependencies: ["LogStore", "ByteCoding", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: releaseSpeed),
        .target(name: "Events", dependencies: ["ByteCoding"], swiftSettings: releaseSpeed),
        .target(name: "EventLog", dependencies: ["Events", "LogStore"], swiftSettings: releaseSpeed),
        .target(name: "Replay", dependencies: ["EventLog", "Events", "LogStore", "SystemIO"], swiftSettings: releaseSpeed),
        .target(name: "Audit", dependencies: ["Replay", "Events"], swiftSettings: releaseSpeed),
        .target(name: "Report", dependencies: ["Audit", "Answers", "TextFormats", "Replay", "Events"], swiftSettings: releaseSpeed),
        .target(name: "TextFormats", dependencies: ["ByteCoding"], swiftSettings: releaseSpeed),
        .target(name: "JSONLines", dependencies: ["TextFormats", "Events", "EventLog", "LogStore", "SystemIO"], swiftSettings: releaseSpeed),
        .target(name: "Answers", dependencies: ["TextFormats", "Replay", "EventLog", "Events"], swiftSettings: releaseSpeed),
        .target(
            name: "AzureImport",
            dependencies: ["JSONLines", "TextFormats", "Replay", "EventLog", "Events", "LogStore", "SystemIO", "ByteCoding", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: releaseSpeed),
        // The shared log in PostgreSQL (docs/scale-out.md): records only, like LogStore.
        .target(
            name: "PostgresLog",
            dependencies: ["LogStore", "SystemIO", "ByteCoding", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: releaseSpeed),
        // Hotpatch events (JSON Lines, Azure payloads) into the shared log.
        .target(name: "SharedLog", dependencies: ["PostgresLog", "AzureImport", "JSONLines", "Replay", "EventLog", "Events", "LogStore"], swiftSettings: releaseSpeed),
        .target(
            name: "Server",
            dependencies: [
                "AzureImport", "Report", "Audit", "Answers", "JSONLines", "TextFormats", "Replay", "EventLog", "Evidence", "Events", "LogStore", "SystemIO",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(
            name: "patchlog",
            dependencies: [
                "Server",
                "SharedLog",
                "PostgresLog",
                "AzureImport",
                "LogStore",
                "Events",
                "Replay",
                "EventLog",
                "JSONLines",
                "TextFormats",
                "Answers",
                "Audit",
                "Report",
                "Simulator",
                "SystemIO",
                "Evidence",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: startUp
        ),
        // One collector of tools/failover-trial and the shared-log benchmarks.
        .executableTarget(name: "patchlog-collector", dependencies: ["PostgresLog", "EventLog", "Events", "LogStore", "SystemIO", "ByteCoding"], path: "Sources/Collector"),
        .executableTarget(name: "patchlog-crash", dependencies: ["LogStore", "SystemIO", "Randomness"], path: "Sources/CrashHarness"),
        .executableTarget(name: "patchlog-bench", dependencies: ["LogStore", "Events", "ByteCoding", "BlockCompression", "Replay", "EventLog", "JSONLines", "TextFormats", "Randomness", "Simulator"], path: "Sources/Bench"),
        // Fuzzing (tools/fuzz): what one input does, per target, and a libFuzzer
        // executable per target (a replayer of files in normal builds).
        .target(name: "FuzzTargets", dependencies: ["LogStore", "Events", "EventLog", "Replay", "JSONLines", "Evidence", "SystemIO", "BlockCompression"]),
        .executableTarget(name: "fuzz-record-reader", dependencies: ["FuzzTargets"], path: "Sources/FuzzRecordReader"),
        .executableTarget(name: "fuzz-event-codec", dependencies: ["FuzzTargets"], path: "Sources/FuzzEventCodec"),
        .executableTarget(name: "fuzz-jsonl-import", dependencies: ["FuzzTargets"], path: "Sources/FuzzJSONLImport"),
        .executableTarget(name: "fuzz-evidence-text", dependencies: ["FuzzTargets"], path: "Sources/FuzzEvidenceText"),
        .target(name: "Randomness", swiftSettings: releaseSpeed),
        .target(name: "Simulator", dependencies: ["Events", "Randomness"], swiftSettings: releaseSpeed),
        // What the test targets share: the Fixtures path, JSON and CSV readers for expectations.
        .target(name: "TestSupport", dependencies: ["SystemIO"], path: "Tests/TestSupport"),
        .testTarget(name: "BlockCompressionTests", dependencies: ["BlockCompression"]),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "LogStoreTests", dependencies: ["LogStore", "SystemIO", "ByteCoding", "BlockCompression", "Randomness", "TestSupport"]),
        .testTarget(name: "EventsTests", dependencies: ["Events", "Randomness", "TestSupport"]),
        .testTarget(name: "EvidenceTests", dependencies: ["Evidence", "LogStore", "ByteCoding", "Randomness", "TestSupport"]),
        .testTarget(name: "TextFormatsTests", dependencies: ["TextFormats"]),
        .testTarget(name: "JSONLinesTests", dependencies: ["EventLog", "JSONLines", "TextFormats", "Events", "Replay", "LogStore", "TestSupport"]),
        .testTarget(name: "ReplayTests", dependencies: ["EventLog", "Replay", "Events", "LogStore", "JSONLines", "Answers", "Randomness", "TestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: ["EventLog", "Simulator", "Replay", "Events", "LogStore", "JSONLines", "AzureImport", "TestSupport"]),
        .testTarget(name: "AzureImportTests", dependencies: ["EventLog", "AzureImport", "JSONLines", "Answers", "Replay", "Events", "LogStore", "Audit", "Randomness", "TestSupport"]),
        .testTarget(name: "AuditTests", dependencies: ["EventLog", "Audit", "Report", "Replay", "Events", "LogStore", "JSONLines", "Simulator", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["EventLog", "Report", "Audit", "Replay", "Events", "LogStore", "JSONLines", "TestSupport"]),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["EventLog", "FuzzTargets", "Events", "Evidence", "JSONLines", "Replay", "LogStore", "TestSupport"]),
        // Against a throwaway PostgreSQL 15 (tools/pg-scratch); skipped, saying why, only where it cannot be installed.
        .testTarget(name: "SharedLogTests", dependencies: ["SharedLog", "PostgresLog", "AzureImport", "JSONLines", "Replay", "EventLog", "Events", "LogStore", "Evidence", "SystemIO", "TestSupport", "patchlog", "patchlog-collector"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "EventLog", "LogStore", "Replay", "JSONLines", "patchlog", "TestSupport"]),
        .testTarget(name: "PatchlogCLITests", dependencies: ["LogStore", "SystemIO", "patchlog", "patchlog-crash", "TestSupport"]),
    ]
)
