// One audit record: a decision on a message, or a review action on held mail. Values are
// already masked where sensitive; addresses are kept because the audit trail exists to say
// who sent what to whom.

import Foundation

/// A recipient as the audit trail records it.
public struct AuditRecipient: Codable, Equatable, Sendable {
    public var address: String
    public var external: Bool

    public init(address: String, external: Bool) {
        self.address = address
        self.external = external
    }
}

/// A finding as the audit trail records it: detector, count and masked samples only.
public struct AuditFinding: Codable, Equatable, Sendable {
    public var detector: String
    public var count: Int
    public var samples: [String]

    public init(detector: String, count: Int, samples: [String]) {
        self.detector = detector
        self.count = count
        self.samples = samples
    }
}

/// An attachment as the audit trail records it.
public struct AuditAttachment: Codable, Equatable, Sendable {
    public var name: String
    public var type: String
    public var size: Int

    public init(name: String, type: String, size: Int) {
        self.name = name
        self.type = type
        self.size = size
    }
}

/// One event in the audit trail.
public struct AuditEntry: Codable, Equatable, Sendable {
    /// `decision` for a message, or a review action such as `release` or `delete`.
    public var event: String
    public var time: Date
    public var reference: String
    public var action: String
    public var queueID: String?
    public var messageID: String?
    public var sender: String?
    public var recipients: [AuditRecipient]
    public var size: Int?
    public var attachments: [AuditAttachment]
    public var findings: [AuditFinding]
    public var rules: [String]
    /// What enforcement would have done, in monitor mode.
    public var wouldHave: String?
    public var scanMilliseconds: Double?
    /// Who acted, for review events (unix user name).
    public var user: String?
    public var comment: String?

    public init(
        event: String = "decision", time: Date = Date(), reference: String, action: String,
        queueID: String? = nil, messageID: String? = nil, sender: String? = nil,
        recipients: [AuditRecipient] = [], size: Int? = nil,
        attachments: [AuditAttachment] = [], findings: [AuditFinding] = [],
        rules: [String] = [], wouldHave: String? = nil, scanMilliseconds: Double? = nil,
        user: String? = nil, comment: String? = nil
    ) {
        self.event = event
        self.time = time
        self.reference = reference
        self.action = action
        self.queueID = queueID
        self.messageID = messageID
        self.sender = sender
        self.recipients = recipients
        self.size = size
        self.attachments = attachments
        self.findings = findings
        self.rules = rules
        self.wouldHave = wouldHave
        self.scanMilliseconds = scanMilliseconds
        self.user = user
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case event, time, reference = "ref", action, queueID = "queue_id"
        case messageID = "message_id", sender, recipients, size, attachments, findings, rules
        case wouldHave = "would_have", scanMilliseconds = "scan_ms", user, comment
    }
}
