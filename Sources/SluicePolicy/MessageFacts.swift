// The facts of one message that rules read: detector counts from the scan report,
// attachment properties, message flags, and the envelope seen through the scope.

import SluiceScan

/// Fact values for one message.
public struct MessageFacts: RuleFacts {
    public let report: ScanReport
    public let envelope: Envelope
    public let scope: Scope
    public let groups: [String: SenderGroup]
    /// Values supplied by other parts of Sluice, such as volume counters.
    public let extra: [String: FactValue]

    public init(
        report: ScanReport, envelope: Envelope, scope: Scope,
        groups: [String: SenderGroup] = [:], extra: [String: FactValue] = [:]
    ) {
        self.report = report
        self.envelope = envelope
        self.scope = scope
        self.groups = groups
        self.extra = extra
    }

    /// The sender rules see: the authenticated user when there is one, else the envelope
    /// sender.
    public var sender: String {
        self.envelope.authenticatedUser.flatMap { $0.contains("@") ? $0 : nil }
            ?? self.envelope.sender
    }

    public var externalRecipients: [String] {
        self.envelope.recipients.filter(self.scope.isExternal)
    }

    public func value(of fact: String) -> FactValue {
        if let value = self.extra[fact] {
            return value
        }
        let attachments = self.report.attachments
        switch fact {
        case "distinct_people": return .number(Double(self.report.distinctPeople))
        case "attachment.group": return .texts(attachments.flatMap(\.groups))
        case "attachment.extension": return .texts(attachments.compactMap(\.extension))
        case "attachment.type": return .texts(attachments.compactMap(\.detectedType))
        case "attachment.name": return .texts(attachments.map(\.name))
        case "attachment.encrypted": return .bool(attachments.contains { $0.encrypted })
        case "attachment.unscannable": return .bool(attachments.contains { !$0.scanned })
        case "attachment.type_mismatch": return .bool(attachments.contains { $0.typeMismatch })
        case "attachment.size": return .numbers(attachments.map { Double($0.size) })
        case "attachment.count": return .number(Double(attachments.count))
        case "message.size": return .number(Double(self.report.messageSize))
        case "message.incomplete": return .bool(!self.report.incomplete.isEmpty)
        case "message.encrypted": return .bool(self.report.encrypted)
        case "sender": return .text(self.sender)
        case "sender.domain": return .text(Scope.domain(of: self.sender) ?? "")
        case "authenticated": return .bool(self.envelope.authenticatedUser != nil)
        case "client": return .address(self.envelope.clientAddress)
        case "recipients.count": return .number(Double(self.envelope.recipients.count))
        case "recipients.external": return .bool(!self.externalRecipients.isEmpty)
        case "recipients.external.count": return .number(Double(self.externalRecipients.count))
        case "recipient": return .texts(self.envelope.recipients)
        case "recipient.domain":
            return .texts(self.envelope.recipients.compactMap { Scope.domain(of: $0) })
        default:
            return self.detectorValue(fact)
        }
    }

    private func detectorValue(_ fact: String) -> FactValue {
        if fact.hasSuffix(".confidence") {
            return .number(self.report.confidence(of: String(fact.dropLast(".confidence".count))))
        }
        return .number(Double(self.report.count(of: fact)))
    }

    public func isMember(_ address: String, of group: String) -> Bool {
        self.groups[group]?.contains(address) ?? false
    }
}
