import Foundation
import Testing

/// Every read endpoint over real HTTP on loopback, against its command's output.
@Suite struct ServerQueryTests {
    @Test func everyQueryAnswersItsCommandsJSONByteForByte() async throws {
        let f = try await ServerFixture()
        defer { f.stop() }
        let jsonl = try String(contentsOfFile: f.files[0], encoding: .utf8).split(separator: "\n")
        let vms = Set(jsonl.compactMap { line -> String? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return o["vm"] as? String
        }).sorted()
        let kb = jsonl.compactMap { line -> String? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["type"] as? String == "release" else { return nil }
            return o["kb"] as? String
        }.first!
        #expect(vms.count >= 3)
        let at = "2025-02-15T00:00:00Z"
        var cases: [(target: String, command: [String])] = []
        for vm in vms.prefix(3) {
            cases.append(("/v1/state?" + ServerFixture.query([("vm", vm), ("at", at)]), ["state", "--vm", vm, "--at", at, "--format", "json"]))
            cases.append(("/v1/state?" + ServerFixture.query([("vm", vm.uppercased()), ("at", at), ("asRecorded", "40")]),
                          ["state", "--vm", vm.uppercased(), "--at", at, "--as-recorded", "40", "--format", "json"]))
        }
        for vm in vms.prefix(2) {
            let name = String(vm.split(separator: "/").last!)
            cases.append(("/v1/state?" + ServerFixture.query([("vm", name), ("at", at)]), ["state", "--vm", name, "--at", at, "--format", "json"]))
            cases.append(("/v1/history?" + ServerFixture.query([("vm", vm)]), ["history", "--vm", vm, "--format", "json"]))
            cases.append(("/v1/history?" + ServerFixture.query([("vm", name), ("since", "2025-01-10"), ("until", at)]),
                          ["history", "--vm", name, "--since", "2025-01-10", "--until", at, "--format", "json"]))
            cases.append(("/v1/diff?" + ServerFixture.query([("vm", vm), ("from", "2025-01-05"), ("to", at)]),
                          ["diff", "--vm", vm, "--from", "2025-01-05", "--to", at, "--format", "json"]))
            cases.append(("/v1/diff?" + ServerFixture.query([("vm", name), ("from", "2025-01-05"), ("to", at), ("asRecorded", "40")]),
                          ["diff", "--vm", name, "--from", "2025-01-05", "--to", at, "--as-recorded", "40", "--format", "json"]))
        }
        cases += [
            ("/v1/state?" + ServerFixture.query([("vm", "no-such-vm"), ("at", at)]), ["state", "--vm", "no-such-vm", "--at", at, "--format", "json"]),
            ("/v1/when?kb=\(kb)", ["when", "--kb", kb, "--format", "json"]),
            ("/v1/when?kb=\(kb)&at=\(at)", ["when", "--kb", kb, "--at", at, "--format", "json"]),
            ("/v1/fleet?at=\(at)", ["fleet", "--at", at, "--format", "json"]),
            ("/v1/fleet?at=2025-01-20&asRecorded=30", ["fleet", "--at", "2025-01-20", "--as-recorded", "30", "--format", "json"]),
            ("/v1/findings?at=\(at)", ["findings", "--at", at, "--format", "json"]),
            ("/v1/findings?at=\(at)&since=2025-02-01", ["findings", "--at", at, "--since", "2025-02-01", "--format", "json"]),
            ("/v1/exposure?at=\(at)", ["exposure", "--at", at, "--format", "json"]),
            ("/v1/exposure?at=\(at)&by=vm", ["exposure", "--at", at, "--by", "vm", "--format", "json"]),
            ("/v1/export", ["export"]),
            ("/v1/export?format=csv", ["export", "--format", "csv"]),
            ("/v1/export?format=csv&type=assessment&since=2025-01-10", ["export", "--format", "csv", "--type", "assessment", "--since", "2025-01-10"]),
            ("/v1/export?" + ServerFixture.query([("vm", vms[0]), ("kb", kb)]), ["export", "--vm", vms[0], "--kb", kb]),
        ]
        for c in cases {
            let http = try await f.get(c.target)
            let cli = try await ServerFixture.patchlog(c.command + ["--log", f.log])
            #expect(http.status == 200, "\(c.target): \(http.text)")
            #expect(cli.status == 0, "\(c.command): \(cli.stderr)")
            #expect(!http.body.isEmpty)
            #expect(http.body == cli.stdout, "\(c.target) differs from patchlog \(c.command.joined(separator: " "))")
        }
        // The events after a sequence number are export's lines after it.
        let exported = try await ServerFixture.patchlog(["export", "--log", f.log]).text.split(separator: "\n")
        let events = try await f.get("/v1/events?after=7")
        #expect(events.status == 200 && events.headers["content-type"] == "application/jsonl")
        #expect(events.text.split(separator: "\n") == Array(exported.dropFirst(7)))
        let health = try await f.get("/v1/health")
        #expect(health.text == "{\"status\":\"ok\",\"events\":\(exported.count),\"streams\":0}\n")
    }

    @Test func badParametersAreProblemDetailsNamingTheParameter() async throws {
        let f = try await ServerFixture(vms: 2, months: 1)
        defer { f.stop() }
        let long = String(repeating: "x", count: 3000)
        let cases: [(String, String, String)] = [
            ("/v1/state", "vm", "required"),
            ("/v1/state?vm=a&at=yesterday", "at", "not an RFC 3339 time"),
            ("/v1/state?vm=a&at=2025-02-30", "at", "day 30"),
            ("/v1/state?vm=a&asRecorded=0", "asRecorded", "count from 1"),
            ("/v1/state?vm=a&asRecorded=-4", "asRecorded", "not a sequence number"),
            ("/v1/state?vm=a&colour=red", "colour", "unknown parameter"),
            ("/v1/state?vm=a&vm=b", "vm", "twice"),
            ("/v1/state?vm=\(long)", "vm", "longer than"),
            ("/v1/history", "vm", "required"),
            ("/v1/history?vm=a&since=2025-03-01&until=2025-01-01", "until", "before"),
            ("/v1/diff?vm=a&to=2025-01-01", "from", "required"),
            ("/v1/diff?vm=a&from=2025-01-01", "to", "required"),
            ("/v1/diff?vm=a&from=2025-03-01&to=2025-01-01", "to", "before"),
            ("/v1/when", "kb", "required"),
            ("/v1/when?kb=5034129x", "kb", "is not a KB"),
            ("/v1/exposure?by=week", "by", "month, kind, vm"),
            ("/v1/findings?since=2025-03-01&until=2025-01-01", "until", "before"),
            ("/v1/export?format=xml", "format", "csv or jsonl"),
            ("/v1/export?type=party", "type", "not an event type"),
            ("/v1/events?after=first", "after", "not a sequence number"),
            ("/v1/events?follow=maybe", "follow", "true or false"),
            ("/v1/health?verbose=1", "verbose", "takes none"),
        ]
        for (target, parameter, words) in cases {
            let r = try await f.get(target)
            #expect(r.status == 400, "\(target)")
            #expect(r.headers["content-type"] == "application/problem+json", "\(target)")
            let o = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
            #expect(o?["parameter"] as? String == parameter, "\(target): \(r.text)")
            #expect(o?["status"] as? Int == 400 && o?["title"] as? String == "Bad Request" && o?["type"] as? String == "about:blank")
            let detail = o?["detail"] as? String ?? ""
            #expect(detail.contains(words), "\(target): \(r.text)")
        }
    }
}
