import BlockCompression
import ByteCoding
import Foundation
import SystemIO
import Testing
@testable import LogStore

/// The hash chain catches what checksums alone cannot: a block rewritten with fresh
/// CRCs.
@Suite struct HashChainTests {
    /// A log of two one-record blocks; returns the directory and the two blocks' entries.
    func twoBlockLog(_ dir: TemporaryDirectory) throws -> [BlockEntry] {
        let log = try FileLog.create(at: dir.at("log"))
        _ = try log.append([NewRecord(time: 1, stream: "s", id: "a", payload: [1, 2, 3])])
        _ = try log.append([NewRecord(time: 2, stream: "s", id: "b", payload: [4, 5, 6])])
        let blocks = log.segments[0].blocks
        log.close()
        try FileManager.default.removeItem(atPath: dir.at("log/" + LogFormat.indexName(base: 1)))
        return blocks
    }

    /// The first block again, holding payload 9,9,9 instead, with valid CRCs and the
    /// link `link` (nil: the correct link for the new content).
    func forgedFirstBlock(link: [UInt8]?, logID: [UInt8]) throws -> [UInt8] {
        var b = BlockBuilder(firstSequence: 1)
        b.defineStream(Array("s".utf8), ordinal: 0)
        b.add(time: 1, stream: 0, id: Array("a".utf8), payload: [9, 9, 9])
        let encoded = try b.encode(compressor: LZ4Compressor(), dictionary: [], previousLink: HashChain.genesis(logID: logID))
        guard let link, case var .success(header) = BlockHeader.parse(encoded.block, at: 0) else { return encoded.block }
        header.link = link
        var w = ByteWriter()
        header.encode(into: &w)
        w.raw(encoded.block[LogFormat.blockHeaderSize..<(encoded.block.count - 4)])
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    func replaceFirstBlock(_ dir: TemporaryDirectory, _ blocks: [BlockEntry], with forged: [UInt8]) throws {
        let path = dir.at("log/" + LogFormat.segmentName(base: 1))
        let bytes = try FileSystem.read(path)
        let rewritten = Array(bytes[..<blocks[0].offset]) + forged + Array(bytes[blocks[1].offset...])
        try Data(rewritten).write(to: URL(fileURLWithPath: path))
    }

    @Test func anIntactLogVerifiesItsChainToTheLastBlock() throws {
        let dir = TemporaryDirectory()
        _ = try twoBlockLog(dir)
        let report = try FileLog.verify(directory: dir.at("log"))
        let genesis = HashChain.genesis(logID: try LogIdentity.read(directory: dir.at("log")).logID)
        #expect(report.isIntact && report.chainHead.count == 64 && report.chainHead != Hex.encode(genesis))
    }

    @Test func aBlockRewrittenWithItsOldLinkIsCaughtAtThatBlock() throws {
        let dir = TemporaryDirectory()
        let blocks = try twoBlockLog(dir)
        let bytes = try FileSystem.read(dir.at("log/" + LogFormat.segmentName(base: 1)))
        guard case let .success(original) = BlockHeader.parse(bytes, at: blocks[0].offset) else { Issue.record("header"); return }
        try replaceFirstBlock(dir, blocks, with: try forgedFirstBlock(link: original.link, logID: try LogIdentity.read(directory: dir.at("log")).logID))
        let problem = try FileLog.verify(directory: dir.at("log")).problem
        #expect(problem?.offset == blocks[0].offset)
        #expect(problem?.reason.hasPrefix("hash chain broken: the records of sequences 1-1") == true)
    }

    @Test func aBlockRewrittenWithAFreshLinkBreaksTheNextBlock() throws {
        let dir = TemporaryDirectory()
        let blocks = try twoBlockLog(dir)
        let forged = try forgedFirstBlock(link: nil, logID: try LogIdentity.read(directory: dir.at("log")).logID)
        try replaceFirstBlock(dir, blocks, with: forged)
        let problem = try FileLog.verify(directory: dir.at("log")).problem
        #expect(problem?.offset == blocks[0].offset + forged.count)
        #expect(problem?.reason.hasPrefix("hash chain broken: the records of sequences 2-2") == true)
    }

    @Test func theChainContinuesAcrossReopensAndSegments() throws {
        let dir = TemporaryDirectory()
        var options = LogOptions()
        options.segmentBytes = 4096
        for round in 0..<3 {
            let log = round == 0 ? try FileLog.create(at: dir.at("log"), options: options) : try FileLog.open(at: dir.at("log"), options: options)
            _ = try log.append(SampleRecords.make(count: 200, seed: UInt64(round), idPrefix: "r\(round)"))
            log.close()
        }
        let report = try FileLog.verify(directory: dir.at("log"))
        #expect(report.isIntact && report.segments > 3 && report.records == 600)
    }
}
