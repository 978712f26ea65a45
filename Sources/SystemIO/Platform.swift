// patchlog is built and tested on Linux only. SystemIO calls Glibc directly (and
// FaultInjection imports it unconditionally), and its durability rests on Linux's
// fsync: on macOS, fsync does not flush the drive's cache (F_FULLFSYNC would be
// needed), so a log written there would not keep the promises of
// docs/reliability.md. Porting means: Darwin imports, F_FULLFSYNC in
// SystemFile.sync, the crash trials run there. Until then a build elsewhere stops
// here rather than producing a log that only seems durable.
#if !os(Linux)
#error("patchlog builds on Linux only: SystemIO uses Glibc and Linux's fsync (see Sources/SystemIO/Platform.swift)")
#endif
