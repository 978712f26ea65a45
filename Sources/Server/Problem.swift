import Events
import Hummingbird
import TextFormats

/// An error answered as RFC 9457 problem details (`application/problem+json`):
/// `type`, `title`, `status`, `detail`, and `parameter` naming the query parameter
/// or header at fault, when one is.
struct Problem: Error {
    let status: HTTPResponse.Status
    let detail: String
    let parameter: String?
    /// Headers the answer carries besides its type (`Allow`, `WWW-Authenticate`, `Retry-After`).
    let headers: HTTPFields

    init(_ status: HTTPResponse.Status, _ detail: String, parameter: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.parameter = parameter
        self.headers = headers
    }

    /// A parameter that is missing or malformed.
    static func bad(_ parameter: String, _ detail: String) -> Problem {
        Problem(.badRequest, detail, parameter: parameter)
    }

    /// The response.
    var response: Response {
        var j = JSONText()
        j.beginObject()
        j.member("type", "about:blank")
        j.member("title", status.reasonPhrase)
        j.key("status")
        j.number(status.code)
        j.member("detail", detail)
        if let parameter { j.member("parameter", parameter) }
        j.endObject()
        j.newline()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        headers.append(contentsOf: self.headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: j.bytes)))
    }
}

/// The query parameters of a request, checked: only those the endpoint takes, each
/// once, each at most ``maxValueBytes`` long.
struct Query {
    static let maxValueBytes = 2_048
    static let maxParameters = 16
    private var values: [String: String] = [:]

    init(_ request: Request, allowed: [String]) throws(Problem) {
        var seen = 0
        for (key, value) in request.uri.queryParameters {
            seen += 1
            let name = String(key)
            guard seen <= Self.maxParameters else { throw Problem(.badRequest, "too many query parameters (at most \(Self.maxParameters))") }
            guard allowed.contains(name) else {
                throw Problem.bad(name, "unknown parameter \"\(name)\"" + (allowed.isEmpty ? "; this endpoint takes none" : "; expected \(allowed.joined(separator: ", "))"))
            }
            guard values[name] == nil else { throw Problem.bad(name, "parameter \(name) is given twice") }
            guard value.utf8.count <= Self.maxValueBytes else { throw Problem.bad(name, "parameter \(name) is longer than \(Self.maxValueBytes) bytes") }
            values[name] = String(value) // already percent-decoded; a "+" stays a "+" (a time's offset)
        }
    }

    /// A parameter's text, if given.
    subscript(_ name: String) -> String? { values[name] }

    /// A parameter that must be given and not empty.
    func required(_ name: String) throws(Problem) -> String {
        guard let v = values[name], !v.allSatisfy(\.isWhitespace) else { throw Problem.bad(name, "parameter \(name) is required") }
        return v
    }

    /// A time: RFC 3339 with any offset, or a date.
    func time(_ name: String) throws(Problem) -> Timestamp? {
        guard let text = values[name] else { return nil }
        do { return try Timestamp(parsing: text) } catch { throw Problem.bad(name, "\(name): \(error)") }
    }

    /// A KB: `KB` + digits or the digits alone.
    func kb(_ name: String) throws(Problem) -> KB? {
        guard let text = values[name] else { return nil }
        guard let kb = KB(text) else { throw Problem.bad(name, "\(name): \"\(text)\" is not a KB: expected KB followed by digits (KB5034129) or the digits alone") }
        return kb
    }

    /// A sequence number (`from1`: 0 is refused).
    func sequence(_ name: String, from1: Bool = false) throws(Problem) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let n = UInt64(text), !from1 || n > 0 else {
            throw Problem.bad(name, "\(name): \"\(text)\" is not a sequence number" + (from1 ? " (they count from 1)" : ""))
        }
        return n
    }

    /// `true` or `false`.
    func flag(_ name: String) throws(Problem) -> Bool {
        guard let text = values[name] else { return false }
        switch text {
        case "true", "1", "": return true
        case "false", "0": return false
        default: throw Problem.bad(name, "\(name): expected true or false, got \"\(text)\"")
        }
    }
}
