// Notifications: the texts in both languages, the webhook bodies each service expects,
// encoded mail, and the queue's retries and digests against a real smtp-sink.

import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceNotify

@Suite struct NotificationTextTests {
    let event = NotificationEvent(
        reference: "Q7K2M9XH", time: Date(timeIntervalSince1970: 1_796_000_000),
        action: "quarantine", rules: ["personal-data-external"], sender: "alice@example.com",
        recipients: ["bob@example.net"], subject: "客户名单", queueID: "4BkQ2x1z",
        findings: [
            NotifiedFinding(detector: "cn-resident-id", count: 3, samples: ["110105********002X"])
        ])

    @Test func administratorsSeeEverythingMaskedAndTheReviewCommand() {
        let english = NotificationTemplate(language: .english).forAdministrators(self.event)
        #expect(
            english.subject
                == "[Sluice] Outbound message quarantined: personal-data-external (Q7K2M9XH)")
        #expect(english.body.contains("Sender: alice@example.com"))
        #expect(english.body.contains("cn-resident-id: 3 — 110105********002X"))
        #expect(english.body.contains("Review: sluice quarantine show Q7K2M9XH"))
        let chinese = NotificationTemplate(language: .chinese).forAdministrators(self.event)
        #expect(chinese.subject.contains("外发邮件已隔离"))
        #expect(chinese.body.contains("发件人：alice@example.com"))
        #expect(chinese.body.contains("主题：客户名单"))
    }

    @Test func senderIsToldWhomToAsk() {
        let text = NotificationTemplate(language: .chinese).forSender(self.event)
        #expect(text.subject == "您的邮件未能发出（参考编号 Q7K2M9XH）")
        #expect(text.body.contains("“客户名单”已被数据防泄漏策略隔离"))
    }

    @Test(arguments: [
        (WebhookFormat.dingtalk, "msgtype", "text"),
        (.wecom, "msgtype", "text"),
        (.feishu, "msg_type", "text"),
    ])
    func chatServiceBodies(format: WebhookFormat, key: String, value: String) throws {
        let body = format.body(text: "hello", events: [self.event])
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object[key] as? String == value)
    }

    @Test func genericBodyCarriesTheEvent() throws {
        let body = WebhookFormat.generic.body(text: "t", events: [self.event])
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.first?["ref"] as? String == "Q7K2M9XH")
        #expect(events.first?["review"] as? String == "sluice quarantine show Q7K2M9XH")
        let slack =
            try JSONSerialization.jsonObject(
                with: WebhookFormat.slack.body(
                    text: "hi", events: [])) as? [String: Any]
        #expect(slack?["text"] as? String == "hi")
    }

    @Test func subjectsAreEncodedWords() {
        #expect(MailMessage.encodedWord("plain") == "plain")
        let encoded = MailMessage.encodedWord("外发邮件已隔离")
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        #expect(encoded.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
    }
}

@Suite(.serialized) struct NotifierDeliveryTests {
    func event(_ index: Int) -> NotificationEvent {
        NotificationEvent(
            reference: "REF\(index)", action: "reject", rules: ["r"], sender: "a@example.com",
            recipients: ["b@example.net"])
    }

    @Test func deliversToTheRelayAndDigestsBursts() throws {
        try withSMTPSink { sink in
            var settings = NotifySettings()
            settings.administrators = ["security@example.com"]
            settings.digestThreshold = 2
            settings.digestWindow = 2
            let notifier = Notifier(
                settings: settings,
                transport: NetworkTransport(relayHost: "127.0.0.1", relayPort: sink.port))
            defer { notifier.stop() }
            for index in 0..<5 {
                notifier.submit(self.event(index), to: [.administrators])
            }
            // Two at once, the other three in one digest when the window closes.
            let received = try sink.waitForMessages(count: 3, timeout: 20)
            #expect(received.count == 3)
            #expect(received.allSatisfy { $0.envelope.recipients == ["security@example.com"] })
            let subjects = received.compactMap { $0.headerValue("Subject") }
            #expect(subjects.filter { $0.contains("Digest: 3 outbound messages") }.count == 1)
            try waitOrThrow("counts", timeout: 5) { notifier.counts.delivered == 3 }
        }
    }

    @Test func retriesUntilTheRelayComesBack() throws {
        try withSMTPSink { sink in
            sink.goDown()
            var settings = NotifySettings()
            settings.administrators = ["security@example.com"]
            settings.retryDelay = 0.5
            let notifier = Notifier(
                settings: settings,
                transport: NetworkTransport(relayHost: "127.0.0.1", relayPort: sink.port))
            defer { notifier.stop() }
            notifier.submit(self.event(1), to: [.administrators])
            try waitOrThrow("a failed attempt", timeout: 10) { notifier.counts.retried >= 1 }
            try sink.comeUp()
            let received = try sink.waitForMessages(count: 1, timeout: 20)
            #expect(received.first?.headerValue("Subject")?.contains("REF1") == true)
        }
    }
}
