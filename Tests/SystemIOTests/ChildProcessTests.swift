import Dispatch
import Foundation
import Glibc
import SystemIO
import Testing

/// Programs run as the tests run `patchlog`: their output, their exit, their
/// environment, and many at once without one child holding another's pipes.
@Suite struct ChildProcessTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func itGivesBothStreamsAndTheExitCode() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(r.status == 3)
        #expect(text(r.stdout) == "out\n")
        #expect(text(r.stderr) == "err\n")
    }

    @Test func aChildKilledByASignalEndsWith128PlusItsNumber() throws {
        let p = try ChildProcess.start("/bin/sleep", ["30"])
        #expect(p.exitStatus() == nil)
        p.send(SIGKILL)
        #expect(p.finish().status == 128 + SIGKILL)
        #expect(p.exitStatus() == 128 + SIGKILL)
    }

    @Test func theEnvironmentAndDirectoryAreTheGivenOnesAndInputIsEmpty() throws {
        let dir = "/usr/bin"
        let r = try ChildProcess.run("/bin/sh", ["-c", "echo \"$ONLY:$HOME\"; pwd; cat"], environment: ["ONLY": "this"], directory: dir)
        #expect(r.status == 0)
        #expect(text(r.stdout) == "this:\n\(dir)\n")
    }

    @Test func standardErrorCanJoinStandardOutput() throws {
        let r = try ChildProcess.start("/bin/sh", ["-c", "echo a; echo b >&2; echo c"], stdout: .pipe, stderr: .standardOutput).finish()
        #expect(text(r.stdout) == "a\nb\nc\n" && r.stderr.isEmpty)
        let quiet = try ChildProcess.start("/bin/sh", ["-c", "echo a; echo b >&2"], stdout: .discard, stderr: .pipe).finish()
        #expect(quiet.stdout.isEmpty && text(quiet.stderr) == "b\n")
    }

    @Test func bigOutputOnBothStreamsDoesNotStall() throws {
        // More than a pipe holds, on both streams at once.
        let r = try ChildProcess.run("/bin/sh", ["-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; head -c 100000 /dev/zero"])
        #expect(r.status == 0 && r.stdout.count == 400_000 && r.stderr.count == 200_000)
    }

    @Test func aProgramThatCannotStartIsAnError() {
        #expect(throws: SystemError.self) { try ChildProcess.run("/nonexistent/program", []) }
    }

    @Test func outputIsReadAsItComes() throws {
        let p = try ChildProcess.start("/bin/sh", ["-c", "echo first; exec sleep 30"])
        var seen = ""
        for _ in 0..<500 where !seen.contains("first\n") {
            seen = text(p.readAvailable().stdout)
            usleep(10_000)
        }
        #expect(seen == "first\n")
        p.send(SIGTERM)
        #expect(p.finish().status == 128 + SIGTERM)
    }

    @Test func aChildHoldsNoDescriptorButItsStandardThree() throws {
        let first = try ChildProcess.start("/bin/sleep", ["30"])
        let second = try ChildProcess.start("/bin/sleep", ["30"])
        defer { for p in [first, second] { p.send(SIGKILL); _ = p.wait() } }
        // The first one's pipes are open in this process while the second starts. The
        // second may still be loading its libraries (a descriptor open for a moment):
        // look again until it settles; a descriptor it was given would stay.
        var fds: [String] = []
        for _ in 0..<200 {
            fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(second.pid)/fd").sorted()
            if fds == ["0", "1", "2"] { break }
            usleep(10_000)
        }
        #expect(fds == ["0", "1", "2"])
    }

    @Test func manyAtOnceFromManyThreads() {
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<12 {
                let ok = (try? ChildProcess.run("/bin/sh", ["-c", "echo \(worker)-\(i); exit \(i % 3)"])).map {
                    $0.status == Int32(i % 3) && String(decoding: $0.stdout, as: UTF8.self) == "\(worker)-\(i)\n"
                } ?? false
                results.add(ok)
            }
        }
        #expect(results.count == (96, 96))
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var runs = 0, good = 0
        func add(_ ok: Bool) { lock.withLock { runs += 1; if ok { good += 1 } } }
        var count: (Int, Int) { lock.withLock { (runs, good) } }
    }
}
