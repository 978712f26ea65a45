/// A text that others are compared with as VM ids and names compare: equal when
/// their `lowercased()` forms are. Made once for a search of many keys: ASCII keys
/// are compared byte by byte, folding A-Z; only a key with other bytes is made into a
/// string and lower-cased (such a key may still lower-case to ASCII: the Kelvin sign
/// becomes `k`).
public struct CaseInsensitiveText: Sendable {
    /// The text, lower-cased.
    public let lowercased: String
    private let bytes: [UInt8]
    private let isASCII: Bool

    /// The text to compare with.
    public init(_ text: String) {
        lowercased = text.lowercased()
        bytes = Array(lowercased.utf8)
        isASCII = bytes.allSatisfy { $0 < 0x80 }
    }

    /// Whether `candidate` (UTF-8 bytes), lower-cased, is the text lower-cased.
    public func matches(_ candidate: ArraySlice<UInt8>) -> Bool {
        // A text equal to an ASCII one of n characters, lower-cased, has at most n
        // scalars (lower-casing and canonical decomposition never remove one), of at
        // most 4 bytes each: most keys of a search differ in length by more.
        if isASCII && candidate.count > 4 * bytes.count { return false }
        if isASCII && candidate.count == bytes.count {
            var i = bytes.startIndex
            var allASCII = true
            for b in candidate {
                if b >= 0x80 { allASCII = false; break }
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != bytes[i] { return false }
                i += 1
            }
            if allASCII { return true }
        } else if isASCII && !candidate.contains(where: { $0 >= 0x80 }) {
            // Two ASCII texts of different lengths differ. (A text with other bytes
            // may still equal an ASCII one: U+037E is canonically `;`.)
            return false
        }
        return String(decoding: candidate, as: UTF8.self).lowercased() == lowercased
    }
}
