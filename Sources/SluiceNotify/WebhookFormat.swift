// JSON bodies for the chat services administrators use: DingTalk, WeCom (企业微信),
// Feishu/Lark and Slack each take a text message in their own envelope; `generic` posts the
// whole event for other systems.

import Foundation

/// How a webhook expects its JSON.
public enum WebhookFormat: String, CaseIterable, Sendable {
    case generic
    case dingtalk
    case wecom
    case feishu
    case slack

    /// The request body for `text` (already rendered) about `events`.
    public func body(text: String, events: [NotificationEvent]) -> Data {
        let object: [String: Any]
        switch self {
        case .dingtalk, .wecom:
            object = ["msgtype": "text", "text": ["content": text]]
        case .feishu:
            object = ["msg_type": "text", "content": ["text": text]]
        case .slack:
            object = ["text": text]
        case .generic:
            object = ["source": "sluice", "text": text, "events": events.map(Self.generic)]
        }
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        return (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data()
    }

    private static func generic(_ event: NotificationEvent) -> [String: Any] {
        var object: [String: Any] = [
            "ref": event.reference,
            "time": NotificationTemplate.timestamp(event.time),
            "action": event.action,
            "rules": event.rules,
            "sender": event.sender,
            "recipients": event.recipients,
            "findings": event.findings.map {
                ["detector": $0.detector, "count": $0.count, "samples": $0.samples] as [String: Any]
            },
        ]
        if let subject = event.subject {
            object["subject"] = subject
        }
        if let queueID = event.queueID {
            object["queue_id"] = queueID
        }
        if event.action == "quarantine" {
            object["review"] = event.reviewCommand
        }
        return object
    }
}
