import Hummingbird

/// One endpoint: method, path, the query parameters it takes (any other is refused),
/// and what answers it. The OpenAPI document is checked against this list by a test.
struct Route: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let parameters: [String]
    let handler: @Sendable (PatchlogServer, Request, Query) async throws -> Response
}

/// Every endpoint of `patchlog serve`.
enum Routes {
    static let exportFilters = ["vm", "kb", "type", "since", "until"]

    static let all: [Route] = [
        Route(method: .get, path: "/v1/health", parameters: []) { s, _, _ in
            PatchlogServer.text("{\"status\":\"ok\",\"events\":\(s.view.snapshot.count),\"streams\":\(s.tracker.count)}\n")
        },
        Route(method: .get, path: "/v1/state", parameters: ["vm", "at", "asRecorded"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.state(q, s.view))
        },
        Route(method: .get, path: "/v1/when", parameters: ["kb", "at", "asRecorded"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.when(q, s.view))
        },
        Route(method: .get, path: "/v1/history", parameters: ["vm", "since", "until"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.history(q, s.view))
        },
        Route(method: .get, path: "/v1/diff", parameters: ["vm", "from", "to", "asRecorded"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.diff(q, s.view))
        },
        Route(method: .get, path: "/v1/fleet", parameters: ["at", "asRecorded"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.fleet(q, s.view))
        },
        Route(method: .get, path: "/v1/findings", parameters: ["at", "since", "until", "asRecorded"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.findings(q, s.view))
        },
        Route(method: .get, path: "/v1/exposure", parameters: ["at", "by", "asRecorded"]) { s, _, q in
            PatchlogServer.text(try QueryRoutes.exposure(q, s.view))
        },
        Route(method: .get, path: "/v1/events", parameters: ["after", "follow"] + exportFilters) { s, r, q in
            try StreamRoutes.events(r, q, s.view, tracker: s.tracker)
        },
        Route(method: .post, path: "/v1/events", parameters: ["from"]) { s, r, q in
            try await AppendRoutes.append(s, r, q)
        },
        Route(method: .get, path: "/v1/export", parameters: ["format"] + exportFilters) { s, _, q in
            try StreamRoutes.export(q, s.view, tracker: s.tracker)
        },
        Route(method: .get, path: "/", parameters: ["at", "asRecorded", "since", "until", "timelines"]) { s, _, q in
            try ReportRoutes.fleet(q, s.view)
        },
        Route(method: .get, path: "/vm", parameters: ["vm", "at", "asRecorded", "since", "until"]) { s, _, q in
            try ReportRoutes.vm(q, s.view)
        },
        Route(method: .get, path: "/v1/openapi.json", parameters: []) { _, _, _ in
            PatchlogServer.text(OpenAPI.document)
        },
        Route(method: .get, path: "/v1/checkpoint", parameters: []) { s, _, _ in
            try EvidenceRoutes.checkpoint(s.view)
        },
        Route(method: .get, path: "/v1/proof", parameters: ["seq", "size"]) { s, _, q in
            try EvidenceRoutes.proof(q, s.view)
        },
    ]
}
