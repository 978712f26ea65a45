import Foundation
import LogStore
import Testing

/// Issue 13, item 3, as it was found: `checkpoint` run while an import is open
/// signed records the import later took back, and the untouched log then failed
/// `verify --checkpoint` with TRUNCATED. It signs the committed log only.
@Suite struct CommittedImportCLITests {
    typealias CLI = CLITests
    struct Refused: Error {}

    @Test func aCheckpointTakenDuringAnImportThatIsTakenBackStillMatchesTheLog() throws {
        let dir = CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        #expect(try CLI.patchlog(["init", "--log", log]).status == 0)
        #expect(try CLI.patchlog(["import", "--log", log, CLI.fixtures + "/demo/sample-history.jsonl"]).status == 0)
        #expect(try CLI.patchlog(["keygen", "--out", dir + "/k"]).status == 0)
        let writer = try FileLog.open(at: log)
        #expect(throws: Refused.self) {
            try writer.transaction {
                _ = try writer.append(NewRecord(time: 1, stream: "extra", id: "uncommitted-1", payload: [1, 2, 3]))
                let cp = try CLI.patchlog(["checkpoint", "--log", log, "--key", dir + "/k.key", "--out", dir + "/cp"])
                #expect(cp.status == 0)
                #expect(try CLI.patchlog(["info", "--log", log]).stdout.contains("29"))
                throw Refused()
            }
        }
        writer.close()
        let text = try String(contentsOfFile: dir + "/cp", encoding: .utf8)
        #expect(text.contains("tree-size: 29\n"))
        let verify = try CLI.patchlog(["verify", "--log", log, "--checkpoint", dir + "/cp", "--key", dir + "/k.pub"])
        #expect(verify.status == 0)
    }
}
