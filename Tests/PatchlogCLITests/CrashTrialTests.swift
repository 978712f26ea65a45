import Foundation
import Testing
import TestSupport

/// Crash safety at a size that fits CI: `patchlog-crash` kills writers with SIGKILL
/// under each sync mode (at random moments and inside chosen writes and fsyncs) and
/// checks the log after every kill. `tools/crash-trials` runs it bigger.
@Suite struct CrashTrialTests {
    @Test func everyAcknowledgedAppendSurvivesSIGKILLAndTheLogGoesOn() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let harness = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("patchlog-crash").path
        let p = try ProcessRun.run(harness, ["trials", "--dir", dir, "--trials", "12", "--seed", "7", "--segment-bytes", "32768"])
        let text = p.text
        #expect(p.status == 0, "\(text)")
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| always") || $0.hasPrefix("| batch") || $0.hasPrefix("| none") }
        #expect(rows.count == 3)
        var dropped = 0, fired = 0
        var models = [0, 0, 0, 0]
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells[1] == "12", "12 kills per mode: \(row)")
            #expect(cells[8] == "0", "no failed check: \(row)")
            if cells[0] != "none" { #expect(cells[4] == "0", "nothing acknowledged lost under always and batch: \(row)") }
            #expect((UInt64(cells[3]) ?? 0) > 0, "the writers got appends acknowledged between kills: \(row)")
            dropped += Int(cells[6]) ?? 0
            fired += Int(cells[2].split(separator: "(").last?.dropLast() ?? "") ?? 0
            // Power-cut models played: cut, zeros, garbage, lost directory entry.
            #expect(cells.count >= 12, "power-cut model columns: \(row)")
            if cells.count >= 12 {
                for (i, n) in cells[9].split(separator: "/").enumerated() where i < 4 {
                    models[i] += Int(n.trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        #expect(models.allSatisfy { $0 > 0 }, "every power-cut model was played: \(models)")
        #expect(dropped > 0, "the power cuts dropped unsynced bytes")
        #expect(fired > 0, "some kills came from inside the store")
    }
}
