import Events
import LogStore
import PostgresLog
import EventLog

/// The events a trial collector appends: installs of one hotpatch on the VMs of its
/// own subscription, shaped as Azure reports them (a GUID-like activity id, one KB
/// key), numbered so that a checker can name every one (`NAME-000042`).
enum CollectorEvents {
    /// The id of event `i` of collector `name`.
    static func id(_ name: String, _ i: Int) -> String {
        let digits = String(i)
        return name + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Event `i` of collector `name`, staged as an import stages it.
    static func staged(_ name: String, _ i: Int) -> StagedRecord {
        let vm = "/subscriptions/\(name)/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-\(i % 64)"
        let hex = String((UInt64(i) &+ 1) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
        let activity = String(repeating: "0", count: 16 - hex.count) + hex + "0000000000000000"
        let install = Install(activityId: activity, trigger: .platform, status: .succeeded, rebootStatus: .notNeeded,
                              patches: [InstalledPatch(kb: KB(5_050_002 + UInt64(i % 12)), classifications: ["Security"], state: .installed, kind: .hotpatch)])
        let event = Event(id: id(name, i), time: Timestamp(nanoseconds: 1_735_689_600_000_000_000 + Int64(i) * 60_000_000_000),
                          vm: vm, body: .install(install))
        let prepared = HotpatchLog.prepare(event)
        return StagedRecord(record: prepared.recordAsWritten, fold: prepared.streamFold)
    }
}
