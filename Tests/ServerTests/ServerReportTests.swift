import Foundation
import Testing

/// `GET /` and `GET /vm`: the HTML report of `patchlog report`, byte for byte, made
/// live from the committed log.
@Suite struct ServerReportTests {
    /// What `patchlog report` writes with these options.
    static func report(_ f: ServerFixture, _ options: [String]) async throws -> Data {
        let out = f.dir + "/report-\(UUID().uuidString).html"
        let r = try await ServerFixture.patchlog(["report", "--log", f.log, "--out", out] + options)
        #expect(r.status == 0, "\(options): \(r.stderr)")
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    @Test func theFleetAndOneVMAreTheReportsOfTheCommandByteForByte() async throws {
        let f = try await ServerFixture(vms: 5, months: 2)
        defer { f.stop() }
        let fleet = try await f.get("/")
        #expect(fleet.status == 200)
        #expect(fleet.headers["content-type"] == "text/html; charset=utf-8")
        #expect(fleet.text.hasPrefix("<!DOCTYPE html>") || fleet.text.hasPrefix("<!doctype html>"))
        #expect(fleet.body == (try await Self.report(f, [])), "GET / is patchlog report")

        let at = "2025-01-20T00:00:00Z"
        let some = try await f.get("/?" + ServerFixture.query([("at", at), ("timelines", "2"), ("since", "2025-01-05")]))
        #expect(some.body == (try await Self.report(f, ["--at", at, "--timelines", "2", "--since", "2025-01-05"])))

        let vms = try await ServerFixture.patchlog(["fleet", "--log", f.log, "--at", "2026-01-01", "--format", "json"]).stdout
        let ids = (try JSONSerialization.jsonObject(with: vms) as! [[String: Any]]).map { $0["vm"] as! String }
        let name = String(ids[1].split(separator: "/").last!)
        let one = try await f.get("/vm?" + ServerFixture.query([("vm", name), ("asRecorded", "30")]))
        #expect(one.status == 200)
        #expect(one.body == (try await Self.report(f, ["--vm", name, "--as-recorded", "30"])), "GET /vm is patchlog report --vm")
        #expect(one.text.contains(ids[1]))

        let unknown = try await f.get("/vm?vm=no-such-vm")
        #expect(unknown.status == 404 && unknown.text.contains("\"parameter\":\"vm\""))
        let missing = try await f.get("/vm")
        #expect(missing.status == 400 && missing.text.contains("\"parameter\":\"vm\""))
        let many = try await f.get("/?timelines=5000")
        #expect(many.status == 400 && many.text.contains("\"parameter\":\"timelines\""))
    }

    @Test func thePageFollowsTheLogAsImportsCommit() async throws {
        let f = try await ServerFixture(vms: 4, months: 2)
        defer { f.stop() }
        let before = try await f.get("/")
        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, f.files[1]]).status == 0)
        // The view is reopened within milliseconds of the commit.
        var after = before
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            after = try await f.get("/")
            if after.body != before.body { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(after.body != before.body)
        #expect(after.body == (try await Self.report(f, [])), "the new page is the report of the log as it is now")
    }
}
