/// Where the shared log is: a libpq-style URL with one host or several.
///
/// ```
/// postgres://patchlog@db-a:5432,db-b:5432/audit
/// ```
///
/// With several hosts, a writer connects to the first that answers and is not a
/// standby (`pg_is_in_recovery()` is false), as libpq's
/// `target_session_attrs=read-write` does; a reader takes the first that answers.
/// After a failover the same location finds the promoted standby. The password may
/// be in the URL or in `PGPASSWORD`; the user defaults to `PGUSER`, else `postgres`;
/// the database to the user's name.
public struct SharedLogLocation: Sendable, Equatable, CustomStringConvertible {
    /// One server: host name or address, and port.
    public struct Host: Sendable, Equatable {
        /// Host name or address (IPv6 without its brackets).
        public var name: String
        /// TCP port (5432 unless the URL says otherwise).
        public var port: Int
    }

    /// The servers, in the order they are tried.
    public var hosts: [Host]
    /// The role to log in as.
    public var user: String
    /// Its password, if the server asks for one.
    public var password: String?
    /// The database.
    public var database: String

    /// Parses `postgres://` or `postgresql://` URLs; `environment` supplies
    /// `PGUSER` and `PGPASSWORD` defaults.
    public init(_ text: String, environment: [String: String] = [:]) throws(SharedLogError) {
        var rest = Substring(text)
        guard let scheme = ["postgres://", "postgresql://"].first(where: { rest.hasPrefix($0) }) else {
            throw .badLocation(text, reason: "expected postgres://[user[:password]@]host[:port][,host[:port]…]/database")
        }
        rest = rest.dropFirst(scheme.count)
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        var user = environment["PGUSER"] ?? "postgres"
        var password = environment["PGPASSWORD"]
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
        }
        let hostPart: Substring
        var database = user
        if let slash = rest.firstIndex(of: "/") {
            hostPart = rest[..<slash]
            let name = rest[rest.index(after: slash)...]
            if !name.isEmpty { database = String(name) }
        } else {
            hostPart = rest
        }
        var hosts: [Host] = []
        for item in hostPart.split(separator: ",", omittingEmptySubsequences: false) {
            var name = Substring(item), port = 5432
            if let colon = item.lastIndex(of: ":"), !item.hasSuffix("]") {
                guard let p = Int(item[item.index(after: colon)...]), (1...65535).contains(p) else {
                    throw .badLocation(text, reason: "\"\(item)\": the port must be a number from 1 to 65535")
                }
                port = p
                name = item[..<colon]
            }
            if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
            guard !name.isEmpty else { throw .badLocation(text, reason: "a host is missing") }
            hosts.append(Host(name: String(name), port: port))
        }
        guard !hosts.isEmpty, !user.isEmpty else { throw .badLocation(text, reason: "a host is missing") }
        self.hosts = hosts
        self.user = user
        self.password = password
        self.database = database
    }

    /// The URL without the password.
    public var description: String {
        "postgres://\(user)@" + hosts.map { "\($0.name):\($0.port)" }.joined(separator: ",") + "/\(database)"
    }
}
