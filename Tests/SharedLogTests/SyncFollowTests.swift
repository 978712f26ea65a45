import Foundation
import PostgresLog
import SystemIO
import Testing

/// `patchlog sync --follow` as a user runs it: a process that copies, is woken by
/// LISTEN/NOTIFY when a collector commits, and stops cleanly on SIGTERM or SIGINT.
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct SyncFollowTests {
    /// A running `patchlog` whose standard output is read as it comes.
    final class Running: Sendable {
        let process: ChildProcess

        init(_ args: [String]) throws {
            process = try ChildProcess.start(Shell.patchlog, args, stdout: .pipe, stderr: .standardOutput)
        }

        /// What it printed so far.
        var printed: String { String(decoding: process.readAvailable().stdout, as: UTF8.self) }

        /// Waits up to `seconds` for `text` to be printed; whether it was.
        func waitFor(_ text: String, seconds: Double) async throws -> Bool {
            let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
            while ContinuousClock.now < end {
                if printed.contains(text) { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return printed.contains(text)
        }

        /// Waits up to `seconds` for the process to exit; its status, or nil (and it
        /// is killed).
        func exitStatus(within seconds: Double) async throws -> Int32? {
            let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
            while ContinuousClock.now < end {
                if let status = process.exitStatus() { return status }
                try await Task.sleep(for: .milliseconds(20))
            }
            if let status = process.exitStatus() { return status }
            process.send(SIGKILL)
            return nil
        }
    }

    static let oneMore = #"{"id":"f-1","type":"vm.power","vm":"web-01","state":"Stopped","time":"2025-06-01T00:00:00Z"}"#

    @Test(arguments: [SIGTERM, SIGINT])
    func aFollowerIsWokenByACommitAndStopsCleanly(signal: Int32) async throws {
        let location = try await TestDatabase.fresh()
        let url = "\(location)"
        let dir = Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Shell.run(Shell.patchlog, ["import", "--to", url, SharedImportTests.sample]).status == 0)
        let follower = try Running(["sync", "--follow", "--from", url, "--log", dir + "/copy"])
        #expect(try await follower.waitFor("synced to 29 (29 new)", seconds: 20), "\(follower.printed)")
        // Without a notification the follower would look again only after 30 s.
        let imported = Shell.run(Shell.patchlog, ["import", "--to", url, SharedImportTests.write([Self.oneMore])])
        #expect(imported.status == 0, "\(imported.stderr)")
        let woken = ContinuousClock.now
        #expect(try await follower.waitFor("synced to 30 (1 new)", seconds: 10), "\(follower.printed)")
        #expect(ContinuousClock.now - woken < .seconds(10))
        follower.process.send(signal)
        let status = try await follower.exitStatus(within: 10)
        #expect(status == 0, "\(follower.printed)")
        // Its last words may still be in the pipe when it has exited.
        #expect(try await follower.waitFor("30 records appended", seconds: 5), "\(follower.printed)")
        // The copy was closed as a writer closes it: it verifies and holds all 30.
        let verify = Shell.run(Shell.patchlog, ["verify", "--log", dir + "/copy"])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: 30 records"), "\(verify.stdout) \(verify.stderr)")
    }
}
