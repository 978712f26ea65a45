/// Builds HTML text: every string that comes from the log (VM ids, KBs, details,
/// time zone names) goes through ``escape(_:)`` before it is written, in text and in
/// attributes alike.
struct HTML {
    /// The text so far.
    private(set) var text = ""

    /// `s` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe in
    /// element text and in quoted attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and line ends have no place in HTML.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Appends markup written by this module (never text from the log).
    mutating func raw(_ markup: String) { text += markup }

    /// Appends escaped text.
    mutating func text(_ s: String) { text += Self.escape(s) }

    /// `<tag attrs>escaped text</tag>`; attribute values are escaped.
    mutating func element(_ tag: String, _ attributes: [(String, String)] = [], _ content: String) {
        open(tag, attributes)
        text(content)
        close(tag)
    }

    /// `<tag attrs>`; attribute values are escaped.
    mutating func open(_ tag: String, _ attributes: [(String, String)] = []) {
        text += "<" + tag
        for (name, value) in attributes { text += " " + name + "=\"" + Self.escape(value) + "\"" }
        text += ">"
    }

    /// `</tag>`.
    mutating func close(_ tag: String) { text += "</" + tag + ">" }
}

/// A number for an SVG attribute: at most one decimal, no exponent.
func svgNumber(_ x: Double) -> String {
    let t = Int64((x * 10).rounded())
    return t % 10 == 0 ? String(t / 10) : (t < 0 && t > -10 ? "-" : "") + String(t / 10) + "." + String(abs(t % 10))
}
