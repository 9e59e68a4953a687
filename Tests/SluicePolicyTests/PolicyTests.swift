// Decisions from scan reports: the keyword rule, replies carrying the reference id, and
// the optional header; plus reference ids that survive being read aloud and typed back.

import SluiceScan
import Testing

@testable import SluicePolicy

@Suite struct PolicyTests {
    let hit = ScanReport(
        messageSize: 10,
        findings: [Finding(detector: MessageScanner.configKeywordDetector, count: 1, samples: [])])

    @Test func keywordHitRejectsWithReference() throws {
        let decision = Policy(settings: PolicySettings()).decide(self.hit, envelope: Envelope())
        #expect(decision.action == .reject)
        #expect(decision.rules == [Policy.keywordRule])
        let reply = try #require(decision.reply)
        #expect(reply.code == 550)
        #expect(reply.enhancedCode == "5.7.1")
        #expect(reply.text.hasSuffix("(ref \(decision.reference))"))
    }

    @Test func cleanMessageIsAccepted() {
        var settings = PolicySettings()
        settings.addHeader = true
        let decision = Policy(settings: settings).decide(
            ScanReport(messageSize: 10), envelope: Envelope())
        #expect(decision.action == .accept)
        #expect(decision.reply == nil)
        #expect(
            decision.addedHeaders == [
                HeaderField(name: "X-Sluice", value: "action=accept ref=\(decision.reference)")
            ])
    }

    @Test(arguments: [Action.tempfail, .discard, .accept])
    func keywordActionIsConfigurable(action: Action) {
        var settings = PolicySettings()
        settings.keywordAction = action
        let decision = Policy(settings: settings).decide(self.hit, envelope: Envelope())
        #expect(decision.action == action)
        #expect((decision.reply?.code == 451) == (action == .tempfail))
    }

    @Test func severityOrder() {
        #expect([Action.accept, .reject, .discard, .tempfail].max() == .reject)
        #expect(Action.tempfail > .discard)
    }

    @Test func referenceIDs() throws {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = ReferenceID.random()
            #expect(id.description.count == 8)
            #expect(!id.description.contains { "ILOU".contains($0) })
            seen.insert(id.description)
        }
        #expect(seen.count > 990)
        #expect(ReferenceID("q7k2m9xo")?.description == "Q7K2M9X0")
        #expect(ReferenceID("Q7K2M9XL")?.description == "Q7K2M9X1")
        #expect(ReferenceID("Q7K2M9X") == nil)
        #expect(ReferenceID("Q7K2M9X!") == nil)
    }
}
