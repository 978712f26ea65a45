import Foundation
import Testing

/// `GET /v1/events?follow=true` over real HTTP: a follower across imports and a
/// taken-back import, Server-Sent Events, and a client that goes away mid-stream.
@Suite struct ServerStreamTests {
    static func lines(_ r: HTTPResponse) -> [Substring] { r.text.split(separator: "\n") }

    @Test func aFollowingStreamGetsEachCommittedImportButNeverATakenBackOne() async throws {
        let f = try await ServerFixture()
        defer { f.stop() }
        let start = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count
        let c = try LoopbackConnection(port: f.port)
        c.send("GET", "/v1/events?after=5&follow=true")
        #expect(await c.read { Self.lines($0).count == start - 5 })
        #expect(c.response?.headers["content-type"] == "application/jsonl")

        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, f.files[1]]).status == 0)
        let middle = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count
        #expect(await c.read { Self.lines($0).count == middle - 5 })

        let bad = f.dir + "/bad.jsonl"
        try (String(contentsOfFile: f.files[2], encoding: .utf8) + "{\"id\": \"x\"}\n").write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, bad]).status == 1)
        #expect(!(await c.read(seconds: 0.5) { Self.lines($0).count > middle - 5 }), "nothing of the taken-back import")

        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, f.files[2]]).status == 0)
        let exported = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n")
        #expect(await c.read { Self.lines($0).count == exported.count - 5 })
        #expect(Self.lines(c.response!) == Array(exported.dropFirst(5)))
        c.close()
    }

    @Test func serverSentEventsCarryTheSequenceAndResumeFromLastEventID() async throws {
        let f = try await ServerFixture(vms: 3, months: 1)
        defer { f.stop() }
        let exported = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n")
        let r = try await f.get("/v1/events?after=2", headers: ["Accept": "text/event-stream", "Last-Event-ID": "4"])
        #expect(r.headers["content-type"] == "text/event-stream")
        let events = r.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == exported.count - 4)
        #expect(events.first?.hasPrefix("id: 5\nevent: ") == true)
        #expect(events.first.map { $0.components(separatedBy: "\n")[2] } == "data: " + exported[4])
        let badID = try await f.get("/v1/events", headers: ["Accept": "text/event-stream", "Last-Event-ID": "five"])
        #expect(badID.status == 400 && badID.text.contains("\"parameter\":\"Last-Event-ID\""))
    }

    @Test func aClientThatDisconnectsMidStreamLeavesNothingBehind() async throws {
        let f = try await ServerFixture()
        defer { f.stop() }
        for _ in 0..<3 {
            let c = try LoopbackConnection(port: f.port)
            c.send("GET", "/v1/events?after=0&follow=true")
            #expect(await c.read { !$0.body.isEmpty })
            c.close()
        }
        let export = try LoopbackConnection(port: f.port)
        export.send("GET", "/v1/export?format=csv")
        _ = try await ServerFixture.offPool { export.pump(milliseconds: 1000) }
        export.close()
        // The server notices at its next write: the next commit or heartbeat.
        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, f.files[1]]).status == 0)
        var streams = -1
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let health = try await f.get("/v1/health").text
            streams = Int(health.components(separatedBy: "\"streams\":")[1].prefix { $0.isNumber }) ?? -1
            if streams == 0 { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(streams == 0, "every stream ended")
        let after = try await f.get("/v1/fleet?at=2025-02-01")
        #expect(after.status == 200, "and the server goes on: \(after.status) \(after.text)")
    }
}
