import Foundation
import LogStore
import Testing

/// Runs the built `patchlog` binary as a user would and checks its output and exit
/// codes.
@Suite struct CLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("patchlog").path
    }

    @discardableResult
    static func patchlog(_ args: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["PATCHLOG_DIR"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "patchlog-cli-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func helpListsEveryCommand() throws {
        let r = try Self.patchlog(["--help"])
        #expect(r.status == 0)
        for command in ["init", "info", "verify", "salvage", "raw"] { #expect(r.stdout.contains(command)) }
        #expect(r.stdout.contains("PATCHLOG_DIR"))
    }

    @Test func appendedRecordsReadBackAndReappendingAddsNothing() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        let sample = Self.fixtures + "/demo/sample-history.tsv"
        #expect(try Self.patchlog(["init", "--log", log]).status == 0)
        let first = try Self.patchlog(["raw", "append", "--log", log, sample])
        #expect(first.status == 0 && first.stdout.contains("appended 29 records, 0 already in the log"))
        let again = try Self.patchlog(["raw", "append", "--log", log, sample])
        #expect(again.stdout.contains("appended 0 records, 29 already in the log; last sequence 29"))
        let read = try Self.patchlog(["raw", "read", "--log", log])
        let lines = read.stdout.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1)[1] }
        let input = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n")
        #expect(lines == input.map { $0[...] })
        let info = try Self.patchlog(["info", "--log", log])
        #expect(info.stdout.contains("records      29 in 4 streams"))
        #expect(try Self.patchlog(["verify", "--log", log]).stdout.hasPrefix("ok: 29 records"))
    }

    @Test func logDirectoryDefaultsToTheEnvironmentThenTheWorkingDirectory() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.patchlog(["init"], environment: ["PATCHLOG_DIR": dir + "/env-log"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/env-log/LOG"))
        #expect(try Self.patchlog(["init"], cwd: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/patchlog.log/LOG"))
    }

    @Test func aBadLineNamesFileAndLineAndAppendsNothing() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try Self.patchlog(["init", "--log", log])
        let missing = Self.fixtures + "/raw/missing-field.tsv"
        let r = try Self.patchlog(["raw", "append", "--log", log, missing])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(missing):2: expected 4 tab-separated fields (time, stream, id, payload), found 2"))
        let bad = Self.fixtures + "/raw/impossible-date.tsv"
        let t = try Self.patchlog(["raw", "append", "--log", log, bad])
        #expect(t.status == 1)
        #expect(t.stderr.contains("\(bad):2: field time: \"2025-02-30T00:00:00Z\" is not an RFC 3339 time (day 30)"))
        #expect(try Self.patchlog(["raw", "read", "--log", log]).stdout.isEmpty)
    }

    @Test func verifyExitsThreeNamingTheFirstDamagedRecord() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try Self.patchlog(["init", "--log", log])
        try Self.patchlog(["raw", "append", "--log", log, Self.fixtures + "/demo/sample-history.tsv"])
        let segment = log + "/00000000000000000001.seg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[200] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: segment))
        let r = try Self.patchlog(["verify", "--log", log])
        #expect(r.status == 3)
        #expect(r.stdout.contains("DAMAGED: 00000000000000000001.seg at offset"))
        #expect(r.stdout.contains("records from sequence 1 on"))
        let s = try Self.patchlog(["salvage", "--log", log])
        #expect(s.status == 0 && s.stdout.contains("skipped: 00000000000000000001.seg"))
    }

    @Test func aSecondWriterIsToldWhoHoldsTheLock() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try FileLog.create(at: dir + "/log")
        let r = try Self.patchlog(["raw", "append", "--log", dir + "/log", Self.fixtures + "/demo/sample-history.tsv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("log \(dir)/log is locked by another writer (process \(getpid()))"))
        writer.close()
    }

    @Test func notALogAndContradictoryOptionsAreClearErrors() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.patchlog(["info", "--log", dir])
        #expect(r.status == 1 && r.stderr.contains("\(dir) is not a patchlog log: it has no LOG file"))
        let v = try Self.patchlog(["raw", "read", "--log", dir, "--from", "5", "--to", "2"])
        #expect(v.status == 64 && v.stderr.contains("--to 2 is before --from 5"))
    }
}
