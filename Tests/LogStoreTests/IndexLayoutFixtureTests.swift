import Foundation
import Testing
@testable import LogStore
import TestSupport

/// Indexes an earlier build wrote stay usable as they are: `Fixtures/index-layout1`
/// was written by patchlog at commit 679166a (index layout 1, the defined streams
/// front-coded in number order), `Fixtures/index-layout2` at 0ca9448 (layout 2, the
/// streams sorted, block lists as varints). A reader uses them without rebuilding;
/// a writer rewrites the last segment's index in layout 3 beside the first's in the
/// old layout, and both read the same records as indexes rebuilt from the blocks.
@Suite struct IndexLayoutFixtureTests {
    /// Each fixture and the layout of its indexes.
    static let fixtures: [(String, UInt16)] = [("index-layout1/event-log", 1), ("index-layout2/event-log", 2)]

    /// Every stream found by key at its number, and read (through its block lists)
    /// as the whole log filtered to it.
    static func expectConsistent(_ log: FileLog) throws {
        let all = try log.readAll()
        let streams = Set(all.map(\.stream))
        #expect(streams.count > 40)
        for stream in streams {
            let id = try #require(log.streamID(stream))
            #expect(log.streamKey(id) == stream)
            #expect(try log.read(stream: stream) == all.filter { $0.stream == stream })
        }
        #expect(log.streamID("vm:/not/a/vm") == nil)
    }

    @Test(arguments: fixtures)
    func olderIndexesAreReadWithoutRebuildingThem(fixture: String, layout: UInt16) throws {
        let fixture = TestSupport.fixture(fixture)
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        copyDirectory(fixture, to: path)
        let layouts = try indexFiles(path).map { try indexLayout(of: $0) }
        #expect(layouts == [layout, layout])
        let log = try FileLog.open(at: path, access: .reader)
        #expect(log.recovery.rebuiltIndexes.isEmpty)
        try Self.expectConsistent(log)

        // Without indexes, the reader rebuilds them from the blocks: the same records.
        let bare = dir.at("bare")
        copyDirectory(fixture, to: bare)
        for index in indexFiles(bare) { try FileManager.default.removeItem(atPath: index) }
        let rebuilt = try FileLog.open(at: bare, access: .reader)
        #expect(rebuilt.recovery.rebuiltIndexes.count == 2)
        #expect(try rebuilt.readAll() == log.readAll())
    }

    @Test(arguments: fixtures)
    func aWriterLeavesTheOldLayoutAndLayout3ThatReadTheSame(fixture: String, layout: UInt16) throws {
        let dir = TemporaryDirectory()
        let path = dir.at("log")
        copyDirectory(TestSupport.fixture(fixture), to: path)
        let before = try FileLog.open(at: path, access: .reader).readAll()
        let more = SampleRecords.make(count: 50, vms: 5, seed: 3, idPrefix: "more")
        do { _ = try FileLog.open(at: path).append(more) }
        #expect(try indexFiles(path).map { try indexLayout(of: $0) } == [layout, 3])
        let log = try FileLog.open(at: path, access: .reader)
        #expect(log.recovery.rebuiltIndexes.isEmpty)
        let all = try log.readAll()
        #expect(Array(all.prefix(before.count)) == before)
        #expect(all.dropFirst(before.count).map(\.unsequenced) == more)
        try Self.expectConsistent(log)
        #expect(try FileLog.verify(directory: path).problem == nil)
    }
}

/// The layout field of an index file's header.
func indexLayout(of path: String) throws -> UInt16 {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    return UInt16(bytes[10]) | UInt16(bytes[11]) << 8
}
