/// The constants of the on-disk format, in one place. `docs/log-format.md` describes
/// every structure they belong to, field by field.
enum LogFormat {
    /// The format version this build writes; it reads this one and every older one down
    /// to ``oldestReadable``.
    static let version: UInt16 = 2
    /// The oldest format this build reads. Format 1 (development builds before the
    /// hash chain) had no chain links in block headers.
    static let oldestReadable: UInt16 = 2

    // Identity file `LOG`.
    static let identityName = "LOG"
    static let identityMagic: [UInt8] = Array("PATCHLOG".utf8)
    static let identitySize = 40

    // Writer lock `LOCK`.
    static let lockName = "LOCK"

    // Segments `<20-digit base sequence>.seg`.
    static let segmentSuffix = ".seg"
    static let segmentMagic: [UInt8] = Array("PLOGSEG\u{0}".utf8)
    /// Fixed part of a segment header, before the dictionary bytes.
    static let segmentHeaderFixed = 36

    // Blocks.
    static let blockKind: UInt8 = 0xB1
    static let blockFlagCompressed: UInt8 = 0x01
    /// The id column is numeric-coded (``IDCoding``); clear in blocks written before
    /// it existed, whose ids are front-coded.
    static let blockFlagNumericIDs: UInt8 = 0x02
    /// Part of some payloads (their random bytes) is kept in a column of its own.
    static let blockFlagSeparated: UInt8 = 0x04
    /// Every flag this build understands; a block with any other is refused.
    static let blockFlagsKnown: UInt8 = blockFlagCompressed | blockFlagNumericIDs | blockFlagSeparated
    static let blockHeaderSize = 56
    /// The header bytes its own CRC covers (all but the CRC).
    static let blockHeaderChecked = 52
    static let blockTrailerSize = 4
    static let maxRecordsPerBlock = 65_535
    /// Guards against absurd lengths in a corrupt header.
    static let maxBlockBodyBytes = 64 << 20

    // Indexes `<20-digit base sequence>.idx`.
    static let indexSuffix = ".idx"
    static let indexMagic: [UInt8] = Array("PLOGIDX\u{0}".utf8)
    static let indexHeaderSize = 36

    // Fingerprints `<20-digit base sequence>.ids`.
    static let idsSuffix = ".ids"
    static let idsMagic: [UInt8] = Array("PLOGIDS\u{0}".utf8)

    /// Most keys one record may carry.
    static let maxKeysPerRecord = 255

    /// Longest stream key and event id, in UTF-8 bytes.
    static let maxKeyBytes = 1024

    /// A segment's file name: its first sequence number, zero-padded to 20 digits so
    /// that `ls` lists segments in order.
    static func segmentName(base: UInt64) -> String { padded(base) + segmentSuffix }
    static func indexName(base: UInt64) -> String { padded(base) + indexSuffix }
    static func idsName(base: UInt64) -> String { padded(base) + idsSuffix }

    private static func padded(_ n: UInt64) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The base sequence in a segment file name, or nil if it is not one.
    static func segmentBase(fileName: String) -> UInt64? {
        guard fileName.hasSuffix(segmentSuffix) else { return nil }
        let stem = fileName.dropLast(segmentSuffix.count)
        guard stem.count == 20, stem.allSatisfy(\.isASCII), stem.allSatisfy(\.isNumber) else { return nil }
        return UInt64(stem)
    }
}
