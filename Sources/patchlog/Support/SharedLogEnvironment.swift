import SystemIO

/// The environment variables a `postgres://` location takes its defaults from.
enum SharedLogEnvironment {
    /// `PGUSER` and `PGPASSWORD`, when set.
    static var current: [String: String] {
        var out: [String: String] = [:]
        for name in ["PGUSER", "PGPASSWORD"] {
            if let value = FileSystem.environment(name), !value.isEmpty { out[name] = value }
        }
        return out
    }
}
