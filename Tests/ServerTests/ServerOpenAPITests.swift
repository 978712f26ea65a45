import Foundation
import Testing
@testable import Server

/// The OpenAPI document tells the truth: every route with exactly its parameters,
/// and nothing else; and the evidence endpoints match `prove` and the checkpoint file.
@Suite struct ServerOpenAPITests {
    @Test func theDocumentListsEveryRouteWithExactlyItsParameters() async throws {
        let f = try await ServerFixture(vms: 2, months: 1)
        defer { f.stop() }
        let r = try await f.get("/v1/openapi.json")
        #expect(r.status == 200 && r.headers["content-type"] == "application/json")
        let doc = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        #expect(Set(paths.keys) == Set(Routes.all.map(\.path)))
        for route in Routes.all {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any], "\(route.path)")
            let parameters = (operation["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(Set(parameters) == Set(route.parameters), "\(route.path)")
            #expect(parameters.count == route.parameters.count, "\(route.path): each once")
            // The server refuses a parameter the document does not name.
            if route.method == .get {
                let refused = try await f.get(route.path + "?undocumented=1")
                #expect(refused.status == 400 && refused.text.contains("\"parameter\":\"undocumented\""), "\(route.path)")
            }
        }
    }

    @Test func proofsAndTheCheckpointAreThoseOfTheCommands() async throws {
        let f = try await ServerFixture(vms: 3, months: 1)
        defer { f.stop() }
        #expect(try await f.get("/v1/checkpoint").status == 404)
        let key = f.dir + "/audit"
        #expect(try await ServerFixture.patchlog(["keygen", "--out", key]).status == 0)
        let cp = f.log + "/cp-20.txt"
        #expect(try await ServerFixture.patchlog(["checkpoint", "--log", f.log, "--key", key + ".key", "--size", "20", "--out", cp]).status == 0)
        let newest = f.log + "/cp-30.txt"
        #expect(try await ServerFixture.patchlog(["checkpoint", "--log", f.log, "--key", key + ".key", "--size", "30", "--out", newest]).status == 0)
        let served = try await f.get("/v1/checkpoint")
        let newestBytes = try Data(contentsOf: URL(fileURLWithPath: newest))
        #expect(served.status == 200 && served.body == newestBytes)
        let proof = try await f.get("/v1/proof?seq=7&size=20")
        let cli = try await ServerFixture.patchlog(["prove", "--log", f.log, "--seq", "7", "--checkpoint", cp])
        #expect(proof.status == 200 && proof.body == cli.stdout)
        let file = f.dir + "/p.txt"
        try proof.body.write(to: URL(fileURLWithPath: file))
        #expect(try await ServerFixture.patchlog(["verify-proof", file, "--checkpoint", cp, "--key", key + ".pub"]).status == 0)
        for (target, parameter) in [("/v1/proof", "seq"), ("/v1/proof?seq=0", "seq"), ("/v1/proof?seq=25&size=20", "seq"), ("/v1/proof?seq=1&size=999999", "size")] {
            let bad = try await f.get(target)
            #expect(bad.status == 400 && bad.text.contains("\"parameter\":\"\(parameter)\""), "\(target): \(bad.text)")
        }
    }
}
