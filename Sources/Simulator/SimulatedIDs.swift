import Events
import Randomness

/// How `patchlog simulate` names its events.
public enum SimulatedEventIDs: String, Sendable, CaseIterable {
    /// `evt-` and a fleet-wide counter in generation order, 10 hex digits: unique,
    /// stable for a seed, and telling nothing of the VM, the activity or the time.
    case opaque
    /// As `import --from azure` names them: `azure:assessment:<machine key>:t<start>`
    /// and `azure:install:<activity id>:<machine key>`, the key being FNV-1a 64 of the
    /// lower-case resource id; other events keep an opaque id.
    case activity
}

/// The simulator's ids and the text of its random GUIDs, formatted straight into
/// the string's bytes (a 100,000-VM year makes 13 million of them).
enum SimulatedIDs {
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `evt-` and `n` as 10 lower-case hex digits (14 bytes: a small string, not
    /// allocated).
    static func opaque(_ n: UInt64) -> String {
        String(unsafeUninitializedCapacity: 14) { b in
            for (i, c) in "evt-".utf8.enumerated() { b[i] = c }
            for i in 0..<10 { b[4 + i] = hex[Int((n >> (4 * UInt64(9 - i))) & 0xF)] }
            return 14
        }
    }

    /// A random (version 4) GUID, lower case, 8-4-4-4-12, as Azure writes activity ids.
    static func guid(_ g: inout SplitMix64) -> String {
        let a = g.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000 // version 4
        let b = g.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000 // variant 10xx
        return String(unsafeUninitializedCapacity: 36) { out in
            var j = 0
            for i in 0..<32 {
                if i == 8 || i == 12 || i == 16 || i == 20 { out[j] = UInt8(ascii: "-"); j += 1 }
                let word = i < 16 ? a : b
                out[j] = hex[Int((word >> (4 * UInt64(15 - i % 16))) & 0xF)]
                j += 1
            }
            return 36
        }
    }

    /// FNV-1a 64 of the UTF-8 bytes, as 16 lower-case hex digits: the machine key of
    /// the Azure importer's ids (`Digest.fnv1a64Hex` of the lower-case resource id).
    static func fnv1a64Hex(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return String(unsafeUninitializedCapacity: 16) { out in
            for i in 0..<16 { out[i] = hex[Int((h >> (4 * UInt64(15 - i))) & 0xF)] }
            return 16
        }
    }

    /// The Azure importer's id of an assessment: the machine and the run's start
    /// (`azure:assessment:<key>:t<nanoseconds in hex>`), which every shape of a run carries.
    static func azureAssessment(machineKey: String, start: Timestamp) -> String {
        "azure:assessment:" + machineKey + ":t" + String(UInt64(bitPattern: start.nanoseconds), radix: 16)
    }

    /// The Azure importer's id of an install (`kind`) of a machine.
    static func azure(_ kind: String, activity: String, machineKey: String) -> String {
        "azure:" + kind + ":" + activity + ":" + machineKey
    }
}

/// The delay of a late delivery: log-uniform between one hour and four weeks, in
/// whole seconds, computed with plain arithmetic (no libm) so that every platform
/// gives the same bytes for a seed.
enum DeliveryDelay {
    static let minimumSeconds: Int64 = 3_600
    static let maximumSeconds: Int64 = 28 * 86_400
    static let ln2 = 0.6931471805599453
    /// ln(4 weeks / 1 hour) = ln 672.
    static let lnRatio = 6.51025834052315

    /// Seconds, from 64 random bits.
    static func seconds(_ bits: UInt64) -> Int64 {
        let u = Double(bits >> 11) * 0x1p-53 // [0, 1)
        let y = u * lnRatio
        let k = Int(y / ln2)
        let r = y - Double(k) * ln2 // [0, ln 2)
        var term = 1.0, sum = 1.0
        for n in 1...20 {
            term *= r / Double(n)
            sum += term
        }
        let s = Int64((Double(minimumSeconds) * sum * Double(1 << k)).rounded())
        return min(max(s, minimumSeconds), maximumSeconds)
    }
}
