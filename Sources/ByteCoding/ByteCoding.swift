/// Appends little-endian integers and LEB128 varints to a byte array: the one
/// encoder behind every on-disk structure (log format and event codec).
public struct ByteWriter {
    /// What has been written.
    public var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one byte.
    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    /// Appends 2 bytes, little-endian.
    public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    /// Appends 4 bytes, little-endian.
    public mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
    /// Appends 8 bytes, little-endian.
    public mutating func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((v >> UInt64(s)) & 0xFF)) } }
    /// Appends a signed integer as 8 bytes, little-endian.
    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

    /// Appends an unsigned LEB128 varint.
    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    /// Appends a non-negative `Int` as a varint.
    public mutating func varint(_ v: Int) { varint(UInt64(v)) }
    /// Appends a signed integer zigzag-mapped, as a varint.
    public mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    /// Appends bytes as they are.
    public mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    /// Appends bytes as they are.
    public mutating func raw(_ b: ArraySlice<UInt8>) { bytes.append(contentsOf: b) }
    /// A varint length followed by the bytes.
    public mutating func lengthPrefixed(_ b: [UInt8]) { varint(b.count); raw(b) }
}

/// Reads what ``ByteWriter`` wrote, bounds-checked: reading past the end throws
/// ``ByteReader/Truncated`` rather than trapping, so corrupt input is an error.
public struct ByteReader {
    /// The input ended (or a value was out of range) where more was expected.
    public struct Truncated: Error {
        /// The error.
        public init() {}
    }

    /// The bytes read from.
    public let bytes: ArraySlice<UInt8>
    /// The next byte to read.
    public var offset: Int
    /// Where reading must stop.
    public let end: Int

    /// A reader of `bytes[offset..<end]`.
    public init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes[...]
        self.offset = offset
        self.end = end ?? bytes.count
    }

    /// A reader of a slice, with its own indices.
    public init(_ slice: ArraySlice<UInt8>) {
        bytes = slice
        offset = slice.startIndex
        end = slice.endIndex
    }

    /// Bytes left before ``end``.
    @inlinable
    public var remaining: Int { end - offset }

    /// Reads one byte.
    @inlinable
    public mutating func u8() throws(Truncated) -> UInt8 {
        guard offset < end else { throw Truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }
    /// Reads 2 bytes, little-endian.
    public mutating func u16() throws(Truncated) -> UInt16 {
        guard offset + 2 <= end else { throw Truncated() }
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
    /// Reads 4 bytes, little-endian.
    public mutating func u32() throws(Truncated) -> UInt32 {
        guard offset + 4 <= end else { throw Truncated() }
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
    /// Reads 8 bytes, little-endian.
    public mutating func u64() throws(Truncated) -> UInt64 {
        guard offset + 8 <= end else { throw Truncated() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += 8
        return v
    }
    /// Reads a signed 8-byte integer.
    public mutating func i64() throws(Truncated) -> Int64 { Int64(bitPattern: try u64()) }

    /// Reads an unsigned LEB128 varint of at most 64 bits.
    @inlinable
    public mutating func varint() throws(Truncated) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Truncated() }
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) &<< shift  // under 64, as guarded: no over-shift test
            if b < 0x80 { return result }
            shift += 7
        }
    }
    /// A varint that must fit `Int` and be at most `limit`.
    @inlinable
    public mutating func count(atMost limit: Int) throws(Truncated) -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw Truncated() }
        return Int(v)
    }
    /// Reads a zigzag-mapped signed varint.
    @inlinable
    public mutating func zigzag() throws(Truncated) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }
    /// Reads `n` bytes without copying.
    @inlinable
    public mutating func raw(_ n: Int) throws(Truncated) -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= end else { throw Truncated() }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
    /// Reads a varint length (at most `limit`) and that many bytes.
    @inlinable
    public mutating func lengthPrefixed(atMost limit: Int) throws(Truncated) -> ArraySlice<UInt8> {
        try raw(try count(atMost: limit))
    }

    /// The little-endian `UInt16` at `o` in `bytes` (which must hold it).
    public static func u16(_ bytes: [UInt8], at o: Int) -> UInt16 {
        UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
    }

    /// The little-endian `UInt32` at `o` in `bytes` (which must hold it).
    public static func u32(_ bytes: [UInt8], at o: Int) -> UInt32 {
        UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
    }
}
