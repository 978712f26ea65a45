import Hummingbird

/// The bearer token `POST /v1/events` needs (RFC 6750): `Authorization: Bearer T`.
enum BearerToken {
    /// Checks the request's `Authorization` header against `expected`, in time that
    /// does not depend on where they differ.
    /// - Throws: ``Problem`` 401 (with `WWW-Authenticate: Bearer`) without a bearer
    ///   token, 403 with another one.
    static func check(_ header: String?, expected: String) throws(Problem) {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem(.unauthorized, "POST /v1/events needs the server's token: Authorization: Bearer TOKEN",
                          parameter: "Authorization", headers: [.wwwAuthenticate: "Bearer realm=\"patchlog\""])
        }
        let given = String(header.dropFirst(7)).trimmingSpaces
        guard equalInConstantTime(Array(given.utf8), Array(expected.utf8)) else {
            throw Problem(.forbidden, "the bearer token is not this server's", parameter: "Authorization")
        }
    }

    /// Whether `a` and `b` are equal, looking at every byte of `b` whatever `a` holds
    /// (no early return at the first difference), so that the time taken does not
    /// tell how much of a guess was right.
    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<b.count {
            difference |= b[i] ^ (a.isEmpty ? 0 : a[i % a.count])
        }
        return difference == 0
    }
}

extension String {
    /// Without spaces and tabs at either end.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
