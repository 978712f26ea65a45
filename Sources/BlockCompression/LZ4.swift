import CLZ4

/// An error from liblz4: input it could not compress, or compressed input that does
/// not decode (corrupt, truncated, or larger than the caller said it would be).
public struct LZ4Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The input is larger than one LZ4 block can hold (about 2 GB).
        case inputTooLarge
        /// liblz4 reported that compression failed.
        case compressionFailed
        /// The compressed bytes are malformed or do not decode to the expected size.
        case corruptInput
    }

    /// What went wrong.
    public let code: Code

    /// An error with this code.
    public init(code: Code) { self.code = code }
    /// A readable account of it.
    public var description: String {
        switch code {
        case .inputTooLarge: return "LZ4: input too large for one block"
        case .compressionFailed: return "LZ4: compression failed"
        case .corruptInput: return "LZ4: compressed data is corrupt"
        }
    }
}

/// Compresses independent LZ4 blocks, each optionally primed with a dictionary.
///
/// Every block it makes decodes on its own given only the same dictionary
/// (``LZ4/decompress(_:into:dictionary:)``), which is what lets a reader decode one
/// block of a segment without the blocks before it.
///
/// Level 0 uses the fast compressor (`LZ4_compress_fast_continue`); levels 1...12
/// use the high-compression one (`LZ4_compress_HC_continue`), slower to write but
/// just as fast to read.
public final class LZ4Compressor {
    private let level: Int32
    /// The stream state (a quarter of a megabyte for HC), made by the first
    /// ``compress(_:dictionary:appendingTo:)``: a log opened only to read (each
    /// `FileLog` holds a compressor) never allocates it.
    private var fast: OpaquePointer?
    private var hc: OpaquePointer?

    /// A compressor at `level` (0 = fast, 1...12 = LZ4HC levels).
    public init(level: Int = 0) {
        self.level = Int32(max(0, min(level, 12)))
    }

    /// Makes the stream state of this compressor's level if it is not made yet.
    private func makeStream() {
        if level == 0 {
            if fast == nil { fast = OpaquePointer(LZ4_createStream()) }
        } else if hc == nil {
            hc = OpaquePointer(LZ4_createStreamHC())
        }
    }

    deinit {
        if let fast { LZ4_freeStream(UnsafeMutablePointer(fast)) }
        if let hc { LZ4_freeStreamHC(UnsafeMutablePointer(hc)) }
    }

    /// The most bytes compressing `count` bytes can produce (`LZ4_compressBound`).
    public static func bound(_ count: Int) -> Int { Int(LZ4_compressBound(Int32(clamping: count))) }

    /// Compresses `source` as one block primed with `dictionary`, appending the
    /// compressed bytes to `output`; returns how many bytes it appended.
    ///
    /// The dictionary may be empty. Blocks are independent: nothing from one call
    /// carries into the next. (`LZ4_loadDict` + `LZ4_compress_fast_continue`, or
    /// their HC equivalents.)
    @discardableResult
    public func compress(_ source: [UInt8], dictionary: [UInt8], appendingTo output: inout [UInt8]) throws(LZ4Error) -> Int {
        guard source.count < Int(LZ4_MAX_INPUT_SIZE) else { throw LZ4Error(code: .inputTooLarge) }
        makeStream()
        let fast = self.fast
        let hc = self.hc
        let start = output.count
        let capacity = Self.bound(source.count)
        output.append(contentsOf: repeatElement(0, count: capacity))
        let written: Int32 = source.withUnsafeBufferPointer { src in
            dictionary.withUnsafeBufferPointer { dict in
                output.withUnsafeMutableBufferPointer { out in
                    let dst = UnsafeMutableRawPointer(out.baseAddress! + start).assumingMemoryBound(to: CChar.self)
                    let srcPtr = UnsafeRawPointer(src.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
                    let dictPtr = dict.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                    if let fast {
                        let stream = UnsafeMutablePointer<LZ4_stream_t>(fast)
                        LZ4_resetStream_fast(stream)
                        LZ4_loadDict(stream, dictPtr, Int32(dict.count))
                        return LZ4_compress_fast_continue(stream, srcPtr, dst, Int32(src.count), Int32(capacity), 1)
                    } else {
                        let stream = UnsafeMutablePointer<LZ4_streamHC_t>(hc!)
                        LZ4_resetStreamHC_fast(stream, level)
                        LZ4_loadDictHC(stream, dictPtr, Int32(dict.count))
                        return LZ4_compress_HC_continue(stream, srcPtr, dst, Int32(src.count), Int32(capacity))
                    }
                }
            }
        }
        guard written > 0 || source.isEmpty else {
            output.removeSubrange(start...)
            throw LZ4Error(code: .compressionFailed)
        }
        output.removeSubrange((start + Int(max(written, 0)))...)
        return Int(max(written, 0))
    }
}

/// Decoding of blocks made by ``LZ4Compressor``.
public enum LZ4 {
    /// Whether a block of `compressed` bytes can decode to `size` bytes at all: an
    /// LZ4 block never decodes to more than 255 bytes per byte (a match grows by at
    /// most 255 per length byte; a sequence of k such bytes takes k + 3 bytes and
    /// gives at most 255k + 19). Lets a reader refuse an impossible size read from a
    /// damaged header before making a buffer of that size.
    public static func canDecode(_ compressed: Int, to size: Int) -> Bool {
        size <= 255 * compressed
    }

    /// Decodes the block `source[range]` into `destination`, which must be exactly
    /// the block's uncompressed size; fails with ``LZ4Error/Code/corruptInput`` if the
    /// bytes are malformed or decode to any other size. Uses the safe decoder only
    /// (`LZ4_decompress_safe_usingDict`): it never reads or writes out of bounds,
    /// whatever the input.
    public static func decompress(
        _ source: [UInt8], range: Range<Int>, into destination: inout [UInt8], dictionary: [UInt8]
    ) throws(LZ4Error) {
        precondition(range.lowerBound >= 0 && range.upperBound <= source.count)
        guard !range.isEmpty else { throw LZ4Error(code: .corruptInput) }
        if destination.isEmpty {
            // An empty block compresses to a single token byte.
            guard range.count == 1, source[range.lowerBound] == 0 else { throw LZ4Error(code: .corruptInput) }
            return
        }
        let expected = destination.count
        let produced: Int32 = source.withUnsafeBufferPointer { src in
            dictionary.withUnsafeBufferPointer { dict in
                destination.withUnsafeMutableBufferPointer { dst in
                    let srcPtr = UnsafeRawPointer(src.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
                    let dstPtr = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
                    let dictPtr = dict.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                    return LZ4_decompress_safe_usingDict(
                        srcPtr, dstPtr, Int32(range.count), Int32(expected), dictPtr, Int32(dict.count))
                }
            }
        }
        guard produced == Int32(expected) else { throw LZ4Error(code: .corruptInput) }
    }
}
