// Decisions from scan reports: the keyword rule, replies carrying the reference id, and
// the optional header; plus reference ids that survive being read aloud and typed back.

import Foundation
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

@Suite struct RulePolicyTests {
    static let config = """
        [scope]
        internal_domains = example.com, *.example.com
        internal_networks = 10.0.0.0/8

        [groups]
        finance = cfo@example.com, @treasury.example.com

        [rule secrets]
        when = keyword:config >= 1 and recipients.external
        unless = sender in group:finance
        action = quarantine
        notify = admins, sender

        [rule block-exe]
        when = attachment.group == executable
        action = reject
        reply = 550 5.7.1 Executables may not be sent

        [rule big]
        when = attachment.size > 20MB
        action = monitor
        add_header = X-Big: yes

        [rule copy]
        when = recipient.domain in (partner.example.org)
        action = accept
        bcc = compliance@example.com
        """

    func policy(_ extra: String = "") throws -> Policy {
        let configuration = try Configuration.parse(Self.config + extra, path: "p.conf")
        return try Policy(
            configuration: configuration, catalog: FactCatalog(detectors: ["keyword:config"]))
    }

    func report(keyword: Int = 0, attachments: [AttachmentSummary] = []) -> ScanReport {
        ScanReport(
            messageSize: 100,
            findings: keyword > 0
                ? [Finding(detector: "keyword:config", count: keyword, samples: [])] : [],
            attachments: attachments)
    }

    @Test func mostSevereActionWinsAndEveryFiredRuleIsReported() throws {
        let exe = AttachmentSummary(
            name: "a.exe", path: "2", size: 30 << 20, groups: ["executable"])
        let decision = try self.policy().decide(
            self.report(keyword: 1, attachments: [exe]),
            envelope: Envelope(sender: "alice@example.com", recipients: ["x@other.net"]))
        #expect(decision.action == .reject)
        #expect(decision.rules == ["secrets", "block-exe", "big"])
        #expect(decision.reply?.text == "Executables may not be sent (ref \(decision.reference))")
        #expect(decision.notify == ["admins", "sender"])
        #expect(decision.addedHeaders == [HeaderField(name: "X-Big", value: "yes")])
    }

    @Test(arguments: [
        ("alice@example.com", ["bob@sub.example.com"], Action.accept),
        ("alice@example.com", ["bob@example.com", "eve@other.net"], .quarantine),
        ("cfo@example.com", ["eve@other.net"], .accept),
        ("clerk@treasury.example.com", ["eve@other.net"], .accept),
    ])
    func scopeAndGroupsDecide(sender: String, recipients: [String], expected: Action) throws {
        let decision = try self.policy().decide(
            self.report(keyword: 1),
            envelope: Envelope(sender: sender, recipients: recipients))
        #expect(decision.action == expected, "\(sender) → \(recipients)")
    }

    @Test func monitorModeBlocksNothingButSaysWhat() throws {
        let decision = try self.policy("\n[policy]\nmode = monitor\n").decide(
            self.report(keyword: 2),
            envelope: Envelope(sender: "a@example.com", recipients: ["b@x.net"]))
        #expect(decision.action == .monitor)
        #expect(decision.intendedAction == .quarantine)
        #expect(decision.rules == ["secrets"])
    }

    @Test func bccFromFiredRules() throws {
        let decision = try self.policy().decide(
            self.report(),
            envelope: Envelope(sender: "a@example.com", recipients: ["p@partner.example.org"]))
        #expect(decision.action == .accept)
        #expect(decision.bcc == ["compliance@example.com"])
    }

    @Test(arguments: [
        (
            "[rule x]\nwhen = keyword:confidental >= 1\naction = reject\n",
            "p.conf:2:8: when: unknown fact 'keyword:confidental'"
        ),
        (
            "[rule x]\nwhen  =  attachment.size > lots\naction = reject\n",
            "p.conf:2:28: when: expected a number or a size such as 20MB"
        ),
        (
            "[rule x]\nwhen = sender in group:nobody\naction = reject\n",
            "p.conf:2:18: when: unknown group 'nobody'"
        ),
    ])
    func ruleErrorsNameFileLineAndColumn(text: String, expected: String) throws {
        let configuration = try Configuration.parse(text, path: "p.conf")
        do {
            _ = try Policy(
                configuration: configuration, catalog: FactCatalog(detectors: ["keyword:config"]))
            Issue.record("compiled, want \(expected)")
        } catch {
            #expect(error.description.hasPrefix(expected), "got \(error.description)")
        }
    }

    @Test(arguments: [
        ("[rule x]\nwhen = true\n", "p.conf:1: rule 'x' has no action"),
        ("[rule x]\naction = explode\n", "p.conf:2: action: expected one of accept, monitor,"),
        (
            "[rule x]\naction = quarantine\nreply = 550 5.7.1 no\n",
            "p.conf:3: reply: a reply needs action reject or tempfail"
        ),
        (
            "[rule x]\naction = reject\n[rule x]\naction = reject\n",
            "p.conf:3: rule 'x' defined twice"
        ),
        ("[rule x]\naction = reject\nbcc = nobody\n", "p.conf:3: bcc: expected an address"),
        ("[scope]\ninternal_networks = 10.0.0.0/33\n", "p.conf:2: internal_networks: expected"),
    ])
    func ruleSectionErrors(text: String, expected: String) {
        do {
            _ = try Configuration.parse(text, path: "p.conf")
            Issue.record("parsed, want \(expected)")
        } catch {
            #expect(error.description.hasPrefix(expected), "got \(error.description)")
        }
    }
}
