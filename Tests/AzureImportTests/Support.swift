@testable import AzureImport
import EventLog
import Events
import Foundation
import LogStore
import Replay
import TestSupport

/// A log and payload store in memory, with a fixed clock, and the fixtures.
struct AzureFixture {
    static let root = TestSupport.fixture("azure")
    /// The fixed "now" given to facts whose payload has no time.
    static let observedAt = try! Timestamp(parsing: "2026-01-15T12:00:00Z")
    static let web01 = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01"

    let log = HotpatchLog(store: InMemoryLog())
    let sources = RawPayloadStore(store: InMemoryLog())

    static func sample(_ name: String) -> String { root + "/samples/" + name }
    static func variant(_ name: String) -> String { root + "/variants/" + name }
    /// A file of `Fixtures/azure/shapes`: shapes Azure's own tools write (see its SOURCES.md).
    static func shape(_ name: String) -> String { root + "/shapes/" + name }

    func importer(vm: String? = nil) -> AzureImporter {
        AzureImporter(log: log, sources: sources, observedAt: Self.observedAt, vm: vm)
    }

    @discardableResult
    func importing(_ path: String, vm: String? = nil) throws -> AzureImportReport {
        try importer(vm: vm).importFile(path)
    }

    /// Every event in the log, in append order.
    func events() throws -> [Event] { try log.store.readAll().map(HotpatchLog.event(from:)) }

    /// The one event with this type.
    func only(_ type: EventType) throws -> Event? {
        let matching = try events().filter { $0.type == type }
        return matching.count == 1 ? matching[0] : nil
    }

    /// An added member of an event, as JSON text (`"x"`, `true`, `{…}`).
    static func extra(_ event: Event, _ name: String) -> String? {
        guard let data = event.extra?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let value = object[name] else { return nil }
        if let s = value as? String { return s }
        if let b = value as? Bool { return b ? "true" : "false" }
        let text = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return text.map { String(decoding: $0, as: UTF8.self) }
    }

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
}

extension Timestamp {
    /// A timestamp from RFC 3339 text (tests only).
    static func at(_ text: String) -> Timestamp { try! Timestamp(parsing: text) }
}
