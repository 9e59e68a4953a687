// One held message as reviewers see it: what the milter recorded when it held the message
// (envelope, subject, rules, masked findings, attachments), its state, and the history of
// review actions taken on it.

import Foundation

/// Where a held message stands.
public enum QuarantineState: String, Codable, CaseIterable, Sendable {
    case held
    /// A release was committed and the message is being (or was being) sent to the relay.
    /// A record stays here only when the process died while sending; see `release`.
    case releasing
    case released
    case deleted
}

/// What the milter knows about a message when it holds it.
public struct QuarantineRecordInput: Codable, Equatable, Sendable {
    public var time: Date
    public var queueID: String?
    public var messageID: String?
    /// The envelope sender; empty for the null sender.
    public var sender: String
    public var recipients: [AuditRecipient]
    /// The subject, already decoded from RFC 2047.
    public var subject: String
    public var size: Int
    public var rules: [String]
    public var findings: [AuditFinding]
    public var attachments: [AuditAttachment]

    public init(
        time: Date = Date(), queueID: String? = nil, messageID: String? = nil, sender: String,
        recipients: [AuditRecipient], subject: String = "", size: Int, rules: [String] = [],
        findings: [AuditFinding] = [], attachments: [AuditAttachment] = []
    ) {
        self.time = time
        self.queueID = queueID
        self.messageID = messageID
        self.sender = sender
        self.recipients = recipients
        self.subject = subject
        self.size = size
        self.rules = rules
        self.findings = findings
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case time, queueID = "queue_id", messageID = "message_id", sender, recipients, subject
        case size, rules, findings, attachments
    }
}

/// One review action in a record's history.
public struct QuarantineHistoryEntry: Codable, Equatable, Sendable {
    public var time: Date
    /// The unix user who acted.
    public var user: String
    /// `release`, `release-failed`, `delete`.
    public var action: String
    public var comment: String?
    /// Recipients released to, or why a release failed.
    public var detail: String?

    public init(
        time: Date, user: String, action: String, comment: String? = nil, detail: String? = nil
    ) {
        self.time = time
        self.user = user
        self.action = action
        self.comment = comment
        self.detail = detail
    }
}

/// A held message's record.
public struct QuarantineRecord: Codable, Equatable, Sendable {
    public var id: String
    public var input: QuarantineRecordInput
    public var state: QuarantineState
    /// Whether the message file is encrypted at rest.
    public var encrypted: Bool
    /// Why the last release failed, while the record is held again.
    public var lastError: String?
    /// Review actions, oldest first; empty in `list` results.
    public var history: [QuarantineHistoryEntry]

    public init(
        id: String, input: QuarantineRecordInput, state: QuarantineState, encrypted: Bool,
        lastError: String? = nil, history: [QuarantineHistoryEntry] = []
    ) {
        self.id = id
        self.input = input
        self.state = state
        self.encrypted = encrypted
        self.lastError = lastError
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case id, input = "message", state, encrypted, lastError = "last_error", history
    }
}
