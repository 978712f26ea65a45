import SystemIO

/// What a salvage read recovered and what it had to skip.
public struct SalvageReport: Sendable, Equatable {
    /// A stretch of bytes that could not be read as blocks.
    public struct Skipped: Sendable, Equatable, CustomStringConvertible {
        /// Segment file name.
        public var file: String
        /// Where the unreadable bytes begin.
        public var offset: Int
        /// How many bytes were skipped.
        public var bytes: Int
        /// Why the first of them could not be read.
        public var reason: String
        /// `file at offset N: skipped M bytes (reason)`.
        public var description: String { "\(file) at offset \(offset): skipped \(bytes) bytes (\(reason))" }
    }

    /// Records read back intact.
    public var recovered: UInt64 = 0
    /// Everything skipped, in file order.
    public var skipped: [Skipped] = []
    /// Intact records left out because they belong to an import that never committed
    /// (the log's transaction marker says where it began: its writer died in it, and
    /// the next writer would have taken them back).
    public var uncommitted: UInt64 = 0
    /// Why the transaction marker could not be read, when the log has one that is
    /// damaged: then no one can tell where an unfinished import began, and every
    /// intact record is recovered, committed or not.
    public var damagedMarker: String?
}

extension FileLog {
    /// Reads every block that is still intact, skipping damaged bytes instead of
    /// stopping at them, and reports each skipped stretch. Records keep the sequence
    /// numbers their blocks carry; a stream defined only in a lost block is named
    /// `<stream N>`. Records of an import that never committed (after the point its
    /// transaction marker names) are counted in ``SalvageReport/uncommitted`` and not
    /// passed on: they were never part of the log. Changes nothing; needs no lock.
    public static func salvage(directory: String, _ body: (StoredRecord) throws -> Void) throws -> SalvageReport {
        _ = try LogIdentity.read(directory: directory)
        var report = SalvageReport()
        var committed = UInt64.max
        do {
            if let marker = try TransactionMarker.read(directory: directory) { committed = marker.committed }
        } catch {
            report.damagedMarker = "\(error)"
        }
        var streamKeys: [UInt32: String] = [:]
        let decoder = BlockDecoder()
        let names: [String]
        do { names = try FileSystem.list(directory) } catch { throw LogError.io(error) }
        for name in names where LogFormat.segmentBase(fileName: name) != nil {
            let bytes: [UInt8]
            do { bytes = try FileSystem.read(directory + "/" + name) } catch { throw LogError.io(error) }
            var dictionary: [UInt8] = []
            var offset = 0
            switch SegmentHeader.parse(bytes) {
            case let .header(h):
                dictionary = h.dictionary
                offset = h.size
            case let .bad(reason):
                report.skipped.append(.init(file: name, offset: 0, bytes: 0, reason: reason + "; blocks compressed with its dictionary are lost"))
            case .incomplete, .newerVersion:
                report.skipped.append(.init(file: name, offset: 0, bytes: bytes.count, reason: "no readable segment header"))
                continue
            }
            var skipStart: Int?
            var skipReason = ""
            while offset < bytes.count {
                // Inside a skipped stretch only a block's first byte can start a block,
                // and the reason of the stretch is its first failure's: the other
                // offsets are passed over without a failure (and its message) each.
                if skipStart != nil && bytes[offset] != LogFormat.blockKind {
                    offset += 1
                    continue
                }
                let result = readBlock(bytes, at: offset, dictionary: dictionary, decoder: decoder)
                guard case let .success(length) = result else {
                    if skipStart == nil, case let .failure(failure) = result {
                        skipStart = offset
                        skipReason = failure.reason
                    }
                    offset += 1
                    continue
                }
                if let start = skipStart {
                    report.skipped.append(.init(file: name, offset: start, bytes: offset - start, reason: skipReason))
                    skipStart = nil
                }
                for (k, key) in decoder.newStreams.enumerated() { streamKeys[decoder.newStreamBase + UInt32(k)] = key }
                for i in 0..<decoder.count {
                    let v = decoder.view(i)
                    guard v.sequence <= committed else {
                        report.uncommitted += 1
                        continue
                    }
                    try body(StoredRecord(
                        sequence: v.sequence, time: v.time,
                        stream: streamKeys[v.stream.rawValue] ?? "<stream \(v.stream.rawValue)>",
                        id: v.id, payload: Array(v.payload)))
                    report.recovered += 1
                }
                offset += length
            }
            if let start = skipStart {
                report.skipped.append(.init(file: name, offset: start, bytes: bytes.count - start, reason: skipReason))
            }
        }
        return report
    }

    private static func readBlock(_ bytes: [UInt8], at offset: Int, dictionary: [UInt8], decoder: BlockDecoder) -> Result<Int, DecodeFailure> {
        let header: BlockHeader
        switch BlockHeader.parse(bytes, at: offset) {
        case let .success(h): header = h
        case let .failure(f): return .failure(f)
        }
        guard offset + header.totalLength <= bytes.count else { return .failure(DecodeFailure("block extends past the end of the file")) }
        do {
            try decoder.decode(bytes, at: offset, header: header, dictionary: dictionary)
        } catch {
            return .failure(error)
        }
        return .success(header.totalLength)
    }
}
