import Events
import JSONLines

/// A small history with every event type (Fixtures/replay/baseline-and-rollback.jsonl,
/// then lines of other fixtures for the types it lacks):
/// what the template log of ``RecordReaderTarget`` holds and what the seeds encode.
enum SampleEvents {
    /// The events as JSON Lines.
    static let jsonl = #"""
{"id":"r-b0","type":"release","time":"2024-10-08T18:00:00Z","kb":"KB5000000","kind":"baseline","planned":true,"classifications":["Security"]}
{"id":"r-b1","type":"release","time":"2025-01-14T18:00:00Z","kb":"KB5001000","kind":"baseline","planned":true,"classifications":["Security"]}
{"id":"r-h1","type":"release","time":"2025-02-11T18:00:00Z","kb":"KB5001100","kind":"hotpatch","baseline":"KB5001000","classifications":["Security"]}
{"id":"r-b2","type":"release","time":"2025-03-11T18:00:00Z","kb":"KB5002000","kind":"baseline","planned":false,"classifications":["Critical","Security"]}
{"id":"a-i1","type":"install","time":"2025-01-16T00:00:00Z","vm":"vm-a","activityId":"x1","trigger":"Platform","status":"Succeeded","rebootStatus":"Required","patches":[{"kb":"KB5001000","classifications":["Security"],"state":"Installed"}]}
{"id":"a-r1","type":"reboot","time":"2025-01-16T01:00:00Z","vm":"vm-a","reason":"Baseline","status":"Completed"}
{"id":"a-i2","type":"install","time":"2025-02-13T00:00:00Z","vm":"vm-a","activityId":"x2","trigger":"Platform","status":"Succeeded","rebootStatus":"NotNeeded","patches":[{"kb":"KB5001100","classifications":["Security"],"state":"Installed"}]}
{"id":"a-i3","type":"install","time":"2025-03-13T00:00:00Z","vm":"vm-a","activityId":"x3","trigger":"Platform","status":"Succeeded","rebootStatus":"Required","patches":[{"kb":"KB5002000","classifications":["Critical","Security"],"state":"Installed"}]}
{"id":"a-r2","type":"reboot","time":"2025-03-13T01:00:00Z","vm":"vm-a","reason":"Baseline","status":"Completed"}
{"id":"a-rb","type":"rollback","time":"2025-03-20T00:00:00Z","vm":"vm-a","uninstalled":["KB5002000"],"restoredBaseline":"KB5001000"}
{"id":"a-r3","type":"reboot","time":"2025-03-20T00:30:00Z","vm":"vm-a","reason":"Rollback","status":"Completed"}
{"id":"b-i1","type":"install","time":"2025-03-13T00:00:00Z","vm":"vm-b","activityId":"y1","trigger":"Platform","status":"Succeeded","rebootStatus":"Completed","patches":[{"kb":"KB5002000","classifications":["Critical","Security"],"state":"Installed"}]}
{"id":"b-rb","type":"rollback","time":"2025-03-21T00:00:00Z","vm":"vm-b","uninstalled":["KB5002000"],"restoredBaseline":"KB5000000"}
{"id":"b-r1","type":"reboot","time":"2025-03-21T00:10:00Z","vm":"vm-b","reason":"Rollback","status":"Completed"}
{"id":"reg-a","type":"vm.registered","time":"2025-01-01T00:00:00Z","vm":"vm-a","subscription":"sub-1","image":{"publisher":"microsoftwindowsserver","offer":"WINDOWSSERVER","sku":"2022-Datacenter-Azure-Edition-Hotpatch-SmallDisk","version":"latest"},"platform":"Azure","patchMode":"AutomaticByPlatform","hotpatch":true,"timezone":"Tokyo Standard Time","orchestration":"None"}
{"id":"reg-b","type":"vm.registered","time":"2025-01-01T00:00:00Z","vm":"vm-b","subscription":"sub-1","image":{"publisher":"MicrosoftWindowsServer","offer":"WindowsServer","sku":"2022-datacenter"},"platform":"AzureStackHCI","patchMode":"Manual","hotpatch":false}
{"id":"hp-off","type":"vm.hotpatch","time":"2025-02-01T00:00:00Z","vm":"vm-a","enabled":false}
{"id":"hp-on","type":"vm.hotpatch","time":"2025-04-01T00:00:00Z","vm":"vm-a","enabled":true}
{"id":"as-1","type":"assessment","time":"2025-05-01T00:00:00Z","vm":"vm-a","activityId":"8f2c1a8e-6a0b-4f7e-9d3c-1b2a3c4d5e6f","trigger":"Periodic","status":"Succeeded","rebootPending":false,"available":[{"kb":"KB300","classifications":["Security"],"rebootBehavior":"NeverReboots","kind":"hotpatch"},{"kb":"KB100","classifications":["Critical","Security"]},{"kb":"KB200","classifications":["Updates"],"rebootBehavior":"CanRequestReboot"}]}
{"id":"as-2","type":"assessment","time":"2025-05-10T00:00:00Z","vm":"vm-a","activityId":"AS-2","trigger":"OnDemand","status":"Succeeded","rebootPending":false,"available":[]}
{"id":"f1","type":"feature.registration","time":"2025-01-01T00:00:00Z","subscription":"sub-a","feature":"Microsoft.Compute/InGuestHotPatchVMPreview","state":"Registering"}
{"id":"f2","type":"feature.registration","time":"2025-01-01T00:00:00Z","subscription":"sub-a","feature":"Microsoft.Compute/InGuestAutoPatchVMPreview","state":"Registering"}
{"id":"off-parked","type":"vm.power","time":"2025-01-03T00:00:00Z","vm":"vm-parked","state":"Deallocated"}
{"id":"on-parked","type":"vm.power","time":"2025-01-30T00:00:00Z","vm":"vm-parked","state":"Running"}
{"id":"x1","type":"reboot","time":"2025-01-01T09:00:00.1234567+09:00","vm":"vm-a","reason":"Manual","status":"Completed","ticket":"CHG-1234","operator":{"name":"Ana","team":"ops"}}
{"id":"p1","type":"provider.registration","time":"2025-01-01T00:00:00Z","subscription":"sub-a","namespace":"Microsoft.Compute","state":"Registered"}
"""#

    /// The events, decoded.
    static let events: [Event] = {
        let bytes = Array(jsonl.utf8)
        let decoder = EventJSONDecoder()
        var events: [Event] = []
        var start = 0
        for end in bytes.indices where bytes[end] == 0x0A || end == bytes.count - 1 {
            events.append(try! decoder.decode(bytes, range: start..<(bytes[end] == 0x0A ? end : end + 1)))
            start = end + 1
        }
        return events
    }()
}
