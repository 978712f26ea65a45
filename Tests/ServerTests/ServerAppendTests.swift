import Foundation
import LogStore
import TestSupport
import Testing

/// `POST /v1/events` over real HTTP: refused on a read-only server, without the
/// token and with another; all or nothing as `patchlog import`; the sequence numbers
/// in the answer; bodies bounded; the writer lock taken only for the append.
@Suite struct ServerAppendTests {
    static let token = "test-token-0123456789abcdef"
    static var auth: [String: String] { ["Authorization": "Bearer \(token)"] }

    static func json(_ r: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any], "\(r.status) \(r.text)")
    }

    @Test func aReadOnlyServerRefusesAppendsWith405() async throws {
        let f = try await ServerFixture(vms: 2, months: 1)
        defer { f.stop() }
        let body = try Data(contentsOf: URL(fileURLWithPath: f.files[1]))
        let r = try await f.post("/v1/events", headers: Self.auth, body: body)
        #expect(r.status == 405 && r.headers["allow"] == "GET" && r.headers["content-type"] == "application/problem+json")
        #expect(try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count
                == (try String(contentsOfFile: f.files[0], encoding: .utf8)).split(separator: "\n").count, "nothing appended")
    }

    @Test func theTokenIsRefusedWhenMissingOrWrongAndTheAnswerGivesTheSequences() async throws {
        let f = try await ServerFixture(vms: 3, months: 1, appendToken: Self.token)
        defer { f.stop() }
        let body = try Data(contentsOf: URL(fileURLWithPath: f.files[1]))
        let before = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count

        let none = try await f.post("/v1/events", body: body)
        #expect(none.status == 401 && none.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(none.text.contains("\"parameter\":\"Authorization\""))
        let basic = try await f.post("/v1/events", headers: ["Authorization": "Basic dXNlcjpwYXNz"], body: body)
        #expect(basic.status == 401)
        for wrong in ["Bearer x", "Bearer \(Self.token)x", "Bearer \(Self.token.dropLast())", "Bearer " + Self.token.uppercased()] {
            let r = try await f.post("/v1/events", headers: ["Authorization": wrong], body: body)
            #expect(r.status == 403, "\(wrong): \(r.status)")
        }
        #expect(try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count == before, "nothing appended without the token")

        let ok = try await f.post("/v1/events", headers: Self.auth, body: body)
        #expect(ok.status == 200, "\(ok.text)")
        let answer = try Self.json(ok)
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n")
        #expect(answer["appended"] as? Int == lines.count && answer["duplicates"] as? Int == 0)
        let sequences = try #require(answer["sequences"] as? [Int])
        #expect(sequences == Array((before + 1)...(before + lines.count)))
        // The event at each sequence number is the line posted.
        let exported = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n")
        for (line, seq) in zip(lines, sequences).prefix(20) {
            let posted = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let stored = try JSONSerialization.jsonObject(with: Data(exported[seq - 1].utf8)) as! [String: Any]
            #expect(posted["id"] as? String == stored["id"] as? String)
        }
        // Read what you wrote: the server's own view has them at once.
        let health = try await f.get("/v1/health")
        #expect(health.text.contains("\"events\":\(before + lines.count)"))
        // Again: nothing new, the same sequence numbers.
        let again = try Self.json(try await f.post("/v1/events", headers: Self.auth, body: body))
        #expect(again["appended"] as? Int == 0 && again["duplicates"] as? Int == lines.count)
        #expect(again["sequences"] as? [Int] == sequences)
    }

    @Test func aBadLineAppendsNothingAndIsNamed() async throws {
        let f = try await ServerFixture(vms: 2, months: 1, appendToken: Self.token)
        defer { f.stop() }
        let before = try await ServerFixture.patchlog(["export", "--log", f.log]).text
        var body = try String(contentsOfFile: f.files[1], encoding: .utf8)
        let good = body.split(separator: "\n").count
        body += "{\"id\": \"x\", \"type\": \"reboot\"}\n"
        let r = try await f.post("/v1/events", headers: Self.auth, body: Data(body.utf8))
        #expect(r.status == 422, "\(r.text)")
        #expect(r.text.contains("request body:\(good + 1)"), "names the line: \(r.text)")
        #expect(try await ServerFixture.patchlog(["export", "--log", f.log]).text == before, "all or nothing")
        let empty = try await f.post("/v1/events", headers: Self.auth, body: Data("\n \n".utf8))
        #expect(empty.status == 400)
        let from = try await f.post("/v1/events?from=csv", headers: Self.auth, body: Data(body.utf8))
        #expect(from.status == 400 && from.text.contains("\"parameter\":\"from\""))
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let f = try await ServerFixture(vms: 2, months: 1, appendToken: Self.token, maxBodyBytes: 4_096)
        defer { f.stop() }
        let body = try Data(contentsOf: URL(fileURLWithPath: f.files[1]))
        #expect(body.count > 4_096)
        let r = try await f.post("/v1/events", headers: Self.auth, body: body)
        #expect(r.status == 413, "\(r.status) \(r.text)")
        let small = Data(try String(contentsOfFile: f.files[1], encoding: .utf8).split(separator: "\n").prefix(2).joined(separator: "\n").utf8)
        #expect(small.count < 4_096)
        #expect(try await f.post("/v1/events", headers: Self.auth, body: small).status == 200)
    }

    @Test func theWriterLockIsTakenOnlyForTheAppend() async throws {
        let f = try await ServerFixture(vms: 2, months: 1, appendToken: Self.token)
        defer { f.stop() }
        let lines = try String(contentsOfFile: f.files[1], encoding: .utf8).split(separator: "\n")
        #expect(try await f.post("/v1/events", headers: Self.auth, body: Data((lines[0..<5].joined(separator: "\n") + "\n").utf8)).status == 200)
        // Between appends the command line imports.
        #expect(try await ServerFixture.patchlog(["import", "--log", f.log, f.files[2]]).status == 0)
        // While another writer holds the lock, an append is a 409 to retry.
        let writer = try FileLog.open(at: f.log, access: .writer)
        let busy = try await f.post("/v1/events", headers: Self.auth, body: Data((lines[5..<10].joined(separator: "\n") + "\n").utf8))
        #expect(busy.status == 409 && busy.headers["retry-after"] == "1", "\(busy.status) \(busy.text)")
        writer.close()
        #expect(try await f.post("/v1/events", headers: Self.auth, body: Data((lines[5..<10].joined(separator: "\n") + "\n").utf8)).status == 200)
    }

    @Test func anAzurePayloadGoesInAsImportFromAzureAndIsKept() async throws {
        let f = try await ServerFixture(vms: 2, months: 1, appendToken: Self.token)
        defer { f.stop() }
        let payload = TestSupport.fixture("azure/samples/Machine_InstallPatches.json")
        let body = try Data(contentsOf: URL(fileURLWithPath: payload))
        let before = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n").count
        let r = try await f.post("/v1/events?from=azure", headers: Self.auth, body: body)
        #expect(r.status == 200, "\(r.text)")
        let answer = try Self.json(r)
        let appended = try #require(answer["appended"] as? Int)
        #expect(appended > 0)
        let sequences = try #require(answer["sequences"] as? [Int])
        #expect(sequences == Array((before + 1)...(before + appended)))
        #expect((answer["source"] as? String)?.hasPrefix("sha256:") == true)
        let raw = try await ServerFixture.patchlog(["show", "--log", f.log, "--seq", "\(sequences[0])", "--raw"])
        #expect(raw.status == 0 && raw.stdout == body, "the payload is kept byte for byte")
        #expect(try await ServerFixture.patchlog(["verify", "--log", f.log]).status == 0)
        let bad = try await f.post("/v1/events?from=azure", headers: Self.auth, body: Data("{\"nothing\": 1}".utf8))
        #expect(bad.status == 422)
    }
}
