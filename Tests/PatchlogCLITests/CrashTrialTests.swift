import Foundation
import Testing

/// Crash safety at a size that fits CI: `patchlog-crash` kills writers with SIGKILL
/// under each sync mode (at random moments and inside chosen writes and fsyncs) and
/// checks the log after every kill. `tools/crash-trials` runs it bigger.
@Suite struct CrashTrialTests {
    @Test func everyAcknowledgedAppendSurvivesSIGKILLAndTheLogGoesOn() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("patchlog-crash")
        p.arguments = ["trials", "--dir", dir, "--trials", "12", "--seed", "7", "--segment-bytes", "32768"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| always") || $0.hasPrefix("| batch") || $0.hasPrefix("| none") }
        #expect(rows.count == 3)
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells[1] == "12", "12 kills per mode: \(row)")
            #expect(cells[4] == "0" && cells[7] == "0", "nothing acknowledged lost, no failed check: \(row)")
            #expect((UInt64(cells[3]) ?? 0) > 0, "the writers got appends acknowledged between kills: \(row)")
        }
    }
}
