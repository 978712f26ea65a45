import Foundation
import Testing
import TestSupport

/// A small tmpfs, mounted for the test: a disk that really fills up and really turns
/// read-only. Needs root (CI and these machines run tests as root); elsewhere the
/// fault shim of SystemIO covers ENOSPC and EIO (LogStoreTests).
final class SmallFileSystem {
    let path = CLITests.temporaryDirectory()
    let mounted: Bool

    init(size: String) {
        mounted = Self.mount(["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
    }

    static func mount(_ args: [String]) -> Bool {
        (try? ProcessRun.run("/bin/mount", args))?.status == 0
    }

    func remount(_ options: String) -> Bool { Self.mount(["-o", "remount,\(options)", path]) }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Whether this machine lets the tests mount a tmpfs.
    static let available: Bool = {
        let probe = SmallFileSystem(size: "64k")
        defer { probe.unmount() }
        return probe.mounted
    }()

    func unmount() {
        guard mounted else { return }
        _ = try? ProcessRun.run("/bin/umount", [path])
    }
}

@Suite(.serialized) struct RealFileSystemFaultTests {
    typealias CLI = CLITests

    @Test(.enabled(if: SmallFileSystem.available, "needs permission to mount a tmpfs"))
    func aFullDiskAndAReadOnlyDiskLeaveTheLogAsItWas() throws {
        let fs = SmallFileSystem(size: "96k")
        defer { fs.unmount() }
        let log = fs.path + "/log"
        let big = CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: big) }
        #expect(try CLI.patchlog(["simulate", "--vms", "300", "--months", "12", "--seed", "5", "--out", big + "/fleet.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", log, CLI.fixtures + "/demo/sample-history.jsonl"]).status == 0)
        let before = try CLI.patchlog(["export", "--log", log, "--format", "jsonl"]).stdout

        // The disk fills up during the import: a clear error, and the log as it was.
        var r = try CLI.patchlog(["import", "--log", log, big + "/fleet.jsonl"])
        #expect(r.status == 1 && r.stderr.contains("No space left on device"), "\(r.stderr)")
        #expect(try CLI.patchlog(["verify", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["export", "--log", log, "--format", "jsonl"]).stdout == before)

        // Space comes back: the same import goes through.
        #expect(fs.remount("size=64m"))
        r = try CLI.patchlog(["import", "--log", log, big + "/fleet.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try CLI.patchlog(["export", "--log", log, "--format", "jsonl"]).stdout

        // A read-only disk: writers get a clear error, readers still work, nothing changes.
        #expect(fs.remount("ro"))
        r = try CLI.patchlog(["import", "--log", log, CLI.fixtures + "/import/extra-members.jsonl"])
        #expect(r.status == 1 && r.stderr.contains("Read-only file system"), "\(r.stderr)")
        #expect(try CLI.patchlog(["verify", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["export", "--log", log, "--format", "jsonl"]).stdout == after)
    }
}
