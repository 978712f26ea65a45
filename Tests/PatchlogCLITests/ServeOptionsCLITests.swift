import Foundation
import Testing

/// `patchlog serve`'s options that decide whether it takes appends: refused before it
/// listens when they do not fit together or the token is too weak.
@Suite struct ServeOptionsCLITests {
    @Test func appendsNeedATokenFileAndAStrongToken() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        try CLITests.patchlog(["init", "--log", log])
        let noToken = try CLITests.patchlog(["serve", "--log", log, "--port", "0", "--accept-appends"])
        #expect(noToken.status == 64 && noToken.stderr.contains("--accept-appends needs --token-file"), "\(noToken.stderr)")
        let tokenAlone = try CLITests.patchlog(["serve", "--log", log, "--port", "0", "--token-file", dir + "/t"])
        #expect(tokenAlone.status == 64 && tokenAlone.stderr.contains("--token-file goes with --accept-appends"))
        try "short\n".write(toFile: dir + "/t", atomically: true, encoding: .utf8)
        let weak = try CLITests.patchlog(["serve", "--log", log, "--port", "0", "--accept-appends", "--token-file", dir + "/t"])
        #expect(weak.status == 1 && weak.stderr.contains("--token-file \(dir)/t: the token is 5 characters; give at least 16"), "\(weak.stderr)")
        let missing = try CLITests.patchlog(["serve", "--log", log, "--port", "0", "--accept-appends", "--token-file", dir + "/none"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot be read"))
        let body = try CLITests.patchlog(["serve", "--log", log, "--port", "0", "--max-body-mb", "0"])
        #expect(body.status == 64 && body.stderr.contains("--max-body-mb 0"))
    }
}
