import Foundation
import ByteCoding
import Randomness
import Testing
@testable import LogStore

@Suite struct BlockPostingsTests {
    /// Lists folded into their encoded form at any moment read back the same, and
    /// keep growing and truncating as before.
    @Test func compactedListsReadBackTheSameAndGoOnGrowing() throws {
        var g = SplitMix64(seed: 9)
        var postings = BlockPostings()
        var reference: [UInt32: [UInt32]] = [:]
        for block in UInt32(0)..<3000 {
            for _ in 0..<Int(g.next() % 6) {
                let value = UInt32(g.next() % 40)
                postings.add(value, block: block)
                if reference[value]?.last != block { reference[value, default: []].append(block) }
            }
            if g.next() % 97 == 0 { postings.compact() }
        }
        #expect(postings.values == reference.keys.sorted())
        for (value, blocks) in reference { #expect(try postings.blocks(of: value) == blocks) }
        postings.compact()
        for (value, blocks) in reference { #expect(try postings.blocks(of: value) == blocks) }
        postings.truncate(toBlocks: 1500)
        for (value, blocks) in reference {
            #expect(try postings.blocks(of: value) == blocks.filter { $0 < 1500 })
        }
        var w = ByteWriter()
        postings.encode(into: &w)
        var r = ByteReader(w.bytes)
        let reread = try? BlockPostings.decode(&r, in: w.bytes, blockCount: 3000, coding: .rice)
        for value in postings.values { #expect(try reread?.blocks(of: value) == postings.blocks(of: value)) }
    }

    /// Lists written in checksummed chunks after an index's payload read back the
    /// same a chunk at a time, values between and beyond them have none, and a chunk
    /// whose bytes changed is refused, not believed.
    @Test func chunkedListsReadBackTheSameAndADamagedChunkIsRefused() throws {
        var g = SplitMix64(seed: 17)
        var postings = BlockPostings()
        var reference: [UInt32: [UInt32]] = [:]
        for block in UInt32(0)..<400 {
            for _ in 0..<Int(g.next() % 40) {
                let value = UInt32(g.next() % 1_000) * 3
                postings.add(value, block: block)
                if reference[value]?.last != block { reference[value, default: []].append(block) }
            }
        }
        var directory = ByteWriter()
        let prefix: [UInt8] = Array("header and payload".utf8)
        let data = postings.encodeChunked(directory: &directory)
        let dir = TemporaryDirectory()
        let path = dir.at("lists")
        try Data(prefix + data).write(to: URL(fileURLWithPath: path))
        var r = ByteReader(directory.bytes)
        let chunked = try ChunkedPostings.decodeDirectory(&r, path: path, dataStart: prefix.count, fileSize: prefix.count + data.count, coding: .rice)
        #expect(r.remaining == 0 && chunked.chunks.count == (reference.count + ChunkedPostings.entriesPerChunk - 1) / ChunkedPostings.entriesPerChunk)
        let reread = BlockPostings.chunked(chunked)
        for value in UInt32(0)..<3_010 { #expect(try reread.blocks(of: value) == (reference[value] ?? []), "value \(value)") }
        // A writer loads them all, and they encode back to the same bytes.
        var loaded = reread
        try loaded.loadChunks()
        var again = ByteWriter()
        #expect(loaded.encodeChunked(directory: &again) == data && again.bytes == directory.bytes)
        // One byte of the second chunk changed: its lists are refused, the first chunk's still read.
        var damaged = prefix + data
        damaged[chunked.chunks[1].offset + 2] ^= 0x40
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        let second = chunked.chunks[1].firstValue
        let fresh = BlockPostings.chunked(ChunkedPostings(path: path, chunks: chunked.chunks, coding: .rice))
        #expect(throws: LogError.self) { try fresh.blocks(of: second) }
        #expect(try fresh.blocks(of: chunked.chunks[0].firstValue) == reference[chunked.chunks[0].firstValue])
    }
}
