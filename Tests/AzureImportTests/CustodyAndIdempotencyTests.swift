@testable import AzureImport
import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import Testing

/// The payload kept byte for byte; the same payload twice appends nothing; errors
/// leave the log as it was; the events export and re-import like any others.
@Suite struct CustodyAndIdempotencyTests {
    static var sampleFiles: [String] {
        (try! FileManager.default.contentsOfDirectory(atPath: AzureFixture.root + "/samples")).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex(Array(repeating: UInt8(ascii: "a"), count: 1000)).hasPrefix("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"))
        // FNV-1a 64 keeps its 16 zero-padded hex digits (event ids depend on them).
        #expect(Digest.fnv1a64Hex("") == "cbf29ce484222325")
        #expect(Digest.fnv1a64Hex("a") == "af63dc4c8601ec8c")
    }

    @Test func everyPayloadIsKeptByteForByteAndEveryEventNamesIt() throws {
        for file in Self.sampleFiles {
            let f = AzureFixture()
            guard let report = try? f.importing(AzureFixture.sample(file)), report.appended > 0 else { continue }
            let bytes = AzureFixture.bytes(AzureFixture.sample(file))
            let name = try #require(report.source)
            #expect(name == "sha256:" + Digest.sha256Hex(bytes))
            #expect(try f.sources.payload(name) == bytes, "\(file)")
            for event in try f.events() {
                #expect(RawPayloadStore.sourceName(of: event) == name, "\(file)")
                #expect(AzureFixture.extra(event, "sourceItem") != nil, "\(file)")
            }
        }
    }

    @Test func aPayloadLargerThanOneRecordIsKeptInPartsAndReadBackWhole() throws {
        let store = RawPayloadStore(store: InMemoryLog(), partBytes: 1000)
        let bytes = (0..<(2017)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let name = try store.keep(bytes)
        #expect(store.store.count == 3)
        #expect(try store.payload(name) == bytes)
        try store.keep(bytes)
        #expect(store.store.count == 3)
        #expect(try store.payload("sha256:0000") == nil)
    }

    @Test func verifyChecksEachPayloadAgainstItsNameAndEachCitationAgainstTheStore() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("VirtualMachine_InstallPatches.json"))
        let name = try #require(try f.sources.store.readAll().first?.id)
        let good = try RawPayloadStore.verify(events: f.log, payloads: f.sources)
        #expect(good.isIntact && good.payloads == 1 && good.citingEvents == 2 && good.uncited == 0)
        #expect(try f.sources.checkedPayload(name) == f.sources.payload(name))
        // The same name over other bytes, in a store consistent in itself.
        let forged = RawPayloadStore(store: InMemoryLog())
        try forged.store.append(NewRecord(time: 0, stream: RawPayloadStore.stream, id: name, payload: Array("{}".utf8)))
        let bad = try RawPayloadStore.verify(events: f.log, payloads: forged)
        #expect(bad.problems.count == 1 && bad.problems.first?.name == name && bad.problems.first?.citedBy == [1, 2])
        #expect(bad.problems.first?.description.contains("now hash to sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a") == true)
        #expect(throws: AlteredPayloadError.self) { try forged.checkedPayload(name) }
        // Not kept at all.
        let missing = try RawPayloadStore.verify(events: f.log, payloads: nil)
        #expect(missing.problems == [PayloadProblem(name: name, reason: "not kept in sources/", citedBy: [1, 2], firstCitingID: try f.events()[0].id)])
        // A `source` member that is not a payload name (the user's own) cites nothing.
        let user = HotpatchLog(store: InMemoryLog())
        _ = try user.append([Event(id: "e1", time: .at("2025-01-01T00:00:00Z"), vm: "web-01", body: .vmHotpatch(enabled: true), extra: #"{"source":"CMDB"}"#)])
        #expect(try RawPayloadStore.verify(events: user, payloads: nil) == PayloadCheck())
        // A record that is not an event (patchlog raw) cites nothing and is not an error.
        try user.store.append(NewRecord(time: 0, stream: "raw", id: "r1", payload: Array("hello".utf8)))
        #expect(try RawPayloadStore.verify(events: user, payloads: nil) == PayloadCheck(unreadableRecords: 1))
    }

    @Test func verifyChecksThatAPayloadsPartsFitTogether() throws {
        let bytes = (0..<25).map { UInt8($0) }
        let parts = RawPayloadStore(store: InMemoryLog(), partBytes: 10)
        let name = try parts.keep(bytes)
        #expect(try parts.verifyPayloads() == PayloadCheck(payloads: 1, records: 3))
        func store(_ records: [(String, ArraySlice<UInt8>)]) throws -> RawPayloadStore {
            let s = RawPayloadStore(store: InMemoryLog())
            _ = try s.store.append(records.map { NewRecord(time: 0, stream: RawPayloadStore.stream, id: $0.0, payload: Array($0.1)) })
            return s
        }
        // Out of order but whole: read again whole, and intact.
        #expect(try store([(name + "#1", bytes[10..<20]), (name, bytes[0..<10]), (name + "#2", bytes[20...])]).verifyPayloads().isIntact)
        // The middle part missing.
        let gap = try store([(name, bytes[0..<10]), (name + "#2", bytes[20...])]).verifyPayloads()
        #expect(gap.problems.map(\.reason) == ["part(s) 2 follow a missing part 1", "its bytes (1 part) now hash to \(RawPayloadStore.name(of: Array(bytes[0..<10]))), not to its name: the payload was altered"])
        // No first part; a record that is not a part.
        let headless = try store([(name + "#1", bytes[10..<20]), ("notes", bytes[0..<1])]).verifyPayloads()
        #expect(headless.problems.map(\.description) == [
            "notes: record 2 of the payload store is not a payload part (stream source, id \"notes\"); no event cites it",
            "\(name): parts 1 are kept without the first part; no event cites it",
        ])
    }

    @Test func thePayloadStoreIsSourcesInsideTheLogDirectory() {
        #expect(RawPayloadStore.path(logDirectory: "/var/lib/patchlog") == "/var/lib/patchlog/sources")
    }

    @Test func importingEverySampleTwiceAppendsNothingTheSecondTime() throws {
        let f = AzureFixture()
        var recognised = 0
        for file in Self.sampleFiles {
            guard (try? f.importing(AzureFixture.sample(file))) != nil else { continue }
            recognised += 1
        }
        #expect(recognised == 19) // all but the five Microsoft.Maintenance files
        let events = f.log.store.count, payloads = f.sources.store.count
        #expect(events > 0)
        for file in Self.sampleFiles {
            if let again = try? f.importing(AzureFixture.sample(file)) { #expect(again.appended == 0, "\(file)") }
        }
        #expect(f.log.store.count == events && f.sources.store.count == payloads)
    }

    @Test func anUnrecognisedPayloadIsAnErrorNamingTheFileAndWhatWasExpected() throws {
        let f = AzureFixture()
        try f.importing(AzureFixture.sample("VirtualMachine_AssessPatches.json"))
        let before = try f.log.store.readAll()
        let path = AzureFixture.variant("not-azure.json")
        let error = try #require(throws: AzureImportError.self) { try f.importing(path) }
        #expect(error.description == "\(path): expected \(AzurePayload.expected); found an object with members hello, answer")
        let broken = try #require(throws: AzureImportError.self) { try f.importing(AzureFixture.variant("broken.json")) }
        #expect(broken.description.hasSuffix("broken.json: not valid JSON: line 3, column 19: expected a value"))
        #expect(try f.log.store.readAll() == before && f.sources.store.count == 1)
    }

    @Test func aConversionErrorInTheOnlyItemAppendsNothingAndNamesThePath() throws {
        let f = AzureFixture()
        let bytes = Array(#"{"assessmentActivityId": "a", "startDateTime": "2025-13-01T00:00:00Z", "availablePatches": []}"#.utf8)
        let error = try #require(throws: AzureImportError.self) { try f.importer(vm: AzureFixture.web01).importBytes(bytes, name: "x.json") }
        #expect(error.description.hasPrefix("x.json: startDateTime: \"2025-13-01T00:00:00Z\" is not an RFC 3339 time (month 13)"))
        let badVM = try #require(throws: AzureImportError.self) { try f.importer(vm: "web-01").importBytes(bytes, name: "x.json") }
        #expect(badVM.description.contains("--vm: expected a VM or Arc machine resource id"))
        #expect(f.log.store.count == 0 && f.sources.store.count == 0)
    }

    @Test func theSameFactTwiceInOnePayloadIsKeptOnceAndTheOthersStillGoIn() throws {
        let f = AzureFixture()
        let feature = #"{"name": "Microsoft.Compute/InGuestHotPatchVMPreview", "type": "Microsoft.Features/providers/features", "id": "/subscriptions/s-1/providers/Microsoft.Features/providers/Microsoft.Compute/features/InGuestHotPatchVMPreview", "properties": {"state": "%@"}}"#
        let list = "{\"value\": [" + [feature, feature, feature].enumerated().map { n, text in
            text.replacingOccurrences(of: "%@", with: n == 2 ? "Unregistering" : "Registered")
        }.joined(separator: ", ") + "]}"
        let report = try f.importer().importBytes(Array(list.utf8), name: "features.json")
        // The second element is the same fact (same id) from another place in the file.
        #expect(report.appended == 2 && report.duplicates + report.alreadyKnown.count == 1 && report.items.count == 3)
        #expect(try f.events().map(\.body) == [
            .featureRegistration(FeatureRegistration(subscription: "s-1", feature: "Microsoft.Compute/InGuestHotPatchVMPreview", state: .registered)),
            .featureRegistration(FeatureRegistration(subscription: "s-1", feature: "Microsoft.Compute/InGuestHotPatchVMPreview", state: .unregistering)),
        ])
        #expect(try f.importer().importBytes(Array(list.utf8), name: "features.json").appended == 0)
    }

    @Test func importedEventsExportAndReimportLikeAnyOthersAndReplayIgnoresNothing() throws {
        let f = AzureFixture()
        for file in ["rg-assessments.json", "rg-installations-2.json", "vm-get-hotpatch-on.json", "install-request-kbs.json"] {
            try f.importing(AzureFixture.variant(file))
        }
        var text = ""
        try Exporter(log: f.log).export(format: .jsonl, filter: ExportFilter()) { text += $0 }
        #expect(text.contains(#""source":"sha256:"#) && text.contains(#""published":{"#))
        let path = NSTemporaryDirectory() + "patchlog-azure-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let copy = HotpatchLog(store: InMemoryLog())
        _ = try Importer(log: copy).importFile(path)
        #expect(try copy.store.readAll() == f.log.store.readAll())
        let fleet = try Replayer(log: f.log).fleet(at: .at("2027-01-01"))
        #expect(fleet.count == 1 && fleet[0].registered && fleet[0].eventCount == f.log.store.count)
    }
}
