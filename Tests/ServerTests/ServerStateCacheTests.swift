import Foundation
import Testing

/// `GET /v1/state` answers from folded states the server keeps (StateCache): they
/// must be, byte for byte, what `patchlog state` says, before and after imports
/// (the states of the VMs an import touches are folded again), and after a new
/// release (every state is).
@Suite struct ServerStateCacheTests {
    static func vms(_ f: ServerFixture) async throws -> [String] {
        let fleet = try await ServerFixture.patchlog(["fleet", "--log", f.log, "--at", "2100-01-01", "--format", "json"]).stdout
        return (try JSONSerialization.jsonObject(with: fleet) as! [[String: Any]]).map { $0["vm"] as! String }
    }

    /// Every VM's state from the server and from the command, at `at`, compared; each
    /// asked twice (the second answer comes from what the server kept).
    static func expectSame(_ f: ServerFixture, at: String, _ note: String) async throws {
        for vm in try await vms(f) {
            let cli = try await ServerFixture.patchlog(["state", "--log", f.log, "--vm", vm, "--at", at, "--format", "json"])
            for round in 0..<2 {
                let http = try await f.get("/v1/state?" + ServerFixture.query([("vm", vm), ("at", at)]))
                #expect(http.body == cli.stdout, "\(note), round \(round): \(vm)\nserver: \(http.text)\ncommand: \(cli.text)")
            }
        }
    }

    @Test func keptStatesAreTheCommandsBeforeAndAfterImportsAndANewRelease() async throws {
        let f = try await ServerFixture(vms: 5, months: 2)
        defer { f.stop() }
        // The background pass that folds every VM is done in milliseconds here.
        try await Task.sleep(nanoseconds: 300_000_000)
        try await Self.expectSame(f, at: "2030-01-01", "after start")
        try await Self.expectSame(f, at: "2025-01-20", "a moment inside the log")

        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, f.files[1]]).status == 0)
        let count = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !(try await f.get("/v1/health").text.contains("\"events\":\(count)")) { try await Task.sleep(nanoseconds: 20_000_000) }
        try await Self.expectSame(f, at: "2030-01-01", "after an import")
        try await Self.expectSame(f, at: "2025-01-20", "after an import, inside the log")

        // A release every state depends on (the catalog), late in time.
        let release = f.dir + "/release.jsonl"
        try "{\"id\":\"late-release\",\"type\":\"release\",\"time\":\"2025-01-14T18:00:00Z\",\"kb\":\"KB5999999\",\"kind\":\"hotpatch\",\"planned\":true,\"classifications\":[\"Security\"],\"title\":\"late\"}\n"
            .write(toFile: release, atomically: true, encoding: .utf8)
        let added = try await ServerFixture.patchlog(["import", "--log", f.log, release])
        #expect(added.status == 0, "\(added.stderr)")
        let deadline2 = Date().addingTimeInterval(5)
        while Date() < deadline2, !(try await f.get("/v1/health").text.contains("\"events\":\(count + 1)")) { try await Task.sleep(nanoseconds: 20_000_000) }
        try await Self.expectSame(f, at: "2030-01-01", "after a release")
    }

    /// Waits until the server's view holds `count` events.
    static func waitForEvents(_ f: ServerFixture, _ count: Int) async throws {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !(try await f.get("/v1/health").text.contains("\"events\":\(count)")) { try await Task.sleep(nanoseconds: 20_000_000) }
    }

    /// A state at a moment is kept across an import whose records of the VM all come
    /// later; a late record at or before the moment drops it, and the next answer is
    /// folded again (here: hotpatch turned off before the moment asked about).
    @Test func aLateRecordBeforeTheMomentChangesTheAnswer() async throws {
        let f = try await ServerFixture(vms: 3, months: 2)
        defer { f.stop() }
        try await Task.sleep(nanoseconds: 300_000_000)
        let vm = try await Self.vms(f)[0]
        let at = "2025-01-20"
        let path = "/v1/state?" + ServerFixture.query([("vm", vm), ("at", at)])
        let before = try await f.get(path).text
        #expect(before.contains("\"hotpatchEnabled\":true"), "\(before)")

        // Later than the moment: the kept state still answers, and rightly.
        let later = f.dir + "/later.jsonl"
        try "{\"id\":\"late-off-after\",\"type\":\"vm.hotpatch\",\"time\":\"2025-01-21T00:00:00Z\",\"vm\":\"\(vm)\",\"enabled\":false}\n"
            .write(toFile: later, atomically: true, encoding: .utf8)
        let count = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count
        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, later]).status == 0)
        try await Self.waitForEvents(f, count + 1)
        #expect(try await f.get(path).text == before)

        // At or before the moment: the answer changes, as the command's does.
        let earlier = f.dir + "/earlier.jsonl"
        try "{\"id\":\"late-off-before\",\"type\":\"vm.hotpatch\",\"time\":\"2025-01-20T00:00:00Z\",\"vm\":\"\(vm)\",\"enabled\":false}\n"
            .write(toFile: earlier, atomically: true, encoding: .utf8)
        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, earlier]).status == 0)
        try await Self.waitForEvents(f, count + 2)
        let after = try await f.get(path).text
        #expect(after.contains("\"hotpatchEnabled\":false"), "\(after)")
        try await Self.expectSame(f, at: at, "after late records")
    }
}
