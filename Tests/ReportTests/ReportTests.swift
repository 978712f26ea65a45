import Audit
import EventLog
import Events
import Foundation
import JSONLines
import LogStore
import Replay
import Report
import TestSupport
import Testing

/// The report's HTML, checked for what a person and a screen reader rely on: the
/// SVG charts with titles, one table row per finding, table headers, nothing
/// fetched from elsewhere, and text from the log escaped.
@Suite struct ReportTests {
    static let fixtures = TestSupport.fixture("audit")

    static func report(_ fixture: String, at: String, extra: [Event] = []) throws -> (String, AuditResult) {
        let log = HotpatchLog(store: InMemoryLog())
        _ = try Importer(log: log).importFile(fixtures + "/\(fixture).jsonl")
        if !extra.isEmpty { _ = try log.append(extra) }
        let replayer = Replayer(log: log)
        let moment = try Timestamp(parsing: at)
        var policy = AuditPolicy()
        policy.notAssessedDays = 1000
        let result = try Audit.run(replayer, at: moment, policy: policy)
        let timelines = try log.vms.map { try VMTimeline(replayer, vm: $0, at: moment) }
        let releases = try replayer.catalog().entries.values.sorted { $0.publishedAt < $1.publishedAt }
        return (AuditReport.html(ReportInput(scope: "fleet", result: result, releases: releases, timelines: timelines, since: nil, until: nil)), result)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func reportHasTheChartsAndOneRowPerFinding() throws {
        let (html, result) = try Self.report("reboots-and-rollbacks", at: "2025-03-01")
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"en\">"))
        // Calendar, exposure chart, and one timeline per VM, each an SVG with a title and a description.
        #expect(Self.count("<svg ", in: html) == 2 + 2)
        #expect(Self.count("<title id=", in: html) == 4 && Self.count("<desc id=", in: html) == 4)
        #expect(Self.count("role=\"img\"", in: html) == 4)
        let body = html.components(separatedBy: "<table class=\"findings\">")[1].components(separatedBy: "</table>")[0]
        let rows = body.components(separatedBy: "<tbody>")[1]
        #expect(result.findings.count == 2)
        #expect(Self.count("<tr>", in: rows) == result.findings.count)
        #expect(body.contains("<th scope=\"col\">Rule</th>") && body.contains("<caption>"))
        #expect(rows.contains("reboot-pending") && rows.contains("rollback-without-reboot") && rows.contains("5 6"))
    }

    @Test func reportFetchesNothing() throws {
        let (html, _) = try Self.report("baseline-mismatch", at: "2025-05-01")
        // The only URL is the SVG namespace, which names and does not fetch.
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for needle in ["http:", "https:", "//", "<script", "<link", "@import", "url(", "<img", "src="] {
            #expect(!withoutNamespace.contains(needle), "found \(needle)")
        }
        // Calendar: two planned baselines and a hotpatch month.
        #expect(Self.count("class=\"cell planned\"", in: html) >= 2 && html.contains("class=\"cell hotpatch\""))
    }

    @Test func textFromTheLogIsEscaped() throws {
        let hostile = Event(id: "x1", time: try Timestamp(parsing: "2025-01-02"), vm: "<script>alert(1)</script>&\"'",
                            body: .vmRegistered(VMRegistration(subscription: "s", image: ImageReference(publisher: "p", offer: "o", sku: "<b>"),
                                                               platform: .azure, patchMode: .automaticByPlatform, hotpatch: true)))
        let (html, _) = try Self.report("not-effective-in-time", at: "2025-03-01", extra: [hostile])
        #expect(!html.contains("<script>") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"))
        #expect(html.contains("unsupported-image"))
    }
}
