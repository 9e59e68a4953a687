// What a notification says: one decision on one message, with nothing unmasked in it.
// Built by the milter from the decision and the scan report, rendered by the templates and
// the webhook formats.

import Foundation

/// One finding as notifications show it: detector, count and masked samples.
public struct NotifiedFinding: Equatable, Sendable {
    public var detector: String
    public var count: Int
    public var samples: [String]

    public init(detector: String, count: Int, samples: [String]) {
        self.detector = detector
        self.count = count
        self.samples = samples
    }
}

/// A decision worth telling someone about.
public struct NotificationEvent: Equatable, Sendable {
    public var reference: String
    public var time: Date
    public var action: String
    public var rules: [String]
    public var sender: String
    public var recipients: [String]
    public var subject: String?
    public var queueID: String?
    public var findings: [NotifiedFinding]

    public init(
        reference: String, time: Date = Date(), action: String, rules: [String],
        sender: String, recipients: [String], subject: String? = nil, queueID: String? = nil,
        findings: [NotifiedFinding] = []
    ) {
        self.reference = reference
        self.time = time
        self.action = action
        self.rules = rules
        self.sender = sender
        self.recipients = recipients
        self.subject = subject
        self.queueID = queueID
        self.findings = findings
    }

    /// The command an administrator runs to review held mail.
    public var reviewCommand: String {
        "sluice quarantine show \(self.reference)"
    }
}
