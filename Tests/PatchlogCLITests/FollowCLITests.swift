import Foundation
import SystemIO
import Testing

/// `patchlog follow`, run as a user runs it: a process that prints events as imports
/// commit, is stopped with SIGINT, and resumes from its cursor file.
@Suite struct FollowCLITests {
    /// A `patchlog follow` process whose standard output is collected as it comes.
    final class Follower: Sendable {
        let process: ChildProcess

        init(_ args: [String]) throws {
            process = try ChildProcess.start(CLITests.binary, ["follow"] + args)
        }

        var output: String { String(decoding: process.readAvailable().stdout, as: UTF8.self) }
        var errorOutput: String { String(decoding: process.readAvailable().stderr, as: UTF8.self) }
        var lines: [Substring] { output.split(separator: "\n", omittingEmptySubsequences: true) }

        /// Waits up to `seconds` for at least `count` lines.
        func waitFor(lines count: Int, seconds: Double = 20) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let text = output
                if text.split(separator: "\n", omittingEmptySubsequences: true).count >= count && text.hasSuffix("\n") { return true }
                usleep(20_000)
            }
            return false
        }

        /// Stops it as a person would (Ctrl-C) and returns its exit status, once
        /// everything it printed has been read.
        func interrupt() -> Int32 {
            process.send(SIGINT)
            return process.finish().status
        }
    }

    struct Fleet {
        let dir: String
        let log: String
        let first: String
        let second: String
        let third: String
    }

    /// A log holding the first 60 events of a simulated fleet, and three more files.
    static func fleet() throws -> Fleet {
        let dir = CLITests.temporaryDirectory()
        let all = dir + "/all.jsonl"
        #expect(try CLITests.patchlog(["simulate", "--vms", "6", "--months", "3", "--seed", "5", "--out", all]).status == 0)
        let lines = try String(contentsOfFile: all, encoding: .utf8).split(separator: "\n")
        func write(_ name: String, _ part: ArraySlice<Substring>) throws -> String {
            try (part.joined(separator: "\n") + "\n").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            return dir + "/" + name
        }
        let first = try write("first.jsonl", lines[0..<60])
        let second = try write("second.jsonl", lines[60..<100])
        let third = try write("third.jsonl", lines[100...])
        let log = dir + "/log"
        #expect(try CLITests.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLITests.patchlog(["import", "--log", log, first]).status == 0)
        return Fleet(dir: dir, log: log, first: first, second: second, third: third)
    }

    /// The log's events after `after`, as export prints them.
    static func exported(_ log: String, after: Int, _ filters: [String] = []) throws -> [Substring] {
        Array(try CLITests.patchlog(["export", "--log", log] + filters).stdout.split(separator: "\n").dropFirst(after))
    }

    @Test func aFollowerPrintsWhatIsThereThenEachCommittedImportButNeverATakenBackOne() throws {
        let f = try Self.fleet()
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        let follower = try Follower(["--log", f.log, "--after", "50"])
        #expect(follower.waitFor(lines: 10))
        #expect(try CLITests.patchlog(["import", "--log", f.log, f.second]).status == 0)
        #expect(follower.waitFor(lines: 50))

        // An import with a bad last line is taken back whole: the follower prints none of it.
        let bad = f.dir + "/bad.jsonl"
        let good = try String(contentsOfFile: f.third, encoding: .utf8)
        try (good + "{\"id\": \"x\", \"type\": \"reboot\"}\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try CLITests.patchlog(["import", "--log", f.log, bad])
        #expect(refused.status == 1)
        usleep(300_000)
        #expect(follower.lines.count == 50)

        #expect(try CLITests.patchlog(["import", "--log", f.log, f.third]).status == 0)
        let total = try Self.exported(f.log, after: 0).count
        #expect(follower.waitFor(lines: total - 50))
        #expect(follower.interrupt() == 0)
        #expect(follower.lines == (try Self.exported(f.log, after: 50)), "exactly the events after 50, each once, as export prints them")
        #expect(follower.errorOutput.isEmpty, "\(follower.errorOutput)")
    }

    @Test func aRestartedFollowerResumesFromItsCursorWithNothingLostOrRepeated() throws {
        let f = try Self.fleet()
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        let cursor = f.dir + "/cursor"
        let first = try Follower(["--log", f.log, "--after", "0", "--cursor-file", cursor])
        #expect(first.waitFor(lines: 60))
        #expect(try CLITests.patchlog(["import", "--log", f.log, f.second]).status == 0)
        #expect(first.waitFor(lines: 100))
        #expect(first.interrupt() == 0)
        #expect(try String(contentsOfFile: cursor, encoding: .utf8).hasSuffix("sequence: 100\n"))

        // Imported while no follower runs.
        #expect(try CLITests.patchlog(["import", "--log", f.log, f.third]).status == 0)
        let total = try Self.exported(f.log, after: 0).count
        // --after is ignored once the cursor exists.
        let second = try Follower(["--log", f.log, "--after", "0", "--cursor-file", cursor])
        #expect(second.waitFor(lines: total - 100))
        usleep(200_000)
        #expect(second.interrupt() == 0)
        #expect(first.lines + second.lines == (try Self.exported(f.log, after: 0)))
    }

    @Test func filtersAndTheTableFormat() throws {
        let f = try Self.fleet()
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        #expect(try CLITests.patchlog(["import", "--log", f.log, f.second]).status == 0)
        let filters = ["--type", "assessment", "--since", "2025-01-20"]
        let expected = try Self.exported(f.log, after: 0, filters)
        #expect(!expected.isEmpty)
        let follower = try Follower(["--log", f.log] + filters)
        #expect(follower.waitFor(lines: expected.count))
        usleep(200_000)
        #expect(follower.interrupt() == 0)
        #expect(follower.lines == expected)

        let table = try Follower(["--log", f.log, "--after", "98", "--format", "table"])
        #expect(table.waitFor(lines: 2))
        #expect(table.interrupt() == 0)
        #expect(table.lines.count == 2)
        #expect(table.lines[0].hasPrefix("99  20"))
        #expect(table.lines[1].hasPrefix("100  20"))
        // VMs by name, as every other table shows them; --wide shows the whole id.
        let filters2 = ["--type", "assessment"]
        let assessments = try Self.exported(f.log, after: 0, filters2)
        let named = try Follower(["--log", f.log, "--after", "0", "--format", "table"] + filters2)
        let wide = try Follower(["--log", f.log, "--after", "0", "--format", "table", "--wide"] + filters2)
        #expect(named.waitFor(lines: assessments.count) && wide.waitFor(lines: assessments.count))
        #expect(named.interrupt() == 0 && wide.interrupt() == 0)
        #expect(named.lines.count == assessments.count && wide.lines.count == assessments.count)
        for ((line, wideLine), json) in zip(zip(named.lines, wide.lines), assessments) {
            let vm = try #require(Self.vm(of: json))
            let name = String(vm.split(separator: "/").last!)
            #expect(vm.hasPrefix("/subscriptions/") && !line.contains(vm))
            #expect(line.contains("  \(name)  "))
            #expect(wideLine.contains("  \(vm)  "))
        }
    }

    /// The `vm` member of one exported event.
    static func vm(of line: Substring) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["vm"] as? String
    }

    @Test func badOptionsAreRefused() throws {
        let f = try Self.fleet()
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        let both = try CLITests.patchlog(["follow", "--log", f.log, "--after", "3", "--since", "2025-01-01"])
        #expect(both.status == 64 && both.stderr.contains("--after or --since"))
        let type = try CLITests.patchlog(["follow", "--log", f.log, "--type", "nope"])
        #expect(type.status == 64 && type.stderr.contains("--type nope"))
        let notALog = try CLITests.patchlog(["follow", "--log", f.dir])
        #expect(notALog.status == 1 && notALog.stderr.contains("is not a patchlog log"))
        let cursor = f.dir + "/not-a-cursor"
        try "hello\n".write(toFile: cursor, atomically: true, encoding: .utf8)
        let badCursor = try CLITests.patchlog(["follow", "--log", f.log, "--cursor-file", cursor])
        #expect(badCursor.status == 1 && badCursor.stderr.contains("is not a follow cursor"))
    }
}
