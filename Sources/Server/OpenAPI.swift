/// The OpenAPI 3.1 description of every endpoint, served at `/v1/openapi.json`.
/// Written by hand; `ServerOpenAPITests` checks it against ``Routes/all`` (every
/// path, method and query parameter, both ways) over HTTP.
enum OpenAPI {
    private static func parameter(_ name: String, _ description: String, required: Bool = false, schema: String = #"{"type":"string"}"#) -> String {
        #"{"name":"\#(name)","in":"query","required":\#(required),"description":"\#(description)","schema":\#(schema)}"#
    }

    private static let time = #"{"type":"string","description":"RFC 3339 with any offset, or a date (that day's start, UTC)"}"#
    private static let sequence = #"{"type":"integer","minimum":1}"#
    private static let problem = ##""400":{"description":"A parameter is missing or malformed: RFC 9457 problem details naming it","content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}"##

    private static func get(_ summary: String, _ parameters: [String], _ media: String, _ extra: String = "") -> String {
        #"{"get":{"summary":"\#(summary)","parameters":[\#(parameters.joined(separator: ","))],"responses":{"200":{"description":"As the command prints it","content":{"\#(media)":{}}},\#(problem)\#(extra)}}}"#
    }

    private static func post(_ summary: String, _ parameters: [String]) -> String {
        let errors = [#""401":{"description":"No bearer token (WWW-Authenticate: Bearer)"}"#, #""403":{"description":"Another token"}"#,
                      #""405":{"description":"The server is read-only (not started with --accept-appends)"}"#,
                      #""409":{"description":"Another writer holds the log's lock (Retry-After)"}"#,
                      #""413":{"description":"The body is larger than the server takes (--max-body-mb)"}"#,
                      #""422":{"description":"A bad line or payload, named; nothing was appended"}"#]
        return #"{"post":{"summary":"\#(summary)","parameters":[\#(parameters.joined(separator: ","))],"security":[{"bearer":[]}],"requestBody":{"required":true,"content":{"application/jsonl":{},"application/json":{}}},"responses":{"200":{"description":"{lines, appended, duplicates, sequences} for JSON Lines; {source, items, rejected, conflicts, notes, appended, duplicates, alreadyKnown, sequences} for Azure","content":{"application/json":{}}},\#(problem),\#(errors.joined(separator: ","))}}}"#
    }

    private static let filters = [
        parameter("vm", "Only this VM's events (any case)"), parameter("kb", "Only events that name this KB"),
        parameter("type", "Only events of this type"), parameter("since", "Only events at or after this time", schema: time),
        parameter("until", "Only events at or before this time", schema: time),
    ]
    private static let asRecorded = parameter("asRecorded", "Fold only the events appended up to this sequence number", schema: sequence)

    /// The document.
    static let document: String = {
        let paths: [(String, String)] = [
            ("/v1/health", get("Liveness, committed events and open streams", [], "application/json")),
            ("/v1/state", get("One VM's state at a moment (patchlog state --format json)",
                              [parameter("vm", "The VM: its name if unique in the log, else its resource id (any case)", required: true), parameter("at", "The moment; default now", schema: time), asRecorded], "application/json")),
            ("/v1/when", get("Where and when a KB was installed (patchlog when --format json)",
                             [parameter("kb", "KB5034129 or 5034129", required: true), parameter("at", "Only VMs with it installed then", schema: time), asRecorded], "application/json")),
            ("/v1/history", get("One VM's timeline (patchlog history --format json)",
                                [parameter("vm", "The VM: its name if unique in the log, else its resource id (any case)", required: true),
                                 parameter("since", "From this moment", schema: time), parameter("until", "Up to this moment", schema: time)], "application/json")),
            ("/v1/diff", get("What changed on a VM between two moments (patchlog diff --format json)",
                             [parameter("vm", "The VM: its name if unique in the log, else its resource id (any case)", required: true),
                              parameter("from", "The earlier moment", required: true, schema: time), parameter("to", "The later moment", required: true, schema: time), asRecorded],
                             "application/json")),
            ("/v1/fleet", get("One row per VM at a moment (patchlog fleet --format json)", [parameter("at", "The moment; default now", schema: time), asRecorded], "application/json")),
            ("/v1/findings", get("Where the fleet broke the Hotpatch rules (patchlog findings --format json)",
                                 [parameter("at", "The moment audited; default now", schema: time), parameter("since", "Only what held at or after", schema: time),
                                  parameter("until", "Only what began at or before", schema: time), asRecorded], "application/json")),
            ("/v1/exposure", get("Exposure windows (patchlog exposure --format json)",
                                 [parameter("at", "The moment audited; default now", schema: time),
                                  parameter("by", "Grouping", schema: #"{"type":"string","enum":["month","kind","vm"]}"#), asRecorded], "application/json")),
            ("/v1/events", get("The events after a sequence number as JSON Lines (export's lines), streamed; with follow=true the stream stays open and sends each event as it is committed (an empty line every 5 s when idle). With Accept: text/event-stream, Server-Sent Events (id: the sequence number; Last-Event-ID resumes)",
                               [parameter("after", "Start after this sequence number (default 0)", schema: #"{"type":"integer","minimum":0}"#),
                                parameter("follow", "Stay open", schema: #"{"type":"boolean"}"#)] + filters, "application/jsonl")),
            ("/v1/events", post("Append events as patchlog import does (only when serve was started with --accept-appends --token-file F; Authorization: Bearer TOKEN). The body: JSON Lines events (docs/events.md), all or nothing; or with from=azure one Azure payload (docs/azure-import.md), kept byte for byte. The answer gives the events' sequence numbers",
                                [parameter("from", "events (default: JSON Lines) or azure", schema: #"{"type":"string","enum":["events","azure"]}"#)])),
            ("/v1/export", get("The export, streamed in flat memory (patchlog export)",
                               [parameter("format", "jsonl (default) or csv", schema: #"{"type":"string","enum":["jsonl","csv"]}"#)] + filters, "application/jsonl")),
            ("/v1/checkpoint", get("The checkpoint file of the log directory covering the most records", [], "text/plain",
                                   #","404":{"description":"No checkpoint in the log directory"}"#)),
            ("/v1/proof", get("An inclusion proof, as patchlog prove prints it (check with patchlog verify-proof)",
                              [parameter("seq", "The record", required: true, schema: sequence), parameter("size", "The tree size (a checkpoint's); default all", schema: sequence)], "text/plain")),
            ("/v1/openapi.json", get("This document", [], "application/json")),
            ("/", get("The HTML audit report of the fleet, rendered live (patchlog report --fleet)",
                      [parameter("at", "The moment audited; default the time of the log's last event", schema: time), asRecorded,
                       parameter("since", "Start of the range shown", schema: time), parameter("until", "End of the range shown", schema: time),
                       parameter("timelines", "How many VM timelines to draw (those with the most findings; default 12)", schema: #"{"type":"integer","minimum":0,"maximum":200}"#)],
                      "text/html")),
            ("/vm", get("The HTML audit report of one VM, rendered live (patchlog report --vm V)",
                        [parameter("vm", "The VM: its name if unique in the log, else its resource id (any case)", required: true),
                         parameter("at", "The moment audited; default the time of the log's last event", schema: time), asRecorded,
                         parameter("since", "Start of the range shown", schema: time), parameter("until", "End of the range shown", schema: time)],
                        "text/html", #","404":{"description":"The log has no events of that VM"}"#)),
        ]
        // A path with several methods: their operations in one object.
        var merged: [(String, String)] = []
        for (path, operation) in paths {
            if let i = merged.firstIndex(where: { $0.0 == path }) {
                merged[i].1 = String(merged[i].1.dropLast()) + "," + String(operation.dropFirst())
            } else {
                merged.append((path, operation))
            }
        }
        let body = merged.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",")
        return #"{"openapi":"3.1.0","info":{"title":"patchlog serve","version":"1"},"paths":{\#(body)},"components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}},"schemas":{"Problem":{"type":"object","properties":{"type":{"type":"string"},"title":{"type":"string"},"status":{"type":"integer"},"detail":{"type":"string"},"parameter":{"type":"string"}},"required":["type","title","status","detail"]}}}}"# + "\n"
    }()
}
